"""Typed dependencies: the service context and the acting user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from crisis_dispatch.services import auth
from crisis_dispatch.services.context import Actor, ServiceContext

SESSION_COOKIE = "cd_session"
#: The console sends its session's CSRF token in this header (forms: the ``csrf_token`` field).
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
#: Methods that change nothing: no CSRF token needed.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_ctx(request: Request) -> ServiceContext:
    return request.app.state.container.ctx


async def _ctx(request: Request) -> ServiceContext:
    """``get_ctx`` as a dependency: async, since it does no I/O, so FastAPI calls it on the
    event loop instead of handing it to a worker thread and back on every request."""
    return get_ctx(request)


CtxDep = Annotated[ServiceContext, Depends(_ctx)]


def header_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def bearer_token(request: Request) -> str | None:
    """The session token: the Authorization header's, else the console's cookie."""
    return header_token(request) or request.cookies.get(SESSION_COOKIE)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def current_actor(request: Request, ctx: CtxDep) -> Actor:
    api_key = request.headers.get(auth.API_KEY_HEADER)
    if api_key is not None:
        # An integration account (the CAD): no session, no cookie, so no CSRF to check.
        return auth.authenticate_api_key(ctx, api_key, client_address(request))
    token = header_token(request)
    from_cookie = token is None
    token = token or request.cookies.get(SESSION_COOKIE)
    if not token:
        raise auth.AuthenticationFailed("log in first: send 'Authorization: Bearer <token>' (POST /api/v1/auth/login)")
    actor = auth.authenticate(ctx, token)
    # A browser sends the cookie by itself: a change made with it must prove it comes from our page.
    if from_cookie and request.method not in SAFE_METHODS:
        auth.check_csrf(ctx, token, request.headers.get(CSRF_HEADER))
    return actor


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
