"""Enrolling the second factor (TOTP): by an administrator on the command line, or by the
logged-in user through the API in two steps (a new secret, then a first code that proves
the authenticator app has it). The login itself checks codes in ``services/auth.py``.

The secret is shown once, when it is made; it is stored encrypted (``adapters/totp.py``),
never returned again and never written to the audit or a log.
"""

from __future__ import annotations

from typing import Any

from crisis_dispatch.adapters import totp as totp_codes
from crisis_dispatch.adapters.passwords import verify_password
from crisis_dispatch.domain.access import MACHINE_ROLES, Permission
from crisis_dispatch.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crisis_dispatch.domain.totp import matching_step, needs_code
from crisis_dispatch.domain.users import User

from . import audit
from .context import Actor, ServiceContext


def enroll_by_admin(ctx: ServiceContext, actor: Actor, username: str) -> dict[str, Any]:
    """A new secret for ``username``, active at once (it replaces any earlier one): what an
    administrator hands the user, e.g. before ``require_totp`` is turned on or after a
    lost phone. The answer carries the ``otpauth://`` URI, once."""
    actor.require(Permission.USER_MANAGE)
    secret = totp_codes.new_secret()
    with ctx.uow() as uow:
        user = uow.users.by_username(username)
        if user is None:
            raise NotFound(f"user '{username}' not found")
        _refuse_machine(user)
        replaced = user.totp_enrolled
        sealed = totp_codes.seal(secret, ctx.token_secret)
        uow.users.set_totp(user.id, totp_secret=sealed, totp_pending=None, totp_last_step=None)
        detail = "by an administrator" + (", replacing the earlier authenticator" if replaced else "")
        audit.record(ctx, uow, actor, "totp_enrolled", "user", [user.id], detail=detail)
        uow.commit()
    return {"username": user.username, "otpauth_uri": totp_codes.provisioning_uri(secret, user.username), "replaced": replaced}


def status(ctx: ServiceContext, actor: Actor) -> dict[str, Any]:
    """Whether the logged-in user has a second factor, is enrolling one, and must have one."""
    user = _me(ctx, actor)
    return {
        "enrolled": user.totp_enrolled,
        "pending": user.totp_pending is not None,
        "required": needs_code(user.role, False, ctx.login_policy.require_totp),
    }


def start(ctx: ServiceContext, actor: Actor, password: str) -> dict[str, Any]:
    """Step 1 of enrolling oneself (the current password again, as for a password change):
    a new secret, pending until :func:`confirm`. Returns the secret and its ``otpauth://``
    URI: the only time they are shown."""
    user = _me(ctx, actor)
    _refuse_machine(user)
    if not verify_password(user.password_hash, password):
        with ctx.uow() as uow:
            audit.record(ctx, uow, actor, "totp_enrolment_refused", "user", [user.id], detail="wrong current password")
            uow.commit()
        raise PermissionDenied("the current password is wrong")
    if user.totp_enrolled:
        raise Conflict("an authenticator is already set up for you; an administrator replaces it (users totp-enroll)")
    secret = totp_codes.new_secret()
    with ctx.uow() as uow:
        uow.users.set_totp(user.id, totp_pending=totp_codes.seal(secret, ctx.token_secret))
        audit.record(ctx, uow, actor, "totp_enrolment_started", "user", [user.id])
        uow.commit()
    return {"secret": secret, "otpauth_uri": totp_codes.provisioning_uri(secret, user.username), "active": False}


def confirm(ctx: ServiceContext, actor: Actor, code: str) -> dict[str, Any]:
    """Step 2: the first code from the app. Right, the secret becomes the account's second
    factor (that code is spent); wrong, it stays pending (422) and the refusal is audited."""
    user = _me(ctx, actor)
    if user.totp_pending is None:
        raise Conflict("no enrolment in progress: start one with POST /api/v1/auth/totp/enroll")
    now = ctx.clock.now()
    secret = totp_codes.unseal(user.totp_pending, ctx.token_secret)
    step = matching_step(code.strip(), now, lambda s: totp_codes.code_at(secret, s))
    with ctx.uow() as uow:
        if step is None:
            audit.record(ctx, uow, actor, "totp_enrolment_failed", "user", [user.id], detail="wrong one-time code")
            uow.commit()
            raise InvalidInput("wrong one-time code: enter the 6 digits your authenticator app shows now")
        uow.users.set_totp(user.id, totp_secret=user.totp_pending, totp_pending=None, totp_last_step=step)
        audit.record(ctx, uow, actor, "totp_enrolled", "user", [user.id], detail="confirmed with a first code")
        uow.commit()
    return {"active": True}


def _me(ctx: ServiceContext, actor: Actor) -> User:
    if actor.user_id is None:
        raise PermissionDenied("only a logged-in user has a second factor")
    with ctx.uow() as uow:
        return uow.users.get(actor.user_id)


def _refuse_machine(user: User) -> None:
    if user.role in MACHINE_ROLES:
        raise InvalidInput(f"a '{user.role.value}' account logs in by API key and has no one-time codes")
