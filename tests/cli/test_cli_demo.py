"""`crisis-dispatch demo` as a newcomer runs it: it serves, prints logins, and the floor fills."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.cli.helpers import CLI
from tests.support.net import free_port


@pytest.mark.slow
def test_demo_serves_la_with_a_live_feed_that_gets_calls_worked(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {"COLUMNS": "200"}
    env.pop("DATABASE_URL", None)
    env.pop("CRISIS_DISPATCH_SECRET_KEY", None)  # demo mode needs no secret
    proc = subprocess.Popen(
        [*CLI, "demo", "--port", str(port), "--db", str(tmp_path / "demo.sqlite3"), "--speed", "3600"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        token = None
        closed_with_outcome = []
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                if token is None:
                    r = httpx.post(
                        f"{base}/api/v1/auth/login",
                        json={"username": "supervisor", "password": "supervisor-demo-pass"},
                        timeout=2,
                    )
                    token = r.json()["access_token"] if r.status_code == 200 else None
                if token:
                    incidents = httpx.get(
                        f"{base}/api/v1/incidents?limit=500", headers={"Authorization": f"Bearer {token}"}, timeout=5
                    ).json()
                    closed_with_outcome = [i for i in incidents if i["status"] == "closed" and i["outcome"]]
                    if closed_with_outcome:
                        break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        assert closed_with_outcome, "no call was dispatched, worked and closed by the live feed within 60 s"
        assert httpx.get(f"{base}/console", timeout=5, follow_redirects=False).status_code in (200, 302, 303, 307)
        # The demo's clock runs as fast as its feed: a real second apart, two calls are received
        # about 3,600 simulated seconds apart.
        received, real = [], []
        for _ in range(2):
            before = time.monotonic()
            r = httpx.post(
                f"{base}/api/v1/calls",
                json={"lat": 34.05, "lon": -118.25, "narrative": "Man talking to himself, calm"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=5,
            )
            real.append((before + time.monotonic()) / 2)
            assert r.status_code == 201, r.text
            received.append(datetime.fromisoformat(r.json()["timestamps"]["received_at"]))
            time.sleep(1.0)
        ratio = (received[1] - received[0]).total_seconds() / (real[1] - real[0])
        assert 3600 * 0.7 < ratio < 3600 * 1.3, ratio
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "dispatcher-demo-pass" in out and f"http://127.0.0.1:{port}" in out
