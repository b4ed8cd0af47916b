"""Double dispatch is impossible: many dispatchers race for one van, exactly one wins."""

from __future__ import annotations

import threading

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.errors import Conflict
from crisis_dispatch.services import incidents, units
from crisis_dispatch.services.context import SYSTEM
from tests.integration.helpers import new_incident, staffed_unit

RACERS = 8
ROUNDS = 5


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_racing_dispatchers_assign_one_van_exactly_once(container: Container, round_: int) -> None:
    ctx = container.ctx
    unit_id = staffed_unit(container, f"TTP-R{round_}")
    targets = [new_incident(container) for _ in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    wins: list[str] = []
    conflicts: list[str] = []
    errors: list[BaseException] = []

    def race(incident_id: str) -> None:
        barrier.wait()
        try:
            incidents.assign_unit(ctx, SYSTEM, incident_id, unit_id)
            wins.append(incident_id)
        except Conflict as e:
            conflicts.append(str(e))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=race, args=(i,)) for i in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(wins) == 1, (wins, conflicts)
    assert len(conflicts) == RACERS - 1
    unit = units.get_unit(ctx, SYSTEM, unit_id)
    assert unit["status"] == "dispatched" and unit["incident_id"] == wins[0]
    statuses = {i: incidents.get_incident(ctx, SYSTEM, i)["status"] for i in targets}
    assert sorted(statuses.values()) == ["dispatched"] + ["queued"] * (RACERS - 1)
    history = incidents.get_incident(ctx, SYSTEM, wins[0])["history"]
    assert sum(1 for h in history if h["subject"] == "unit" and h["to"] == "dispatched") == 1
