"""TOTP codes as RFC 6238 computes them (pyotp), and the secrets sealed at rest."""

from __future__ import annotations

import base64

import pytest

from crisis_dispatch.adapters import totp
from crisis_dispatch.domain.errors import Conflict

#: RFC 6238 appendix B: the SHA-1 key "12345678901234567890"; at T = 59 s the 8-digit code
#: is 94287082, so the 6-digit one is its last six digits. At T = 1111111109: 07081804.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


def test_codes_are_rfc_6238s_test_vectors() -> None:
    assert totp.code_at(RFC_SECRET, 59 // 30) == "287082"
    assert totp.code_at(RFC_SECRET, 1111111109 // 30) == "081804"


def test_the_uri_names_the_issuer_and_the_user_for_an_authenticator_app() -> None:
    uri = totp.provisioning_uri(RFC_SECRET, "sam")
    assert uri.startswith("otpauth://totp/crisis-dispatch:sam?")
    assert f"secret={RFC_SECRET}" in uri and "issuer=crisis-dispatch" in uri


def test_a_sealed_secret_reads_back_with_the_key_and_not_without_it() -> None:
    secret = totp.new_secret()
    assert len(secret) == 32 and len(set(totp.new_secret() for _ in range(5))) == 5
    sealed = totp.seal(secret, b"the secret key")
    assert secret not in sealed
    assert totp.unseal(sealed, b"the secret key") == secret
    with pytest.raises(totp.UnreadableSecret) as wrong:
        totp.unseal(sealed, b"another key")
    assert isinstance(wrong.value, Conflict)  # answered as a 409 with a sentence, never a 500
    with pytest.raises(totp.UnreadableSecret):
        totp.unseal("not a token", b"the secret key")
