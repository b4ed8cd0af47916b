"""Typed dependencies: the service context and the acting user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from crisis_dispatch.services import auth
from crisis_dispatch.services.context import Actor, ServiceContext

SESSION_COOKIE = "cd_session"


def get_ctx(request: Request) -> ServiceContext:
    return request.app.state.container.ctx


CtxDep = Annotated[ServiceContext, Depends(get_ctx)]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(SESSION_COOKIE)


def current_actor(request: Request, ctx: CtxDep) -> Actor:
    token = bearer_token(request)
    if not token:
        raise auth.AuthenticationFailed("log in first: send 'Authorization: Bearer <token>' (POST /api/v1/auth/login)")
    return auth.authenticate(ctx, token)


ActorDep = Annotated[Actor, Depends(current_actor)]


def set_session_cookie(response: Response, request: Request, ctx: ServiceContext, token: str) -> None:
    """The login token as an HttpOnly, SameSite=strict cookie for the console's pages."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=int(ctx.token_ttl.total_seconds()),
    )
