"""Users, log-in and bearer tokens. Tokens are random; only their keyed hash is stored.

Failed logins are throttled per account name and per client address, and repeated failures
lock the account (rules in ``crisis_dispatch.domain.logins``); the state is in the database,
so it survives a restart and holds across server processes. Every failure, refusal, lock and
unlock leaves an audit record.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime
from typing import Any

from crisis_dispatch.adapters import totp as totp_codes
from crisis_dispatch.adapters.passwords import common_passwords, hash_password, spend_verify_time, verify_password
from crisis_dispatch.domain.access import MACHINE_ROLES, Permission, UserRole
from crisis_dispatch.domain.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from crisis_dispatch.domain.logins import is_locked, retry_after, seconds_until
from crisis_dispatch.domain.totp import is_replay, matching_step, needs_code
from crisis_dispatch.domain.users import AuditRecord, User, check_password, check_username
from crisis_dispatch.services.ports import UnitOfWork

from . import audit
from .context import Actor, ServiceContext


class AuthenticationFailed(PermissionDenied):
    """Wrong credentials or an unknown/expired token (HTTP 401)."""


class CsrfFailed(PermissionDenied):
    """A cookie-authenticated change without the session's CSRF token (HTTP 403)."""


class TotpRequired(AuthenticationFailed):
    """The password was right but the account logs in with a one-time code too, and none was
    given (HTTP 401). ``challenge`` lets the console ask for the code without the password
    again: it stands for this password check for a few minutes, and for no other login."""

    def __init__(self, message: str, challenge: str = "") -> None:
        super().__init__(message)
        self.challenge = challenge


class WrongTotpCode(AuthenticationFailed):
    """A one-time code that is wrong, too old, or already used (HTTP 401)."""


