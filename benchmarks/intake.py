"""Intake benchmark: our ``POST /api/v1/calls`` against PostgreSQL's raw commit rate (issue 11).

    .venv/bin/python benchmarks/intake.py --json

Starts a throwaway PostgreSQL cluster with production durability (``fsync``,
``synchronous_commit`` and full page writes on, as PostgreSQL ships; the test clusters turn
them off) and the real server (``crisis-dispatch serve``, one process) on it, then measures
in the same run:

- ``raw_commits_per_s``: one-row ``INSERT`` transactions, each committed on its own, from
  ``CONCURRENCY`` connections at once -- the ceiling any intake on this database has;
- ``intake_per_s``: calls posted over HTTP by ``CONCURRENCY`` clients at once, each with its
  own ``Idempotency-Key``, through login-checked, validated, triaged, audited intake; and
  ``ratio`` = intake / raw;
- ``p50_ms_at_200rps``, ``p99_ms_at_200rps``: the latency of calls offered at a fixed
  ``OFFERED_RPS`` for ``OFFERED_S`` seconds (open loop: each request is due at its own
  moment, and its latency counts from that moment, so a server that falls behind is charged
  for the wait), and ``achieved_rps``, the rate the server actually completed;
- ``server_cpu_ms_per_call`` and ``load_generator_cpu_ms_per_call``: CPU time (user +
  system) of the server's processes and of this process during the throughput phase, per
  call. On a shared machine the rates move with the other jobs; CPU per call moves less,
  so the load average at the start and end is reported with them.

Prints ``{"postgres": {...}, "settings": {...}}``. Targets (issue 11): ratio >= 0.5 and
p99 <= 100 ms at 200 requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the throwaway cluster of the test suite

from tests.support.net import free_port  # noqa: E402
from tests.support.postgres import throwaway_postgres  # noqa: E402
from tests.support.server import create_user, login, serving  # noqa: E402

CONCURRENCY = 4
RAW_TRANSACTIONS = 4000
INTAKE_CALLS = 600
#: Calls posted before the throughput clock starts (counted in the CPU per call).
WARM_UP_CALLS = 8
OFFERED_RPS = 200
OFFERED_S = 10.0
#: Server processes (``serve --workers``): on this 2-core machine, where the load, PostgreSQL
#: and the server share the cores, two measured no faster than one.
WORKERS = 1
#: Idle client connections are dropped before the server's keep-alive (5 s) closes them, so
#: a request is never sent on a connection the server is closing.
KEEPALIVE_S = 2.0
#: Calls as a call-taker types them, inside the Los Angeles service area.
NARRATIVES = (
    "Neighbour worried about man sleeping outside, talking to himself, no weapons.",
    "Mother reports adult son hearing voices, not violent, awake and breathing.",
    "RP STATES SUBJ HAS A KNIFE NO INJURIES",
    "Female on the bus bench crying, says she wants to die, no pills taken.",
    "Intoxicated male in the doorway of the store, refusing to leave, calm.",
    "",
)


def _sqlalchemy_to_libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def raw_commits_per_s(url: str, transactions: int, concurrency: int) -> float:
    """One-row INSERT transactions from ``concurrency`` connections; commits per second."""
    dsn = _sqlalchemy_to_libpq(url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, body text NOT NULL)")
    per_worker = transactions // concurrency
    connections = [psycopg.connect(dsn, autocommit=True) for _ in range(concurrency)]
    barrier = threading.Barrier(concurrency + 1)

    def work(conn: psycopg.Connection[tuple[object, ...]]) -> None:
        barrier.wait()
        for i in range(per_worker):
            conn.execute("INSERT INTO bench_raw (body) VALUES (%s)", (NARRATIVES[i % len(NARRATIVES)],))

    threads = [threading.Thread(target=work, args=(c,)) for c in connections]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    for c in connections:
        c.close()
    return per_worker * concurrency / elapsed


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` and all its descendants so far (Linux
    ``/proc``; None elsewhere or once it is gone)."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        # the fields after the command name (which may hold spaces): utime, stime are 14 and 15
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / tick
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += cpu_seconds(int(child)) or 0.0
        return total
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def server(url: str, workers: int) -> Iterator[tuple[str, str, int]]:
    """The real server on ``url``'s database; yields its base URL, a call-taker token and its pid."""
    env = os.environ | {"DATABASE_URL": url, "CRISIS_DISPATCH_SECRET_KEY": secrets.token_hex(32)}
    password = "bench-" + secrets.token_hex(12)
    port = free_port()
    with serving(port, env, ["--workers", str(workers)]) as proc:
        create_user(env, "bench-taker", "call_taker", password)
        base = f"http://127.0.0.1:{port}"
        yield base, login(f"{base}/api/v1", "bench-taker", password), proc.pid


