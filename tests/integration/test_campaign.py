"""The robustness campaign (issue 11): the real server killed again and again, and two server
processes racing on one PostgreSQL.

- ``kill -9`` of the server 20 times while a client posts calls, each with its own
  ``Idempotency-Key``: every call acknowledged with a 2xx is there after the last restart,
  and no call is there twice (every key sent is replayed and maps to one incident; the
  database holds exactly one incident per key), on SQLite and on PostgreSQL.
- Two server processes on one PostgreSQL, 1,000 concurrent assignment requests (100 vans,
  ten incidents racing for each): every van goes to exactly one incident, every loser is
  answered 409.

Loopback only; bounded in time (the kills come at seeded moments).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from crisis_dispatch.bootstrap import build, upgrade
from crisis_dispatch.config import Settings
from crisis_dispatch.services import auth
from crisis_dispatch.services.context import SYSTEM
from tests.integration.helpers import new_incident, staffed_unit
from tests.support.net import free_port
from tests.support.postgres import skip_unless_postgres, throwaway_postgres
from tests.support.server import create_user, login, serving

SECRET = "campaign-test-secret-0123456789abcdef"
PASSWORD = "campaign passphrase 0123"
KILLS = 20
VANS = 100
RACERS = 10


@contextmanager
def _database(kind: str, tmp_path: Path) -> Iterator[tuple[dict[str, str], list[str], str]]:
    """The server's environment, its database arguments and a SQLAlchemy URL to look inside."""
    env = os.environ | {"CRISIS_DISPATCH_SECRET_KEY": SECRET}
    if kind == "sqlite":
        env.pop("DATABASE_URL", None)
        db = tmp_path / "campaign.sqlite3"
        yield env, ["--db", str(db)], f"sqlite:///{db}"
        return
    skip_unless_postgres()
    with throwaway_postgres("campaign") as url:
        yield env | {"DATABASE_URL": url}, [], url


def _call(key: str) -> dict[str, object]:
    n = sum(map(ord, key))
    return {"lat": 34.05 + (n % 50) * 0.001, "lon": -118.25, "narrative": f"Caller {key}: brother hearing voices, no weapons."}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_calls_acknowledged_through_twenty_kill_9s_are_all_there_once(kind: str, tmp_path: Path) -> None:
    with _database(kind, tmp_path) as (env, db_args, url):
        create_user(env, "taker", "call_taker", PASSWORD, db_args)
        port = free_port()
        base = f"http://127.0.0.1:{port}/api/v1"
        sent: list[str] = []
        acked: dict[str, str] = {}
        moments = random.Random(20261202)
        for round_ in range(KILLS):
            with serving(port, env, db_args) as proc:
                headers = {"Authorization": f"Bearer {login(base, 'taker', PASSWORD)}"}
                stop, first_ack = threading.Event(), threading.Event()

                def post_until_killed(
                    round_: int = round_,
                    headers: dict[str, str] = headers,
                    stop: threading.Event = stop,
                    first_ack: threading.Event = first_ack,
                ) -> None:
                    with httpx.Client(timeout=30) as client:
                        i = 0
                        while not stop.is_set():
                            key = f"k{round_}-{i}"
                            i += 1
                            sent.append(key)
                            try:
                                r = client.post(f"{base}/calls", json=_call(key), headers=headers | {"Idempotency-Key": key})
                            except httpx.TransportError:
                                return  # killed while the call was in flight: not acknowledged
                            assert r.status_code == 201, r.text
                            acked[key] = r.json()["id"]
                            first_ack.set()

                client = threading.Thread(target=post_until_killed)
                client.start()
                # Killed at a random moment once calls are flowing (a loaded machine may take
                # seconds to answer the first one): every round kills mid-stream.
                first_ack.wait(timeout=60)
                time.sleep(moments.uniform(0.0, 0.5))
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
                stop.set()
                client.join(timeout=60)
        assert len(acked) >= KILLS, "too few calls were acknowledged to test anything"
        with serving(port, env, db_args):
            headers = {"Authorization": f"Bearer {login(base, 'taker', PASSWORD)}"}
            ids: dict[str, str] = {}
            with httpx.Client(timeout=30) as client:
                for key in sent:
                    r = client.post(f"{base}/calls", json=_call(key), headers=headers | {"Idempotency-Key": key})
                    if key in acked:
                        assert r.status_code == 200 and r.json()["id"] == acked[key], (key, r.status_code, r.text)
                    else:  # in flight when killed: committed (200) or not (201), never an error
                        assert r.status_code in (200, 201), (key, r.status_code, r.text)
                    ids[key] = r.json()["id"]
        assert len(set(ids.values())) == len(sent)
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                assert conn.scalar(text("SELECT count(*) FROM incidents")) == len(sent)
        finally:
            engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_two_server_processes_never_send_one_van_to_two_incidents() -> None:
    skip_unless_postgres()
    with throwaway_postgres("race") as url:
        container = build(Settings(database_url=url, secret_key=SECRET))
        try:
            upgrade(container.engine)
            auth.create_user(container.ctx, SYSTEM, "dispatcher", PASSWORD, "dispatcher", None)
            rounds = [
                (staffed_unit(container, f"TTP-{v}"), [new_incident(container) for _ in range(RACERS)]) for v in range(VANS)
            ]
        finally:
            container.dispose()
        env = os.environ | {"CRISIS_DISPATCH_SECRET_KEY": SECRET, "DATABASE_URL": url}
        ports = [free_port(), free_port()]
        with serving(ports[0], env), serving(ports[1], env):
            bases = [f"http://127.0.0.1:{p}/api/v1" for p in ports]
            token = login(bases[0], "dispatcher", PASSWORD)
            answers = asyncio.run(_race(bases, token, rounds))
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                assigned = dict(
                    conn.execute(text("SELECT unit_id, count(*) FROM incidents WHERE unit_id IS NOT NULL GROUP BY unit_id")).all()
                )
        finally:
            engine.dispose()
    assert len(answers) == VANS * RACERS
    for unit_id, codes in _by_unit(answers).items():
        assert sorted(codes) == [200] + [409] * (RACERS - 1), (unit_id, codes)
        assert assigned.get(unit_id) == 1, (unit_id, assigned.get(unit_id))


async def _race(bases: list[str], token: str, rounds: list[tuple[str, list[str]]]) -> list[tuple[str, int]]:
    """Every assignment request at once (at most 40 in flight), alternating the two servers."""
    gate = asyncio.Semaphore(40)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=40, keepalive_expiry=2.0)) as client:

        async def assign(n: int, unit_id: str, incident_id: str) -> tuple[str, int]:
            async with gate:
                r = await client.post(
                    f"{bases[n % 2]}/incidents/{incident_id}/assign", json={"unit_id": unit_id}, headers=headers
                )
                assert r.status_code in (200, 409), (r.status_code, r.text)
                return unit_id, r.status_code

        tasks = [assign(n, unit_id, iid) for unit_id, iids in rounds for n, iid in enumerate(iids)]
        random.Random(7).shuffle(tasks)
        return list(await asyncio.gather(*tasks))


def _by_unit(answers: list[tuple[str, int]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for unit_id, code in answers:
        out.setdefault(unit_id, []).append(code)
    return out
