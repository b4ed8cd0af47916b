"""Domain errors become 4xx responses with a readable ``detail``; never a traceback."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

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


class ApiError(BaseModel):
    """Every refusal of the API: a readable ``detail``, the kind of ``error``, and for invalid
    input the ``problems`` one by one."""

    detail: str
    error: str
    problems: list[str] | None = None


#: The refusals any route may answer, documented on every route of the API (OpenAPI).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ApiError, "description": description}
    for code, description in (
        (400, "the body could not be read (not UTF-8 or not JSON)"),
        (401, "not logged in, or the session ended"),
        (403, "the role may not do this"),
        (404, "no such object (or not one this role may see)"),
        (409, "the object changed meanwhile, or is in a state that does not allow this"),
        (413, "the request body is larger than allowed"),
        (422, "invalid input, named field by field"),
        (429, "too many failed logins; see Retry-After"),
    )
}


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

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        """Starlette's and FastAPI's own refusals (an unreadable body, an unknown path) in the
        same shape as ours."""
        error = {s.value: s.phrase.replace(" ", "") for s in HTTPStatus}.get(exc.status_code, "HTTPError")
        return JSONResponse({"detail": str(exc.detail), "error": error}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{_location(tuple(e.get('loc', ())))}: {e.get('msg', 'invalid')}" for e in exc.errors()]
        return JSONResponse(
            {"detail": "invalid request: " + "; ".join(problems), "error": "ValidationError", "problems": problems},
            status_code=422,
        )