def _body(i: int) -> dict[str, object]:
    return {
        "lat": 34.05 + (i % 97) * 0.001,
        "lon": -118.25 - (i % 89) * 0.001,
        "narrative": NARRATIVES[i % len(NARRATIVES)],
        "call_type": "EDP" if i % 3 else "",
    }


async def _post(client: httpx.AsyncClient, token: str, i: int, tag: str) -> None:
    r = await client.post(
        "/api/v1/calls",
        json=_body(i),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"{tag}-{i}"},
    )
    if r.status_code != 201:
        raise RuntimeError(f"call {i}: {r.status_code} {r.text[:200]}")


async def intake_per_s(base: str, token: str, calls: int, concurrency: int) -> float:
    """``calls`` calls posted by ``concurrency`` clients at once; calls per second."""
    async with httpx.AsyncClient(
        base_url=base, limits=httpx.Limits(max_connections=concurrency, keepalive_expiry=KEEPALIVE_S)
    ) as client:
        for i in range(WARM_UP_CALLS):  # warm up: imports, caches, the connection pool
            await _post(client, token, i, "warm")
        queue = iter(range(calls))

        async def worker() -> None:
            for i in queue:
                await _post(client, token, i, "throughput")

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return calls / (time.perf_counter() - start)


async def latency_at(base: str, token: str, rps: float, seconds: float) -> dict[str, float]:
    """Open loop at ``rps`` for ``seconds``: p50/p99 latency from each request's due time."""
    n = int(rps * seconds)
    latencies: list[float] = []
    async with httpx.AsyncClient(
        base_url=base, limits=httpx.Limits(max_connections=64, keepalive_expiry=KEEPALIVE_S), timeout=60
    ) as client:
        start = time.perf_counter() + 0.2

        async def one(i: int) -> None:
            due = start + i / rps
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            await _post(client, token, i, "latency")
            latencies.append(time.perf_counter() - due)

        await asyncio.gather(*(one(i) for i in range(n)))
        finished = time.perf_counter()
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "p50_ms_at_200rps": round(cuts[49] * 1000, 1),
        "p99_ms_at_200rps": round(cuts[98] * 1000, 1),
        "achieved_rps": round(n / (finished - start), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON (the only output)")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"server processes (default {WORKERS})")
    args = parser.parse_args()
    load_before = round(os.getloadavg()[0], 2)
    with throwaway_postgres("crisis_dispatch_bench", durable=True) as url:
        raw = raw_commits_per_s(url, RAW_TRANSACTIONS, CONCURRENCY)
        with server(url, args.workers) as (base, token, pid):
            server_before, own_before = cpu_seconds(pid), time.process_time()
            intake = asyncio.run(intake_per_s(base, token, INTAKE_CALLS, CONCURRENCY))
            server_after, own_after = cpu_seconds(pid), time.process_time()
            latency = asyncio.run(latency_at(base, token, OFFERED_RPS, OFFERED_S))
    calls = INTAKE_CALLS + WARM_UP_CALLS
    server_cpu = None
    if server_before is not None and server_after is not None:
        server_cpu = round((server_after - server_before) * 1000 / calls, 2)
    result = {
        "postgres": {
            "raw_commits_per_s": round(raw, 1),
            "intake_per_s": round(intake, 1),
            "ratio": round(intake / raw, 3),
            **latency,
            "server_cpu_ms_per_call": server_cpu,
            "load_generator_cpu_ms_per_call": round((own_after - own_before) * 1000 / calls, 2),
        },
        "settings": {
            "concurrency": CONCURRENCY,
            "raw_transactions": RAW_TRANSACTIONS,
            "intake_calls": INTAKE_CALLS,
            "offered_rps": OFFERED_RPS,
            "offered_s": OFFERED_S,
            "durable": True,
            "server_processes": args.workers,
            "load_average": [load_before, round(os.getloadavg()[0], 2)],
        },
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
