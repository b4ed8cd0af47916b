"""Network helpers for tests that start servers (no tests here)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 the system just picked as free. Nothing holds it: another
    process may take it before the caller binds (callers that care retry)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