class LoginThrottled(DomainError):
    """Too many failed logins (HTTP 429); ``retry_after`` seconds until the next try may succeed."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AccountLocked(LoginThrottled):
    """The account is locked after repeated failures (HTTP 429 too, with its Retry-After)."""


def _token_hash(ctx: ServiceContext, token: str) -> str:
    return hmac.new(ctx.token_secret, token.encode(), hashlib.sha256).hexdigest()


def csrf_token(ctx: ServiceContext, session_token: str) -> str:
    """The console's CSRF token for a session: derived from the session token with the secret
    key, so it is per session, needs no storage and ends with the session."""
    return hmac.new(ctx.token_secret, b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def check_csrf(ctx: ServiceContext, session_token: str, given: str | None) -> None:
    if not given or not hmac.compare_digest(given, csrf_token(ctx, session_token)):
        raise CsrfFailed("missing or invalid CSRF token: send the page's token in the X-CSRF-Token header or csrf_token field")


def _check_new_password(password: str, username: str) -> None:
    check_password(password, username, common_passwords())


def create_user(
    ctx: ServiceContext, actor: Actor, username: str, password: str, role: str, staff_id: str | None = None
) -> dict[str, Any]:
    actor.require(Permission.USER_MANAGE)
    try:
        role_ = UserRole(role)
    except ValueError:
        raise InvalidInput(f"unknown role '{role}' (expected one of: {', '.join(r.value for r in UserRole)})") from None
    if role_ in MACHINE_ROLES:
        raise InvalidInput(f"a '{role_.value}' account logs in by API key: create it with 'crisis-dispatch users create-cad'")
    check_username(username)
    _check_new_password(password, username)
    if role_ is UserRole.CREW and not staff_id:
        raise InvalidInput("a crew login must be linked to a staff member (--staff-id)")
    with ctx.uow() as uow:
        if uow.users.by_username(username) is not None:
            raise Conflict(f"user '{username}' already exists")
        if staff_id is not None:
            uow.staff.get(staff_id)
        user = User(
            id=ctx.new_id("USR"),
            username=username,
            password_hash=hash_password(password),
            role=role_,
            created_at=ctx.clock.now(),
            staff_id=staff_id,
        )
        uow.users.add(user)
        audit.record(ctx, uow, actor, "create", "user", [user.id], detail=f"role {role_.value}")
        uow.commit()
    return {"id": user.id, "username": user.username, "role": user.role.value, "staff_id": user.staff_id}


def _audit_login(uow: UnitOfWork, now: datetime, action: str, name: str, user: User | None, detail: str) -> None:
    """A login event: about the user when the name is one, else about the name as typed."""
    uow.audit.add(
        AuditRecord(
            at=now,
            user_id=user.id if user else None,
            username=user.username if user else name,
            role=user.role.value if user else "none",
            action=action,
            object_type="user",
            object_id=user.id if user else f"unknown:{name}"[:80],
            detail=detail,
        )
    )


def _in_minutes(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _throttle(ctx: ServiceContext, uow: UnitOfWork, name: str, address: str, now: datetime) -> LoginThrottled | None:
    policy = ctx.login_policy
    since = now - policy.window
    by_account = retry_after(uow.login_failures.times(since, username=name), policy.max_failures_per_account, policy.window, now)
    by_address = retry_after(
        uow.login_failures.times(since, address=address), policy.max_failures_per_address, policy.window, now
    )
    if by_account is None and by_address is None:
        return None
    wait = max(w for w in (by_account, by_address) if w is not None)
    what = "for this account" if by_account is not None else "from this address"
    return LoginThrottled(f"too many failed logins {what}; try again in {_in_minutes(wait)}", wait)


def _issue_token(ctx: ServiceContext, uow: UnitOfWork, user: User, now: datetime) -> dict[str, Any]:
    token = secrets.token_urlsafe(32)
    expires = now + ctx.token_ttl
    uow.tokens.add(_token_hash(ctx, token), user.id, now, expires)
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_at": expires.isoformat(),
        "user": {"username": user.username, "role": user.role.value, "staff_id": user.staff_id},
    }


def login(
    ctx: ServiceContext,
    username: str,
    password: str,
    address: str = "",
    totp_code: str | None = None,
    challenge: str | None = None,
) -> dict[str, Any]:
    """A bearer token for the right password (and one-time code, when the account needs one).
    Raises :class:`LoginThrottled` (too many recent failures for the account name or the
    client ``address``), :class:`AccountLocked`, :class:`AuthenticationFailed`,
    :class:`TotpRequired` or :class:`WrongTotpCode`. A ``challenge`` from an earlier
    :class:`TotpRequired` stands in for the password."""
    now = ctx.clock.now()
    name, address = username[:63], (address or "unknown")[:64]
    where = f"from {address}"
    # Read, check the password outside any transaction (hashing is slow), then write.
    with ctx.uow() as uow:
        user = uow.users.by_username(name)
        refusal = _throttle(ctx, uow, name, address, now)
        if refusal is None and user is not None and is_locked(user.locked_until, now):
            assert user.locked_until is not None
            wait = seconds_until(user.locked_until, now)
            message = f"account locked after too many failed logins; try again in {_in_minutes(wait)}"
            refusal = AccountLocked(message + " or ask an administrator to unlock it", wait)
        if refusal is not None:
            action = "login_locked" if isinstance(refusal, AccountLocked) else "login_throttled"
            _audit_login(uow, now, action, name, user, f"{where}: {refusal}")
            uow.commit()
            raise refusal
    ok = _password_ok(ctx, user, password, challenge, now)
    with ctx.uow() as uow:
        uow.login_failures.forget(before=now - ctx.login_policy.window)  # keep only what still counts
        if not ok:
            _record_failure(ctx, uow, name, user, address, now)
            uow.commit()
            raise AuthenticationFailed("wrong username or password")
        assert user is not None
        second = _second_factor(ctx, uow, user, totp_code, now)
        if second is not None:
            if isinstance(second, WrongTotpCode):
                _record_failure(ctx, uow, name, user, address, now, why=str(second))
            else:
                _audit_login(uow, now, "login_code_required", name, user, f"{where}: {second}")
            uow.commit()
            raise second
        uow.users.set_lock(user.id, None)
        uow.login_failures.forget(username=name)
        result = _issue_token(ctx, uow, user, now)
        detail = where + (" with a one-time code" if totp_code else "")
        audit.record(ctx, uow, actor_for(user), "login", "user", [user.id], detail=detail)
        uow.commit()
    return result


def _password_ok(ctx: ServiceContext, user: User | None, password: str, challenge: str | None, now: datetime) -> bool:
    """The password is right (or a valid ``challenge`` says it was, moments ago), and the
    account may open a session. An integration account has no password: its API key never
    opens one."""
    if user is None:
        spend_verify_time(password)
        return False
    if not user.active or user.role in MACHINE_ROLES:
        return False
    if challenge:
        return _challenge_ok(ctx, user, challenge, now)
    return verify_password(user.password_hash, password)


#: How long the console's step 2 (the code) may follow step 1 (the password).
CHALLENGE_SECONDS = 300


def _challenge(ctx: ServiceContext, user: User, expires: int) -> str:
    # Bound to the password and to the last code used: a new password, or any login with a
    # code since, makes it worthless.
    message = f"totp-challenge:{user.id}:{user.password_hash}:{user.totp_last_step}:{expires}".encode()
    return f"{expires}.{hmac.new(ctx.token_secret, message, hashlib.sha256).hexdigest()}"


def _challenge_ok(ctx: ServiceContext, user: User, challenge: str, now: datetime) -> bool:
    expires, _, _mac = challenge.partition(".")
    if not expires.isdigit() or int(expires) < now.timestamp() or len(expires) > 12:
        return False
    return hmac.compare_digest(challenge, _challenge(ctx, user, int(expires)))


def _second_factor(
    ctx: ServiceContext, uow: UnitOfWork, user: User, code: str | None, now: datetime
) -> AuthenticationFailed | None:
    """None when the login may go on, else why not: no code given, or a wrong or used one.
    An accepted code's time step is recorded at once, so it opens no second login."""
    if not needs_code(user.role, user.totp_enrolled, ctx.login_policy.require_totp):
        return None
    if user.totp_secret is None:
        return TotpRequired(
            f"a one-time code is required for the {user.role.value} role, and this account has no authenticator "
            "set up: an administrator runs 'crisis-dispatch users totp-enroll " + user.username + "'"
        )
    if not code:
        expires = int(now.timestamp()) + CHALLENGE_SECONDS
        challenge = _challenge(ctx, user, expires)
        return TotpRequired("a one-time code is required: send totp_code from your authenticator app", challenge)
    try:
        secret = totp_codes.unseal(user.totp_secret, ctx.token_secret)
    except totp_codes.UnreadableSecret as e:
        return TotpRequired(f"{e}: an administrator enrols this account again ('crisis-dispatch users totp-enroll')")
    step = matching_step(code.strip(), now, lambda s: totp_codes.code_at(secret, s))
    if step is None:
        return WrongTotpCode("wrong one-time code")
    if is_replay(step, user.totp_last_step) or not uow.users.use_totp_step(user.id, step):
        return WrongTotpCode("wrong one-time code: this code was already used; wait for the next one")
    return None


