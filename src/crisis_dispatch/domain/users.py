"""People who log in. Password hashing lives in an adapter; the domain holds only the hash."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime

from .access import UserRole
from .errors import InvalidInput

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}")
MIN_PASSWORD_LENGTH = 12


@dataclass(eq=False)
class User:
    id: str
    username: str
    password_hash: str
    role: UserRole
    created_at: datetime
    #: For crew members: the staff record that links the login to shifts on a van.
    staff_id: str | None = None
    active: bool = True
    #: Consecutive failed logins since the last successful one (or an unlock).
    failed_logins: int = 0
    #: Set when too many logins failed: no login until then (or an administrator's unlock).
    locked_until: datetime | None = None
    #: The second factor (``domain/totp.py``): the TOTP secret, sealed (encrypted) by the
    #: adapter; set once enrolment is confirmed. Never returned by the API, never logged.
    totp_secret: str | None = None
    #: A secret being enrolled: active only once the user confirms it with a first code.
    totp_pending: str | None = None
    #: The time step of the last code accepted: no code of that step or before counts again.
    totp_last_step: int | None = None

    @property
    def totp_enrolled(self) -> bool:
        return self.totp_secret is not None


def check_username(username: str) -> str:
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            "username must be 2-63 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return username


def check_password(password: str, username: str = "", common: Container[str] = frozenset()) -> str:
    """The password policy: at least 12 characters, not the user name, not a common password
    (``common`` holds them lower-cased; the adapters ship the list)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    folded = password.strip().casefold()
    if username and folded == username.casefold():
        raise InvalidInput("password must not be the username")
    if folded in common:
        raise InvalidInput("password is too common (it is on a list of frequently used passwords); choose another")
    return password


@dataclass(frozen=True)
class AuditRecord:
    """Who read or wrote which personal data, and when. Written once, never changed.

    ``id``, ``prev_hash`` and ``row_hash`` are given by the log when the record is appended
    (the hash chain, see :mod:`crisis_dispatch.domain.audit_chain`).
    """

    at: datetime
    user_id: str | None
    username: str
    role: str
    action: str
    object_type: str
    object_id: str
    detail: str = ""
    id: int | None = None
    prev_hash: str = ""
    row_hash: str = ""
