"""Status back to the CAD through the outbox, on each database, to a real HTTP receiver."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest

from crisis_dispatch.adapters.eido_schema import load_schema
from crisis_dispatch.adapters.http_sender import post
from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.errors import InvalidInput, NotDispatchable, NotFound
from crisis_dispatch.domain.interop import RetryPolicy
from crisis_dispatch.services import eido as eido_service
from crisis_dispatch.services import incidents, outbox
from crisis_dispatch.services.context import SYSTEM
from tests.integration.helpers import T0, new_incident, staffed_unit
from tests.support import eido
from tests.support.receiver import Receiver, receiving

SECRET = "a-shared-secret-of-the-county-cad"
CALM = "<p>Man hearing voices, calm, no weapons, not violent.</p>"


def cad_incident(container: Container, ident: str) -> str:
    doc = eido.document(f"urn:emergency:uid:incidentid:{ident}:lacounty", T0 - timedelta(minutes=2), notes=[(f"{ident}-n", CALM)])
    return eido_service.receive(container.ctx, SYSTEM, doc).incident["id"]


def rows(container: Container, state: str | None = None) -> list[dict]:
    return outbox.list_outbox(container.ctx, SYSTEM, state)


def test_changes_of_a_cad_incident_write_outbox_rows_in_their_transaction_and_nothing_else_does(container: Container) -> None:
    sub = outbox.create_subscription(container.ctx, SYSTEM, "http://127.0.0.1:9/cad", SECRET)
    iid = cad_incident(container, "tx")
    assert [(r["incident_id"], r["event"]) for r in rows(container)] == [(iid, "status")]
    new_incident(container)  # a call of our own: no CAD reference, nothing for the CAD
    assert len(rows(container)) == 1
    unit = staffed_unit(container, "TTP-OB", hours=0)  # no crew on shift: cannot be dispatched
    with pytest.raises(NotDispatchable):
        incidents.assign_unit(container.ctx, SYSTEM, iid, unit)
    assert len(rows(container)) == 1, "a change that failed wrote nothing"
    ready = staffed_unit(container, "TTP-OC")
    incidents.assign_unit(container.ctx, SYSTEM, iid, ready)
    latest = rows(container)[0]
    assert latest["event"] == "assigned" and latest["subscription_id"] == sub["id"]
    outbox.update_subscription(container.ctx, SYSTEM, sub["id"], active=False)
    incidents.change_status(container.ctx, SYSTEM, iid, "en_route")
    assert len(rows(container)) == 2, "a deactivated subscription gets no new rows"
    with pytest.raises(InvalidInput):
        outbox.create_subscription(container.ctx, SYSTEM, "ftp://cad", SECRET)
    with pytest.raises(InvalidInput):
        outbox.create_subscription(container.ctx, SYSTEM, "http://cad", SECRET, ["everything"])


def test_a_screened_out_call_from_the_cad_is_reported_with_its_reason(container: Container) -> None:
    outbox.create_subscription(container.ctx, SYSTEM, "http://127.0.0.1:9/cad", SECRET, ["screened_out"])
    doc = eido.document(
        "urn:emergency:uid:incidentid:so:lacounty",
        T0 - timedelta(minutes=1),
        code="OD",
        internal="OVERDOSE",
        notes=[("so1", "<p>Took a whole bottle of pills, now unconscious and not breathing.</p>")],
    )
    eido_service.receive(container.ctx, SYSTEM, doc)
    cad_incident(container, "not-screened")  # queued for the team: not a screened_out event
    (row,) = rows(container)
    assert row["event"] == "screened_out"


def test_a_receiver_that_fails_then_recovers_gets_every_update_signed_once_in_order(container: Container) -> None:
    clock = container.ctx.clock
    assert isinstance(clock, FixedClock)
    with receiving(Receiver(fail_first=2)) as cad:
        outbox.create_subscription(container.ctx, SYSTEM, cad.url, SECRET)
        iid = cad_incident(container, "retry")
        incidents.assign_unit(container.ctx, SYSTEM, iid, staffed_unit(container, "TTP-RT"))
        rng = random.Random(7)
        first = outbox.deliver_due(container.ctx, post, rng=rng)
        assert first.to_dict() == {"delivered": 0, "failed": 1, "dead": 0}, "the later update waits for the earlier one"
        assert outbox.deliver_due(container.ctx, post, rng=rng).to_dict() == {"delivered": 0, "failed": 0, "dead": 0}
        for _ in range(4):
            clock.advance(timedelta(minutes=5))
            outbox.deliver_due(container.ctx, post, rng=rng)
        ids = cad.delivery_ids()
        assert len(ids) == 4 and ids[0] == ids[1] == ids[2] != ids[3], ids
        assert all(cad.signature_ok(r, SECRET) for r in cad.received)
        assert not cad.signature_ok(cad.received[-1], "another-secret-entirely")
        events = [r.headers["x-crisis-dispatch-event"] for r in cad.received]
        assert events == ["status", "status", "status", "assigned"]
        last = json.loads(cad.received[-1].body)
        assert load_schema().problems(last) == []
        assert last["emergencyResourceComponent"][0]["emergencyResourceName"] == "TTP-RT"
    states = [(r["state"], r["attempts"]) for r in rows(container)]
    assert states == [("delivered", 1), ("delivered", 3)]


def test_after_n_attempts_a_delivery_is_a_dead_letter_that_an_admin_resends(container: Container) -> None:
    clock = container.ctx.clock
    assert isinstance(clock, FixedClock)
    container.ctx.outbox_retry = RetryPolicy(base=timedelta(seconds=1), max_attempts=3)
    with receiving(Receiver(fail_first=3)) as cad:
        outbox.create_subscription(container.ctx, SYSTEM, cad.url, SECRET)
        cad_incident(container, "dead")
        for _ in range(3):
            outbox.deliver_due(container.ctx, post)
            clock.advance(timedelta(minutes=1))
        (dead,) = rows(container, "dead")
        assert dead["attempts"] == 3 and "HTTP 503" in dead["last_error"]
        assert outbox.deliver_due(container.ctx, post).to_dict()["delivered"] == 0
        with pytest.raises(NotFound):
            outbox.retry_dead(container.ctx, SYSTEM, 10**6)
        again = outbox.retry_dead(container.ctx, SYSTEM, dead["id"])
        assert again["state"] == "pending"
        assert outbox.deliver_due(container.ctx, post).to_dict()["delivered"] == 1
        assert len(set(cad.delivery_ids())) == 1, "the re-sent dead letter keeps its delivery id"
    assert rows(container, "delivered")[0]["id"] == dead["id"]


@pytest.mark.parametrize("row_id", [2**31, 2**63 - 1, 0])
def test_retrying_an_outbox_id_no_column_can_hold_is_refused_plainly(container: Container, row_id: int) -> None:
    """Found by Schemathesis on PostgreSQL: an id past 2^31-1 reached the 32-bit column and
    answered 500 (integer out of range)."""
    with pytest.raises(InvalidInput, match=f"outbox entry id must be an integer from 1 to {2**31 - 1}"):
        outbox.retry_dead(container.ctx, SYSTEM, row_id)