def _record_failure(
    ctx: ServiceContext, uow: UnitOfWork, name: str, user: User | None, address: str, now: datetime, why: str = ""
) -> None:
    uow.login_failures.add(now, name, address)
    why = why or ("unknown user" if user is None else ("inactive user" if not user.active else "wrong password"))
    _audit_login(uow, now, "login_failed", name, user, f"from {address}: {why}")
    if user is None:
        return
    failures = uow.users.count_failed_login(user.id)
    if failures >= ctx.login_policy.lockout_after:
        until = now + ctx.login_policy.lockout_for
        uow.users.set_lock(user.id, until)
        _audit_login(uow, now, "account_locked", name, user, f"after {failures} failed logins, until {until.isoformat()}")


def unlock_user(ctx: ServiceContext, actor: Actor, username: str) -> dict[str, Any]:
    """An administrator lifts a lockout: the failure count and the account's throttle start afresh."""
    actor.require(Permission.USER_MANAGE)
    with ctx.uow() as uow:
        user = uow.users.by_username(username)
        if user is None:
            raise NotFound(f"user '{username}' not found")
        was_locked = is_locked(user.locked_until, ctx.clock.now())
        uow.users.set_lock(user.id, None)
        uow.login_failures.forget(username=username)
        detail = "was locked" if was_locked else "was not locked"
        audit.record(ctx, uow, actor, "account_unlocked", "user", [user.id], detail=detail)
        uow.commit()
    return {"username": user.username, "was_locked": was_locked}


def change_password(ctx: ServiceContext, actor: Actor, current_password: str, new_password: str) -> dict[str, Any]:
    """The user changes their own password: every session of theirs ends; a fresh token is returned."""
    if actor.user_id is None:
        raise PermissionDenied("only a logged-in user can change their password")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        user = uow.users.get(actor.user_id)
    if not verify_password(user.password_hash, current_password):
        with ctx.uow() as uow:
            audit.record(ctx, uow, actor, "password_change_refused", "user", [user.id], detail="wrong current password")
            uow.commit()
        raise PermissionDenied("the current password is wrong")
    _check_new_password(new_password, user.username)
    if verify_password(user.password_hash, new_password):
        raise InvalidInput("the new password must differ from the current one")
    with ctx.uow() as uow:
        ended = _replace_password(ctx, uow, actor, user, new_password, now)
        result = _issue_token(ctx, uow, user, now)
        uow.commit()
    return result | {"sessions_ended": ended}


def set_password(ctx: ServiceContext, actor: Actor, username: str, new_password: str) -> dict[str, Any]:
    """An administrator sets a user's password (a reset): every session of that user ends."""
    actor.require(Permission.USER_MANAGE)
    with ctx.uow() as uow:
        user = uow.users.by_username(username)
        if user is None:
            raise NotFound(f"user '{username}' not found")
        _check_new_password(new_password, user.username)
        ended = _replace_password(ctx, uow, actor, user, new_password, ctx.clock.now())
        uow.commit()
    return {"username": user.username, "sessions_ended": ended}


def _replace_password(ctx: ServiceContext, uow: UnitOfWork, actor: Actor, user: User, password: str, now: datetime) -> int:
    uow.users.set_password_hash(user.id, hash_password(password))
    ended = uow.tokens.remove_all_of(user.id)
    audit.record(ctx, uow, actor, "password_changed", "user", [user.id], detail=f"{ended} session(s) ended")
    return ended


