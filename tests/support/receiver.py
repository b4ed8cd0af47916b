"""A tiny real HTTP receiver standing in for a CAD endpoint, for outbox tests (no tests here).

It records every POST (headers and body) and answers as told: fail the first ``fail_first``
requests with 503, or hold the first ``hang_first`` requests without answering (a worker
killed while it waits)."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    fail_first: int = 0
    hang_first: int = 0
    hang_seconds: float = 30.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Event = field(default_factory=threading.Event)

    def delivery_ids(self) -> list[str]:
        with self.lock:
            return [r.headers["x-crisis-dispatch-delivery"] for r in self.received]

    def signature_ok(self, item: Received, secret: str) -> bool:
        """What a CAD does: recompute the HMAC over ``<timestamp>.<body>`` and compare."""
        stamp = item.headers["x-crisis-dispatch-timestamp"]
        mac = hmac.new(secret.encode(), stamp.encode() + b"." + item.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest("sha256=" + mac, item.headers["x-crisis-dispatch-signature"])


@contextmanager
def receiving(receiver: Receiver) -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 -- the http.server name
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                receiver.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                n = len(receiver.received)
            receiver.arrived.set()
            if n <= receiver.hang_first:
                threading.Event().wait(receiver.hang_seconds)
                return
            code = 503 if n <= receiver.fail_first else 200
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/eido-updates"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
