"""Security headers on every response: API answers, pages, static files, errors.

A plain ASGI middleware (not ``BaseHTTPMiddleware``): it only touches the response's start
message, so the live feed's endless stream passes through untouched. Headers a route set
itself win (the pages keep their own Content-Security-Policy).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BASE_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # What is not a page (JSON, files) may load nothing and be framed nowhere.
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
#: Sent only when the app is served over TLS (the ``behind_tls`` setting): browsers then
#: refuse plain HTTP to this host for a year.
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = BASE_HEADERS | ({"Strict-Transport-Security": HSTS} if hsts else {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
