"""ASGI middleware that guards every request before any route reads it.

* :class:`BodySizeLimit` refuses a body over the cap (``max_body_bytes``, 1 MB by default) with
  413. It refuses at once when ``Content-Length`` says so, and otherwise *counts the body as it
  streams in* (a chunked upload has no length, and a length can lie): the body is buffered up
  to the cap and handed to the app only once it is known to fit, so nothing is parsed first.
* :class:`CleanUrl` refuses a control character in the decoded path or query string with 422
  (``/incidents/INC-%00``: PostgreSQL answers a NUL in a query parameter with an error).

Both answer in the API's error shape: ``{"detail": ..., "error": ...}``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crisis_dispatch.domain.limits import text_problem


async def _answer(send: Send, status: int, detail: str, error: str, **extra: Any) -> None:
    body = json.dumps({"detail": detail, "error": error, **extra}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> str:
    return f"request body too large: at most {limit} bytes ({limit / 1_048_576:.2g} MB) are accepted"


class BodySizeLimit:
    """413 for a request body over ``max_bytes``, counted as it arrives."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_bytes:
            await _answer(send, 413, _too_large(self.max_bytes), "PayloadTooLarge")
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client left before sending it all: let the app see the disconnect.
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _answer(send, 413, _too_large(self.max_bytes), "PayloadTooLarge")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """``messages`` first, then whatever ``receive`` brings (a disconnect, for a live feed)."""
    pending = list(messages)

    async def next_message() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return next_message


class CleanUrl:
    """422 for a control character in the path or in a query parameter (name or value)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = self._problem(scope)
            if problem is not None:
                await _answer(send, 422, f"invalid request: {problem}", "ValidationError", problems=[problem])
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _problem(scope: Scope) -> str | None:
        path_problem = text_problem(scope.get("path", ""))
        if path_problem is not None:
            return f"path: {path_problem}"
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True, errors="surrogateescape"):
            label = name if text_problem(name) is None else "query parameter name"
            problem = text_problem(name) or text_problem(value)
            if problem is not None:
                return f"{label}: {problem}"
        return None
