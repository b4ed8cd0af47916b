"""The real server as a process, for tests that kill it or run two (no tests here)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx

from tests.cli.helpers import CLI

START_TIMEOUT_S = 60


@contextmanager
def serving(port: int, env: dict[str, str], args: Sequence[str] = ()) -> Iterator[subprocess.Popen[bytes]]:
    """``crisis-dispatch serve`` on ``port`` with ``args`` (``--db FILE``, ``--workers N``; the
    database from ``DATABASE_URL`` in ``env`` without ``--db``), ready to answer; killed on
    leaving."""
    proc = subprocess.Popen(
        [*CLI, "serve", *args, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"server did not start in {START_TIMEOUT_S} s")
            time.sleep(0.05)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()


def create_user(env: dict[str, str], username: str, role: str, password: str, db_args: Sequence[str] = ()) -> None:
    """``crisis-dispatch users create`` as a process (the password on standard input)."""
    made = subprocess.run(
        [*CLI, "users", "create", username, "--role", role, "--password-stdin", *db_args],
        input=(password + "\n").encode(),
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr.decode()


def login(base: str, username: str, password: str) -> str:
    """An access token from ``POST {base}/auth/login``."""
    r = httpx.post(f"{base}/auth/login", json={"username": username, "password": password}, timeout=30)
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])
