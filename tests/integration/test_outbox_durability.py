"""The outbox survives kill -9: of the server after the commit and before any delivery, and of
the server in the middle of a delivery. Nothing is lost; a delivery may arrive twice, always
with the same delivery id (at least once, idempotent for the receiver)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from crisis_dispatch.bootstrap import build, upgrade
from crisis_dispatch.config import Settings
from crisis_dispatch.services import auth, outbox
from crisis_dispatch.services.context import SYSTEM
from tests.cli.helpers import CLI
from tests.support import eido
from tests.support.net import free_port
from tests.support.receiver import Receiver, receiving
from tests.support.server import serving

pytestmark = pytest.mark.slow
SECRET_KEY = "outbox-durability-secret-0123456789"
SHARED = "a-shared-secret-of-the-county-cad"


def _rows(db: Path) -> list[dict]:
    container = build(Settings(db_path=db, secret_key=SECRET_KEY))
    try:
        return outbox.list_outbox(container.ctx, SYSTEM)
    finally:
        container.dispose()


def _wait(predicate, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_kill_9_between_commit_and_delivery_and_during_delivery_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "outbox.sqlite3"
    env = os.environ | {"CRISIS_DISPATCH_SECRET_KEY": SECRET_KEY, "CRISIS_DISPATCH_OUTBOX_LEASE_SECONDS": "1"}
    env.pop("DATABASE_URL", None)
    with receiving(Receiver(hang_first=1, hang_seconds=20)) as cad:
        container = build(Settings(db_path=db, secret_key=SECRET_KEY))
        try:
            upgrade(container.engine)
            key = auth.create_integration(container.ctx, SYSTEM, "county-cad")["api_key"]
            outbox.create_subscription(container.ctx, SYSTEM, cad.url, SHARED)
        finally:
            container.dispose()

        # 1. The server takes the EIDO (commit: incident and outbox row) and dies before delivering.
        port = free_port()
        now = datetime.now(UTC)
        doc = eido.document(
            "urn:emergency:uid:incidentid:kill9:lacounty", now - timedelta(minutes=1), notes=[("k1", "<p>calm</p>")]
        )
        with serving(port, env | {"CRISIS_DISPATCH_OUTBOX_POLL_SECONDS": "0"}, ["--db", str(db)]) as proc:
            r = httpx.post(f"http://127.0.0.1:{port}/api/v1/eido", json=doc, headers={"X-API-Key": key}, timeout=30)
            assert r.status_code == 201, r.text
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        (row,) = _rows(db)
        assert row["state"] == "pending" and row["attempts"] == 0 and cad.received == []

        # 2. A server with its worker picks it up; the CAD holds the request; kill -9 mid-delivery.
        with serving(free_port(), env | {"CRISIS_DISPATCH_OUTBOX_POLL_SECONDS": "0.2"}, ["--db", str(db)]) as proc:
            assert cad.arrived.wait(30), "the worker never delivered"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        (row,) = _rows(db)
        assert row["state"] == "pending" and row["delivered_at"] is None

        # 3. A separate worker process sends it again once the lease is over: delivered.
        worker = subprocess.Popen(
            [*CLI, "outbox", "run", "--db", str(db), "--interval", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait(lambda: _rows(db)[0]["state"] == "delivered", "the delivery after the restart")
        finally:
            worker.kill()
            worker.wait(10)
        ids = cad.delivery_ids()
        assert len(ids) == 2 and ids[0] == ids[1] == row["delivery_id"], ids
        assert all(cad.signature_ok(item, SHARED) for item in cad.received)
