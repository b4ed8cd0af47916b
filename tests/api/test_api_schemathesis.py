"""Schemathesis over the whole OpenAPI, in process (ASGI), as every role, on SQLite and on
PostgreSQL, with its stateful phase (issue 11 item 5): no answer is a 5xx, and every answer
conforms to the schema the API publishes (its documented status codes, body and content type).

Two phases per database:

* every operation on its own: each example Hypothesis draws for an operation is sent once as
  each of the nine roles (the same input reaches each role's checks, scopes and read models);
* stateful: Schemathesis chains operations through the links it infers from the OpenAPI (an
  incident created by ``POST /calls`` is then read, assigned, noted, closed ...), a run of
  scenarios per role.

The examples per operation and the scenarios per role are bounded so that the whole file runs
in about four minutes on this machine (docs/security.md, "Fuzzing the API")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from sqlalchemy import text

from crisis_dispatch.bootstrap import Container, build, upgrade
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.access import MACHINE_ROLES, UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.services import auth, incidents
from crisis_dispatch.services.context import SYSTEM, Triager
from crisis_dispatch.services.incidents import CallIntake
from tests.integration.helpers import CALM_CALL, T0, staffed_unit
from tests.support.app import TEST_SECRET, add_users, login_tokens

#: Examples Hypothesis draws per operation (each sent as every role).
EXAMPLES = 2
#: Stateful scenarios per role and database, and the most steps in one.
SCENARIOS = 3
STEPS = 6
#: Not fuzzed: the live feed never ends (tests/console/test_feed_stream.py holds it), logging
#: out would end the session the run uses, and a changed password would end every one.
SKIPPED = {("GET", "/api/v1/events"), ("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/password")}
#: What is asserted on every answer: not a 5xx, a documented status code, and the documented
#: body and content type.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.response_schema_conformance,
    checks.content_type_conformance,
]
#: Every role, the CAD's machine account included.
ROLES = list(UserRole)
PASSWORD = "fuzz-password-123"


@dataclass
class Fuzzed:
    app: Any
    #: The headers that authenticate each role (a bearer token; the CAD's API key).
    headers: dict[UserRole, dict[str, str]]
    database: str


def _container(request: pytest.FixtureRequest, tmp: Path, triager: Triager) -> Container:
    if request.param == "sqlite":
        container = build(Settings(db_path=tmp / "fuzz.sqlite3", secret_key=TEST_SECRET), clock=FixedClock(T0), triager=triager)
        upgrade(container.engine)
        return container
    url = request.getfixturevalue("_pg_migrated")
    container = build(Settings(database_url=url, secret_key=TEST_SECRET), clock=FixedClock(T0), triager=triager)
    from crisis_dispatch.adapters.orm import metadata

    with container.engine.begin() as conn:  # the session's cluster: start from empty tables
        conn.execute(text(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)} RESTART IDENTITY CASCADE"))
    return container


def _cheap_hashes(container: Container, secrets: dict[str, str]) -> None:
    """Every fuzzed account's password (and the CAD's key, checked on each of its requests)
    hashed with Argon2's smallest cost instead of the production default (tens of milliseconds
    per check, spent again by each fuzzed login and enrolment): the checks run the same code,
    the run spends its time on the API. A hash carries its parameters, so verify reads them."""
    from argon2 import PasswordHasher

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with container.ctx.uow() as uow:
        for name, secret in secrets.items():
            user = uow.users.by_username(name)
            assert user is not None
            uow.users.set_password_hash(user.id, cheap.hash(secret))
        uow.commit()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[Fuzzed]:
    """The app over a database with a staffed van, two incidents and a login per role."""
    container = _container(request, tmp_path_factory.mktemp("fuzz"), triager)
    try:
        staffed_unit(container, "TTP-FZ")
        logins = {role: (role.value.replace("_", "-"), PASSWORD) for role in ROLES if role not in MACHINE_ROLES}
        add_users(container.ctx, logins, "stf-ttp-fz-peer_")
        cad_key = auth.create_integration(container.ctx, SYSTEM, "county-cad")["api_key"]
        _cheap_hashes(container, dict(logins.values()) | dict([cad_key.split(":", 1)]))
        for narrative in (CALM_CALL["narrative"], "He has a gun and is threatening his brother."):
            incidents.take_call(container.ctx, SYSTEM, CallIntake(**(CALM_CALL | {"narrative": narrative})))
        app = create_app(container.settings, container=container)
        with TestClient(app) as client:
            tokens = login_tokens(client, logins)
        headers = {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}
        headers[UserRole.CAD] = {"X-API-Key": cad_key}
        yield Fuzzed(app, headers, str(request.param))
    finally:
        container.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed: Fuzzed) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzzed.app)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@pytest.mark.timeout(1200)  # one item per database runs every operation (about 2 min when the machine is idle)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
)
def test_every_operation_as_every_role_no_5xx_and_every_answer_as_documented(case: Any, fuzzed: Fuzzed) -> None:
    if (case.method.upper(), case.path) in SKIPPED:
        return
    for role in ROLES:
        case.call_and_validate(headers=fuzzed.headers[role], checks=CHECKS)


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_stateful_sequences_as_each_role_no_5xx(api_schema: Any, fuzzed: Fuzzed, role: UserRole) -> None:
    """Operations chained through the links Schemathesis infers from the OpenAPI."""
    machine_base = api_schema.exclude(
        path_regex="^/api/v1/(events|auth/logout|auth/password)$",
    ).as_state_machine()
    headers = fuzzed.headers[role]
    answered: list[int] = []

    class AsRole(machine_base):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def after_call(self, response: Any, case: Any) -> None:
            answered.append(response.status_code)

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    AsRole.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            phases=[Phase.generate],
        )
    )
    assert len(answered) >= 2 * SCENARIOS  # every scenario chains at least two calls


def test_an_unreadable_body_is_refused_in_the_api_error_shape_with_a_documented_status(fuzzed: Fuzzed) -> None:
    """Found by Schemathesis: FastAPI's own 400 for a body that is not UTF-8 came as
    ``{"detail": ...}`` alone, with a status the OpenAPI did not document."""
    with TestClient(fuzzed.app) as client:
        r = client.post(
            "/api/v1/calls",
            content=b"\xff\xfe{not json",
            headers=fuzzed.headers[UserRole.ADMIN] | {"Content-Type": "application/json"},
        )
        documented = client.get("/openapi.json").json()["paths"]["/api/v1/calls"]["post"]["responses"]
    assert r.status_code == 400 and r.json() == {"detail": "There was an error parsing the body", "error": "BadRequest"}
    assert documented["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}
    assert documented["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}


def test_an_outbox_id_past_the_32_bit_column_is_a_422_not_a_500(fuzzed: Fuzzed) -> None:
    """Found by Schemathesis on PostgreSQL: ``POST /outbox/9223372036854775806/retry`` reached
    the 32-bit ``outbox.id`` column and answered 500 (integer out of range)."""
    with TestClient(fuzzed.app) as client:
        for row_id in (2**31, 2**63 - 2):
            r = client.post(f"/api/v1/outbox/{row_id}/retry", headers=fuzzed.headers[UserRole.ADMIN])
            assert r.status_code == 422 and r.json()["error"] == "ValidationError", r.text
        r = client.post(f"/api/v1/outbox/{2**31 - 1}/retry", headers=fuzzed.headers[UserRole.ADMIN])
        assert r.status_code == 404
