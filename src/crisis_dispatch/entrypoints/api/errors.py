"""Domain errors become 4xx responses with a readable ``detail``; never a traceback."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from crisis_dispatch.domain.errors import (
    Conflict,
    DomainError,
    IllegalTransition,
    InvalidDocument,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from crisis_dispatch.services.auth import AuthenticationFailed, LoginThrottled

STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (LoginThrottled, 429),
    (AuthenticationFailed, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (IllegalTransition, 409),
    (Conflict, 409),
    (InvalidInput, 422),
)


def status_for(exc: DomainError) -> int:
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 400


def _location(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "request"


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        code = status_for(exc)
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
        if isinstance(exc, LoginThrottled):
            headers = {"Retry-After": str(exc.retry_after)}
        body: dict[str, object] = {"detail": str(exc), "error": type(exc).__name__}
        if isinstance(exc, InvalidDocument):
            body["problems"] = exc.problems
        return JSONResponse(body, status_code=code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{_location(tuple(e.get('loc', ())))}: {e.get('msg', 'invalid')}" for e in exc.errors()]
        return JSONResponse(
            {"detail": "invalid request: " + "; ".join(problems), "error": "ValidationError", "problems": problems},
            status_code=422,
        )
