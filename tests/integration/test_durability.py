"""An incident acknowledged by the API survives ``kill -9`` of the server process."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
import pytest

from tests.support.net import free_port
from tests.support.server import create_user, serving


@pytest.mark.slow
def test_an_acknowledged_incident_survives_kill_9_and_restart(tmp_path: Path) -> None:
    db = tmp_path / "durable.sqlite3"
    env = os.environ | {"CRISIS_DISPATCH_SECRET_KEY": "durability-test-secret-0123456789"}
    env.pop("DATABASE_URL", None)
    create_user(env, "dana", "dispatcher", "correct horse battery", ["--db", str(db)])
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    with serving(port, env, ["--db", str(db)]) as proc:
        token = httpx.post(f"{base}/auth/login", json={"username": "dana", "password": "correct horse battery"}).json()[
            "access_token"
        ]
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "durable-1"}
        created = httpx.post(
            f"{base}/calls",
            json={"lat": 34.05, "lon": -118.25, "narrative": "Woman crying, says she feels hopeless; no weapons."},
            headers=headers,
        )
        assert created.status_code == 201, created.text
        incident_id = created.json()["id"]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    with serving(port, env, ["--db", str(db)]):
        # The old token is still valid: sessions are stored, not kept in memory.
        got = httpx.get(f"{base}/incidents/{incident_id}", headers={"Authorization": f"Bearer {token}"})
        assert got.status_code == 200, got.text
        assert got.json()["id"] == incident_id
        again = httpx.post(
            f"{base}/calls",
            json={"lat": 34.05, "lon": -118.25, "narrative": "Woman crying, says she feels hopeless; no weapons."},
            headers=headers,
        )
        assert again.status_code == 200 and again.json()["id"] == incident_id
