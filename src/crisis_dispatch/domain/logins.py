"""Rules for failed logins: throttling per account and per client address, and lockout.

Pure functions over timestamps; the service reads the failures from the database (so the
state survives a restart and is shared by every server process) and passes ``now``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LoginPolicy:
    #: Failed logins allowed per account name within ``window``; the next attempt is refused (429).
    max_failures_per_account: int = 5
    #: Failed logins allowed from one client address within ``window`` (any account names).
    max_failures_per_address: int = 20
    window: timedelta = timedelta(minutes=15)
    #: Consecutive failed logins (since the last success or unlock) that lock the account.
    lockout_after: int = 10
    lockout_for: timedelta = timedelta(minutes=30)
    #: Admins and supervisors must log in with a one-time code too (``domain/totp.py``).
    require_totp: bool = False

    def __post_init__(self) -> None:
        if min(self.max_failures_per_account, self.max_failures_per_address, self.lockout_after) < 1:
            raise ValueError("login limits must be at least 1")
        if self.window <= timedelta(0) or self.lockout_for <= timedelta(0):
            raise ValueError("login windows must be positive")


def seconds_until(moment: datetime, now: datetime) -> int:
    """Whole seconds from ``now`` until ``moment`` (at least 1: a Retry-After of 0 invites a retry loop)."""
    return max(1, math.ceil((moment - now).total_seconds()))


def retry_after(failures: Sequence[datetime], limit: int, window: timedelta, now: datetime) -> int | None:
    """Seconds until one more attempt is allowed, or None when it is allowed now.

    ``failures`` are the times of the failed attempts; those within ``window`` before ``now``
    count. With ``limit`` or more of them the next attempt waits until the oldest of the newest
    ``limit`` leaves the window (then fewer than ``limit`` remain)."""
    recent = sorted((t for t in failures if t > now - window), reverse=True)
    if len(recent) < limit:
        return None
    return seconds_until(recent[limit - 1] + window, now)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now
