"""The throwaway PostgreSQL harness starts a real cluster quickly and always cleans up."""

from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg
import pytest

from tests.support.postgres import ENV_URL, pg_available, skip_unless_postgres, throwaway_postgres

pytestmark = pytest.mark.postgres


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def test_pg_available_gives_no_reason_on_a_machine_with_postgres() -> None:
    skip_unless_postgres()
    assert pg_available() is None


def test_cluster_starts_within_seconds_answers_queries_and_is_removed_afterwards() -> None:
    skip_unless_postgres()
    started = time.monotonic()
    with throwaway_postgres() as url:
        startup_s = time.monotonic() - started
        assert url.startswith("postgresql+psycopg://")
        with psycopg.connect(_libpq(url)) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
            data_dir = Path(conn.execute("show data_directory").fetchone()[0])
    if os.environ.get(ENV_URL):
        return  # an external server: nothing of ours to time or clean up
    assert startup_s < 10, f"cluster took {startup_s:.1f}s to start"
    assert not data_dir.exists()


def test_cluster_is_stopped_and_removed_when_the_body_raises() -> None:
    skip_unless_postgres()
    if os.environ.get(ENV_URL):
        pytest.skip(f"{ENV_URL} points at an external server; there is no throwaway cluster to remove")
    seen: dict[str, str] = {}
    with pytest.raises(RuntimeError, match="boom"), throwaway_postgres() as url:
        seen["url"] = url
        with psycopg.connect(_libpq(url)) as conn:
            seen["data"] = conn.execute("show data_directory").fetchone()[0]
        raise RuntimeError("boom")
    assert not Path(seen["data"]).exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(_libpq(seen["url"]), connect_timeout=2)
