from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisis_dispatch.bootstrap import Container, build, upgrade
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import SYSTEM, Triager
from tests.integration.helpers import T0, staffed_unit

PASSWORD = "test-password-123"


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]
    container: Container
    clock: FixedClock
    crew_unit: str

    def h(self, role: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}", **extra}

    def call(self, role: str = "call_taker", **body: Any) -> dict[str, Any]:
        payload = {"lat": 34.05, "lon": -118.25, "narrative": "Man pacing and talking to himself, calm, no weapons."} | body
        r = self.client.post("/api/v1/calls", json=payload, headers=self.h(role))
        assert r.status_code == 201, r.text
        return r.json()


def _build(settings: Settings, triager: Triager) -> Iterator[Api]:
    clock = FixedClock(T0)
    container = build(settings, clock=clock, triager=triager)
    upgrade(container.engine)
    crew_unit = staffed_unit(container, "TTP-API")
    for role in UserRole:
        staff_id = "stf-ttp-api-peer_" if role is UserRole.CREW else None
        auth.create_user(container.ctx, SYSTEM, role.value.replace("_", "-"), PASSWORD, role.value, staff_id)
    client = TestClient(create_app(settings, container=container))
    tokens = {}
    for role in UserRole:
        r = client.post("/api/v1/auth/login", json={"username": role.value.replace("_", "-"), "password": PASSWORD})
        assert r.status_code == 200, r.text
        tokens[role.value] = r.json()["access_token"]
    client.cookies.clear()
    yield Api(client, tokens, container, clock, crew_unit)
    client.close()
    container.dispose()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[Api]:
    path: Path = tmp_path_factory.mktemp("api") / "api.sqlite3"
    yield from _build(Settings(db_path=path, secret_key="api-test-secret-0123456789"), triager)
