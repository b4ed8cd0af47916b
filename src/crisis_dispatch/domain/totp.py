"""Rules of the second factor: time-based one-time codes (TOTP, RFC 6238).

Who must give a code, which time steps a code may come from, and that no code counts twice.
The codes themselves are computed by an adapter (``adapters/totp.py``, pyotp); the rules here
take them as a function of the time step, so they stay pure.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime

from .access import UserRole

#: The roles that must log in with a code when the setting ``require_totp`` is on.
TOTP_ROLES = frozenset({UserRole.ADMIN, UserRole.SUPERVISOR})
#: Seconds per time step (RFC 6238's default, what every authenticator app uses).
STEP_SECONDS = 30
#: Steps either side of now a code may come from: a phone's clock a little off, or a code
#: typed just as it changed (RFC 6238 section 5.2 recommends at most one step back).
DRIFT_STEPS = 1
CODE_DIGITS = 6


def needs_code(role: UserRole, enrolled: bool, required: bool) -> bool:
    """Whether a login must present a code: always once the user has enrolled, and for
    admins and supervisors when ``required`` (the setting) is on, enrolled or not."""
    return enrolled or (required and role in TOTP_ROLES)


def time_step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def well_formed(code: str) -> bool:
    return len(code) == CODE_DIGITS and code.isascii() and code.isdigit()


def matching_step(code: str, now: datetime, code_at: Callable[[int], str], drift: int = DRIFT_STEPS) -> int | None:
    """The time step whose code ``code`` is (``code_at(step)`` gives each step's code), within
    ``drift`` steps of ``now``; None when it is none of them. The current step is tried first."""
    if not well_formed(code):
        return None
    current = time_step(now)
    for step in sorted(range(current - drift, current + drift + 1), key=lambda s: abs(s - current)):
        if hmac.compare_digest(code_at(step), code):
            return step
    return None


def is_replay(step: int, last_used_step: int | None) -> bool:
    """A code of a step not after the last one used is refused: each code opens one login,
    and an older code seen over a shoulder opens none."""
    return last_used_step is not None and step <= last_used_step
