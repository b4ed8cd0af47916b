"""A configured protocol file is what both the triage engine and the call-taker's form use."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from crisis_dispatch.adapters.protocol_loader import configured_protocol, load_packaged_protocol
from crisis_dispatch.bootstrap import build, upgrade
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import SYSTEM
from tests.integration.helpers import T0

REPO = Path(__file__).resolve().parents[2]


def test_the_form_and_the_triage_engine_read_the_same_configured_protocol(tmp_path: Path) -> None:
    protocol = tmp_path / "narrow.yaml"
    shutil.copy(REPO / "protocols" / "narrow-2019.yaml", protocol)
    settings = Settings(db_path=tmp_path / "p.sqlite3", secret_key="protocol-test-secret-0123456789", protocol_path=protocol)
    container = build(settings, clock=FixedClock(T0))
    upgrade(container.engine)
    auth.create_user(container.ctx, SYSTEM, "taker", "taker-password-123", "call_taker")
    expected = load_packaged_protocol("narrow-2019.yaml").version
    try:
        with TestClient(create_app(settings, container=container)) as client:
            token = client.post("/api/v1/auth/login", json={"username": "taker", "password": "taker-password-123"}).json()[
                "access_token"
            ]
            h = {"Authorization": f"Bearer {token}"}
            form = client.get("/api/v1/protocol", headers=h).json()
            decision = client.post("/api/v1/triage", json={"call_type": "EDP", "narrative": "calm, no weapons"}, headers=h).json()
        assert form["version"] == decision["protocol_version"] == expected
        assert configured_protocol(protocol) is configured_protocol(protocol)  # parsed once per process
    finally:
        container.dispose()