def actor_for(user: User) -> Actor:
    return Actor(username=user.username, role=user.role, user_id=user.id, staff_id=user.staff_id)


def authenticate(ctx: ServiceContext, token: str) -> Actor:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        uow.read_once()  # every request asks: one query, no transaction around it
        user = uow.users.by_token(_token_hash(ctx, token), now)
        if user is None or not user.active:
            raise AuthenticationFailed("not logged in or the session has expired")
        return actor_for(user)


def logout(ctx: ServiceContext, token: str) -> None:
    with ctx.uow() as uow:
        uow.tokens.remove(_token_hash(ctx, token))
        uow.commit()


def list_audit(
    ctx: ServiceContext, actor: Actor, object_type: str | None = None, object_id: str | None = None
) -> list[dict[str, Any]]:
    actor.require(Permission.AUDIT_READ)
    with ctx.uow() as uow:
        rows = uow.audit.list(object_type=object_type, object_id=object_id)
        return [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "user_id": r.user_id,
                "username": r.username,
                "role": r.role,
                "action": r.action,
                "object_type": r.object_type,
                "object_id": r.object_id,
                "detail": r.detail,
            }
            for r in rows
        ]


# ----------------------------------------------------------------------------- API keys (machine accounts)
#: The header an integration account (the CAD) sends its key in.
API_KEY_HEADER = "X-API-Key"


def create_integration(ctx: ServiceContext, actor: Actor, username: str, role: str = UserRole.CAD.value) -> dict[str, Any]:
    """Create a machine account (role ``cad``) and its API key, shown once: only its Argon2
    hash is stored, as for passwords. The key is ``<username>:<secret>``."""
    actor.require(Permission.USER_MANAGE)
    role_ = UserRole(role)
    if role_ not in MACHINE_ROLES:
        raise InvalidInput(f"'{role}' is not a machine role ({', '.join(sorted(r.value for r in MACHINE_ROLES))})")
    check_username(username)
    secret = secrets.token_urlsafe(32)
    with ctx.uow() as uow:
        if uow.users.by_username(username) is not None:
            raise Conflict(f"user '{username}' already exists")
        user = User(
            id=ctx.new_id("USR"), username=username, password_hash=hash_password(secret), role=role_, created_at=ctx.clock.now()
        )
        uow.users.add(user)
        audit.record(ctx, uow, actor, "create", "user", [user.id], detail=f"role {role_.value}, API key issued")
        uow.commit()
    return {"id": user.id, "username": username, "role": role_.value, "api_key": f"{username}:{secret}"}


def rotate_api_key(ctx: ServiceContext, actor: Actor, username: str) -> dict[str, Any]:
    """A new API key for a machine account; the old one stops working at once."""
    actor.require(Permission.USER_MANAGE)
    secret = secrets.token_urlsafe(32)
    with ctx.uow() as uow:
        user = uow.users.by_username(username)
        if user is None or user.role not in MACHINE_ROLES:
            raise NotFound(f"no integration account '{username}'")
        uow.users.set_password_hash(user.id, hash_password(secret))
        audit.record(ctx, uow, actor, "api_key_rotated", "user", [user.id], detail="new API key issued")
        uow.commit()
    return {"username": username, "api_key": f"{username}:{secret}"}


def authenticate_api_key(ctx: ServiceContext, key: str, address: str = "") -> Actor:
    """The machine account an API key belongs to. A wrong key is refused (401) and audited;
    failures are throttled per address like logins (429), but never lock the account: a
    stranger guessing keys must not cut the CAD off."""
    now = ctx.clock.now()
    name, _, secret = key.strip().partition(":")
    name, address = name[:63], (address or "unknown")[:64]
    with ctx.uow() as uow:
        user = uow.users.by_username(name)
        refusal = _throttle(ctx, uow, f"api-key:{name}"[:63], address, now)
        if refusal is not None:
            _audit_login(uow, now, "api_key_throttled", name, user, f"from {address}: {refusal}")
            uow.commit()
            raise refusal
    if user is None:
        spend_verify_time(secret)
    ok = bool(secret) and user is not None and user.active and user.role in MACHINE_ROLES
    ok = verify_password(user.password_hash, secret) if ok and user is not None else False
    if not ok or user is None:
        with ctx.uow() as uow:
            uow.login_failures.add(now, f"api-key:{name}"[:63], address)
            _audit_login(uow, now, "api_key_failed", name, user, f"from {address}: wrong or unknown API key")
            uow.commit()
        raise AuthenticationFailed(f"wrong or unknown API key (send '{API_KEY_HEADER}: <username>:<secret>')")
    return actor_for(user)
