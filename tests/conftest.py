"""Fixtures shared by the whole suite: clocks, databases (SQLite and PostgreSQL), the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from crisis_dispatch.bootstrap import Container, build, make_triager, upgrade
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.services.context import Triager
from tests.integration.helpers import T0
from tests.support.app import TEST_SECRET, sqlite_container_at
from tests.support.postgres import skip_unless_postgres, throwaway_postgres, truncate_all


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture(scope="session")
def triager() -> Triager:
    return make_triager()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    skip_unless_postgres()
    with throwaway_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def _pg_migrated(postgres_url: str) -> str:
    settings = Settings(database_url=postgres_url, secret_key=TEST_SECRET)
    container = build(settings, triager=lambda c: {})
    with container.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(container.engine)
    container.dispose()
    return postgres_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for each database we support: an embedded SQLite file and a real PostgreSQL."""
    if request.param == "sqlite":
        return Settings(db_path=tmp_path / "test.sqlite3", secret_key=TEST_SECRET)
    url = request.getfixturevalue("_pg_migrated")
    return Settings(database_url=url, secret_key=TEST_SECRET)


@pytest.fixture
def container(db_settings: Settings, clock: FixedClock, triager: Triager) -> Iterator[Container]:
    c = build(db_settings, clock=clock, triager=triager)
    if c.engine.dialect.name == "postgresql":
        truncate_all(c)
    else:
        upgrade(c.engine)
    yield c
    c.dispose()


@pytest.fixture
def sqlite_container(tmp_path: Path, clock: FixedClock, triager: Triager) -> Iterator[Container]:
    with sqlite_container_at(tmp_path / "test.sqlite3", clock, triager) as c:
        yield c
