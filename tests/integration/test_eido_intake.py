"""EIDO intake on each database: a document sent many times at once makes one incident; an
incident without coordinates is stored, listed and placed."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.errors import OutsideServiceArea
from crisis_dispatch.services import eido as eido_service
from crisis_dispatch.services import incidents
from crisis_dispatch.services.context import SYSTEM
from tests.integration.helpers import T0
from tests.support import eido

SENDERS = 6


def test_the_same_eido_sent_six_times_at_once_makes_one_incident(container: Container) -> None:
    doc = eido.document("urn:emergency:uid:incidentid:race:lacounty", T0 - timedelta(minutes=1), notes=[("r1", "<p>calm</p>")])
    barrier = threading.Barrier(SENDERS)
    results: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def send() -> None:
        barrier.wait()
        try:
            r = eido_service.receive(container.ctx, SYSTEM, doc)
            results.append((r.outcome, r.incident["id"]))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=send) for _ in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(o for o, _ in results) == ["created"] + ["unchanged"] * (SENDERS - 1)
    assert len({i for _, i in results}) == 1
    assert len(incidents.list_incidents(container.ctx, SYSTEM, limit=1000)) == 1


def test_an_incident_to_confirm_is_stored_without_coordinates_then_placed(container: Container) -> None:
    sample = eido_service.receive(container.ctx, SYSTEM, eido.official_sample())
    # NENA's sample says nothing about the person: not enough to judge (the default responder).
    assert sample.created and sample.incident["location_to_confirm"] and sample.incident["status"] == "closed"
    listed = incidents.list_incidents(container.ctx, SYSTEM, limit=10)
    assert listed[0]["location"] == {"lat": None, "lon": None, "address": "42 W Cellular Street, Wilmington, DE, US"}
    doc = eido.document(
        "urn:emergency:uid:incidentid:civic:lacounty",
        T0 - timedelta(minutes=1),
        location=eido.civic("200", "Spring", "St", "Los Angeles"),
        notes=[("c1", "<p>Woman hearing voices, scared, no weapons, not violent.</p>")],
    )
    result = eido_service.receive(container.ctx, SYSTEM, doc)
    iid = result.incident["id"]
    assert result.incident["status"] == "queued" and result.incident["location_to_confirm"]
    # Wilmington, Delaware is outside the LA service area: placing it there is refused plainly.
    with pytest.raises(OutsideServiceArea, match="outside the service area"):
        incidents.place_incident(container.ctx, SYSTEM, iid, 39.7447, -75.5484)
    placed = incidents.place_incident(container.ctx, SYSTEM, iid, 34.0537, -118.2428)
    assert placed["location"]["lat"] == 34.0537 and not placed["location_to_confirm"]
    history = incidents.get_incident(container.ctx, SYSTEM, iid)["history"]
    moves = [h for h in history if h["event"] == "location"]
    assert len(moves) == 1 and "location to confirm" in moves[0]["reason"]


def test_the_kpi_report_counts_an_incident_still_to_place_under_its_own_area(container: Container) -> None:
    from crisis_dispatch.services import reports

    doc = eido.document(
        "urn:emergency:uid:incidentid:kpi:lacounty",
        T0 - timedelta(minutes=30),
        location=eido.civic("200", "Spring", "St", "Los Angeles"),
        notes=[("kpi1", "<p>Woman hearing voices, scared, no weapons, not violent.</p>")],
    )
    eido_service.receive(container.ctx, SYSTEM, doc)
    report = reports.kpi_report(container.ctx, SYSTEM, T0 - timedelta(hours=2), T0)
    assert "location to confirm" in str(report)
