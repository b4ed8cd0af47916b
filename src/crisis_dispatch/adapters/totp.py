"""TOTP codes (RFC 6238, with pyotp) and the encryption of the shared secrets at rest.

A user's TOTP secret is stored encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from the
``cryptography`` package) under a key derived from ``CRISIS_DISPATCH_SECRET_KEY``: a copy of
the database alone yields no secret. Changing the secret key makes the stored secrets
unreadable: every enrolled user then enrols again (``crisis-dispatch users totp-enroll``).
"""

from __future__ import annotations

import base64
import hashlib

import pyotp
from cryptography.fernet import Fernet, InvalidToken

from crisis_dispatch.domain.errors import Conflict
from crisis_dispatch.domain.totp import CODE_DIGITS, STEP_SECONDS

ISSUER = "crisis-dispatch"


class UnreadableSecret(Conflict):
    """The stored secret was encrypted under another secret key (or is damaged)."""


def new_secret() -> str:
    """A fresh random secret, base32 (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def code_at(secret: str, step: int) -> str:
    """The code of time step ``step`` (seconds since the epoch // 30)."""
    return _totp(secret).at(step * STEP_SECONDS)


def provisioning_uri(secret: str, username: str) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app reads (usually as a QR code)."""
    return _totp(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS)


def _fernet(key: bytes) -> Fernet:
    derived = hashlib.sha256(b"crisis-dispatch totp secrets v1:" + key).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret: str, key: bytes) -> str:
    return _fernet(key).encrypt(secret.encode()).decode("ascii")


def unseal(sealed: str, key: bytes) -> str:
    try:
        return _fernet(key).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise UnreadableSecret("the stored one-time code secret cannot be read (was the secret key changed?)") from None
