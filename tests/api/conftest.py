from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import MACHINE_ROLES, UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import SYSTEM, Triager
from tests.integration.helpers import T0, staffed_unit
from tests.support.app import add_users, login_tokens, sqlite_container_at

PASSWORD = "test-password-123"


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]
    container: Container
    clock: FixedClock
    crew_unit: str
    #: The API key of the ``cad`` integration account (it has no password and no token).
    cad_key: str = ""

    def h(self, role: str, **extra: str) -> dict[str, str]:
        if role == UserRole.CAD.value:
            return {"X-API-Key": self.cad_key, **extra}
        return {"Authorization": f"Bearer {self.tokens[role]}", **extra}

    def call(self, role: str = "call_taker", **body: Any) -> dict[str, Any]:
        payload = {"lat": 34.05, "lon": -118.25, "narrative": "Man pacing and talking to himself, calm, no weapons."} | body
        r = self.client.post("/api/v1/calls", json=payload, headers=self.h(role))
        assert r.status_code == 201, r.text
        return r.json()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[Api]:
    """The API over a fresh SQLite file: a staffed van, and a user per role logged in
    (login names are the role with '-' for '_'; tokens are keyed by the role's value)."""
    clock = FixedClock(T0)
    with sqlite_container_at(tmp_path_factory.mktemp("api") / "api.sqlite3", clock, triager) as container:
        crew_unit = staffed_unit(container, "TTP-API")
        logins = {role: (role.value.replace("_", "-"), PASSWORD) for role in UserRole if role not in MACHINE_ROLES}
        add_users(container.ctx, logins, "stf-ttp-api-peer_")
        cad_key = auth.create_integration(container.ctx, SYSTEM, "county-cad")["api_key"]
        client = TestClient(create_app(container.settings, container=container))
        tokens = {role.value: token for role, token in login_tokens(client, logins).items()}
        yield Api(client, tokens, container, clock, crew_unit, cad_key)
        client.close()
