"""NEMSIS v3.5 export of crisis-team encounters, checked against the official XSD and the
Behavioral Health case definition (both read from ../shared/data, not from our copies)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from lxml import etree

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.domain.errors import InvalidInput, PermissionDenied
from crisis_dispatch.domain.outcomes import Disposition, Outcome
from crisis_dispatch.services import incidents, nemsis
from crisis_dispatch.services.context import SYSTEM, Actor
from tests.integration.helpers import T0, new_incident, staffed_unit
from tests.shared_data import shared_data_dir

N = {"n": "http://www.nemsis.org"}
NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def official_xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_data_dir() / "standards/nemsis/XSDs/NEMSIS_XSDs/EMSDataSet_v3.xsd")))


def behavioral_health_regex() -> str:
    """The ICD-10 pattern of eSituation.09-.12 in NEMSIS's Behavioral Health case definition."""
    text = (shared_data_dir() / "standards/nemsis/CaseDefinitions/BehavioralHealth.xquery").read_text()
    return re.search(r"eSituation\.12\)\[matches\(\., '([^']+)'\)\]", text).group(1)  # type: ignore[union-attr]


def test_the_export_is_valid_nemsis_with_the_mapped_codes_and_found_by_the_case_definition(container: Container) -> None:
    clock = container.ctx.clock
    assert isinstance(clock, FixedClock)
    ctx = container.ctx
    released = new_incident(container, subject_age=34)
    incidents.assign_unit(ctx, SYSTEM, released, staffed_unit(container, "TTP-N1"))
    for step in ("en_route", "on_scene"):
        clock.advance(timedelta(minutes=9))
        incidents.change_status(ctx, SYSTEM, released, step)
    clock.advance(timedelta(minutes=40))
    outcome = Outcome(Disposition.TREATED_AND_RELEASED, clock.now(), "crew", summary="clinical words that must not leave")
    incidents.record_outcome(ctx, SYSTEM, released, outcome)
    incidents.change_status(ctx, SYSTEM, released, "closed", "done")
    cancelled = new_incident(container)
    incidents.assign_unit(ctx, SYSTEM, cancelled, staffed_unit(container, "TTP-N2"))
    incidents.change_status(ctx, SYSTEM, cancelled, "cancelled", "caller called back: all fine")
    never_sent = new_incident(container)  # queued, no van yet: not an encounter

    with pytest.raises(PermissionDenied):
        nemsis.export_nemsis(ctx, Actor("dana", UserRole.DISPATCHER), T0 - timedelta(hours=1), T0 + timedelta(days=1))
    with pytest.raises(InvalidInput, match="no crisis-team encounter"):
        nemsis.export_nemsis(ctx, SYSTEM, T0 - timedelta(days=9), T0 - timedelta(days=8))
    document, count = nemsis.export_nemsis(ctx, SYSTEM, T0 - timedelta(hours=1), T0 + timedelta(days=1))
    assert count == 2
    root = etree.fromstring(document)
    xsd = official_xsd()
    assert xsd.validate(root), [e.message for e in list(xsd.error_log)[:5]]
    assert b"clinical words" not in document and never_sent.encode() not in document

    reports = {r.findtext("n:eRecord/n:eRecord.01", namespaces=N): r for r in root.iterfind(".//n:PatientCareReport", N)}
    assert set(reports) == {released, cancelled}
    group = reports[released].find("n:eDisposition/n:eDisposition.IncidentDispositionGroup", N)
    codes = [group.findtext(f"n:eDisposition.{k}", namespaces=N) for k in (27, 28, 29, 30, 31)]
    assert codes == ["4227001", "4228001", "4229001", "4230013", "4231005"]  # treated and released on site
    assert reports[released].findtext("n:ePatient/n:ePatient.AgeGroup/n:ePatient.15", namespaces=N) == "34"
    assert reports[released].findtext("n:eResponse/n:eResponse.14", namespaces=N) == "TTP-N1"
    arrived = reports[released].findtext("n:eTimes/n:eTimes.06", namespaces=N)
    assert arrived == (T0 + timedelta(minutes=18)).isoformat(timespec="seconds")
    not_recorded = reports[released].find("n:ePayment/n:ePayment.01", N)
    assert not_recorded.get(NIL) == "true" and not_recorded.get("NV") == "7701003"

    cancel_group = reports[cancelled].find("n:eDisposition/n:eDisposition.IncidentDispositionGroup", N)
    assert cancel_group.findtext("n:eDisposition.27", namespaces=N) == "4227005"  # cancelled prior to arrival
    assert cancel_group.find("n:eDisposition.28", N).get("NV") == "7701001"  # no patient: not applicable

    pattern = re.compile(behavioral_health_regex())
    found = [
        r
        for r in reports.values()
        if any(
            pattern.match(e.text or "")
            for e in r.iterfind("n:eSituation/*", N)
            if e.tag.split("}")[1] in {"eSituation.09", "eSituation.11", "eSituation.12"}
        )
    ]
    assert [r.findtext("n:eRecord/n:eRecord.01", namespaces=N) for r in found] == [released]
