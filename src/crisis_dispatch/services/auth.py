"""Users, log-in and bearer tokens. Tokens are random; only their keyed hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from crisis_dispatch.adapters.passwords import hash_password, verify_password
from crisis_dispatch.domain.access import Permission, UserRole
from crisis_dispatch.domain.errors import Conflict, InvalidInput, PermissionDenied
from crisis_dispatch.domain.users import User, check_password, check_username

from . import audit
from .context import Actor, ServiceContext


class AuthenticationFailed(PermissionDenied):
    """Wrong credentials or an unknown/expired token (HTTP 401)."""


def _token_hash(ctx: ServiceContext, token: str) -> str:
    return hmac.new(ctx.token_secret, token.encode(), hashlib.sha256).hexdigest()


def create_user(
    ctx: ServiceContext, actor: Actor, username: str, password: str, role: str, staff_id: str | None = None
) -> dict[str, Any]:
    actor.require(Permission.USER_MANAGE)
    try:
        role_ = UserRole(role)
    except ValueError:
        raise InvalidInput(f"unknown role '{role}' (expected one of: {', '.join(r.value for r in UserRole)})") from None
    check_username(username)
    check_password(password)
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


def login(ctx: ServiceContext, username: str, password: str) -> dict[str, Any]:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        user = uow.users.by_username(username)
        if user is None or not user.active or not verify_password(user.password_hash, password):
            raise AuthenticationFailed("wrong username or password")
        token = secrets.token_urlsafe(32)
        expires = now + ctx.token_ttl
        uow.tokens.add(_token_hash(ctx, token), user.id, now, expires)
        actor = actor_for(user)
        audit.record(ctx, uow, actor, "login", "user", [user.id])
        uow.commit()
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_at": expires.isoformat(),
        "user": {"username": user.username, "role": user.role.value, "staff_id": user.staff_id},
    }


def actor_for(user: User) -> Actor:
    return Actor(username=user.username, role=user.role, user_id=user.id, staff_id=user.staff_id)


def authenticate(ctx: ServiceContext, token: str) -> Actor:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        user_id = uow.tokens.user_id_for(_token_hash(ctx, token), now)
        user = uow.users.find(user_id) if user_id else None
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
