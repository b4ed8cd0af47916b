"""Schemathesis over the whole OpenAPI, in process (ASGI), as an admin and as a police liaison
(issue 11 item 5): no answer is a 5xx, and every answer conforms to the schema the API
publishes (its documented body and content type). A bounded number of examples per
operation keeps the run under two minutes on this machine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import checks

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import incidents
from crisis_dispatch.services.context import SYSTEM, Triager
from crisis_dispatch.services.incidents import CallIntake
from tests.integration.helpers import CALM_CALL, T0, staffed_unit
from tests.support.app import add_users, login_tokens, sqlite_container_at

#: Examples Hypothesis draws per operation and role.
EXAMPLES = 8
#: Not fuzzed: the live feed never ends (tests/console/test_feed_stream.py holds it), logging
#: out would end the session the run uses, and a changed password would end every one.
SKIPPED = {("GET", "/api/v1/events"), ("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/password")}
#: What is asserted on every answer: not a 5xx, and the documented body and content type.
#: (Not asserted: that every status code is documented; FastAPI documents 200 and 422 only,
#: while the API also answers 401, 403, 404, 409, 413 and 429 in its error shape.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.response_schema_conformance,
    checks.content_type_conformance,
]
ROLES = [UserRole.ADMIN, UserRole.POLICE_LIAISON]


@dataclass
class Fuzzed:
    app: Any
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[Fuzzed]:
    with sqlite_container_at(tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3", FixedClock(T0), triager) as container:
        staffed_unit(container, "TTP-FZ")
        logins = {role: (role.value.replace("_", "-"), "fuzz-password-123") for role in ROLES}
        add_users(container.ctx, logins, "stf-ttp-fz-peer_")
        for narrative in (CALM_CALL["narrative"], "He has a gun and is threatening his brother."):
            incidents.take_call(container.ctx, SYSTEM, CallIntake(**(CALM_CALL | {"narrative": narrative})))
        app = create_app(container.settings, container=container)
        with TestClient(app) as client:
            tokens = {role.value: token for role, token in login_tokens(client, logins).items()}
        yield Fuzzed(app, tokens)


@pytest.fixture(scope="module")
def api_schema(fuzzed: Fuzzed) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzzed.app)


schema = schemathesis.pytest.from_fixture("api_schema")


def _fuzz(case: Any, fuzzed: Fuzzed, role: UserRole) -> None:
    if (case.method.upper(), case.path) in SKIPPED:
        return
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzzed.tokens[role.value]}"}, checks=CHECKS)


FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.mark.slow
@schema.parametrize()
@FUZZ
def test_as_an_admin_no_5xx_and_every_answer_as_documented(case: Any, fuzzed: Fuzzed) -> None:
    _fuzz(case, fuzzed, UserRole.ADMIN)


@pytest.mark.slow
@schema.parametrize()
@FUZZ
def test_as_a_police_liaison_no_5xx_and_every_answer_as_documented(case: Any, fuzzed: Fuzzed) -> None:
    _fuzz(case, fuzzed, UserRole.POLICE_LIAISON)


def test_an_unreadable_body_is_refused_in_the_api_error_shape_with_a_documented_status(fuzzed: Fuzzed) -> None:
    """Found by Schemathesis: FastAPI's own 400 for a body that is not UTF-8 came as
    ``{"detail": ...}`` alone, with a status the OpenAPI did not document."""
    with TestClient(fuzzed.app) as client:
        r = client.post(
            "/api/v1/calls",
            content=b"\xff\xfe{not json",
            headers={"Authorization": f"Bearer {fuzzed.tokens['admin']}", "Content-Type": "application/json"},
        )
        documented = client.get("/openapi.json").json()["paths"]["/api/v1/calls"]["post"]["responses"]
    assert r.status_code == 400 and r.json() == {"detail": "There was an error parsing the body", "error": "BadRequest"}
    assert documented["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}
    assert documented["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}
