"""A month of the program as status-history rows, built with the domain's own objects.

113 team calls as the seed article counts them (23 treated and released on site), plus calls
screened out by triage, a hold of each kind, transports to each destination type and calls
no team reached. ``EXPECTED`` says what each outcome's count must be.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from crisis_dispatch.domain.history import StatusChange
from crisis_dispatch.domain.incident import Incident, IncidentStatus, Location
from crisis_dispatch.domain.outcomes import Destination, DestinationType, Disposition, Hold, HoldCriterion, HoldType, Outcome
from crisis_dispatch.domain.unit import Unit, UnitStatus
from crisis_dispatch.reporting import HistoryTable, IncidentFacts
from tests.unit.domain.builders import decided

T0 = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)  # midnight in Los Angeles
HOURS_APART = 6

P = DestinationType.PSYCHIATRIC_URGENT_CARE
#: (disposition, destination, hold type, how many) of the team calls a van reached.
REACHED: tuple[tuple[Disposition, DestinationType | None, HoldType | None, int], ...] = (
    (Disposition.TREATED_AND_RELEASED, None, None, 23),
    (Disposition.VOLUNTARY_TRANSPORT, P, None, 12),
    (Disposition.VOLUNTARY_TRANSPORT, DestinationType.SOBERING_CENTER, None, 10),
    (Disposition.VOLUNTARY_TRANSPORT, DestinationType.EMERGENCY_DEPARTMENT, None, 8),
    (Disposition.INVOLUNTARY_HOLD, P, HoldType.WIC_5150, 10),
    (Disposition.INVOLUNTARY_HOLD, DestinationType.EMERGENCY_DEPARTMENT, HoldType.WIC_5585, 2),
    (Disposition.REFERRED, None, None, 20),
    (Disposition.DECLINED_SERVICES, None, None, 10),
    (Disposition.NO_PERSON_FOUND, None, None, 5),
    (Disposition.ESCALATED_TO_POLICE, None, None, 3),
    (Disposition.ESCALATED_TO_EMS, None, None, 2),
    (Disposition.CARE_COURT_PETITION_RECOMMENDED, None, None, 3),
)
FELL_BACK = 4  # waited, then handed to police
STILL_WAITING = 1
#: Holds that also carry a CARE Court referral (a hold and a referral recorded together).
CARE_WITH_HOLD = 2
#: Calls triage kept from the team: (tier, screened-out reason, how many).
SCREENED: tuple[tuple[str, str, int], ...] = (
    ("POLICE", "weapon", 6),
    ("MH_TEAM_WITH_POLICE", "", 0),
    ("EMS", "medical", 5),
    ("POLICE_AND_EMS", "not_triaged", 12),
)
TEAM_CALLS = sum(r[3] for r in REACHED) + FELL_BACK + STILL_WAITING


def build_month() -> tuple[HistoryTable, IncidentFacts, float]:
    """The history, the facts and the horizon (seconds) of the month."""
    rows: list[StatusChange] = []
    van = Unit(id="u1", call_sign="TTP-1", station_id="st1", status=UnitStatus.OFF_SHIFT)
    rows.append(van.transition(UnitStatus.AVAILABLE, now=T0, by="t"))
    tiers, disps, dests, holds, reasons, stations = [], [], [], [], [], []
    cares: list[bool] = []
    k = 0

    def at(minutes: float) -> datetime:
        return T0 + timedelta(hours=HOURS_APART * k, minutes=minutes)

    def new(tier: str, reason: str | None) -> Incident:
        inc = Incident(id=f"i{k}", location=Location(34.05, -118.25), received_at=at(0))
        rows.append(inc.apply_triage(decided(tier, 3, screened_out=reason), now=at(1), by="t"))
        tiers.append(tier)
        reasons.append(reason or "")
        return inc

    for disposition, dest_type, hold_type, count in REACHED:
        for _ in range(count):
            inc = new("MH_TEAM", None)
            response = 10 + (k % 9) * 10  # 10 to 90 minutes: some past the 60-minute clock
            rows.append(inc.transition(IncidentStatus.QUEUED, now=at(1), by="t"))
            rows.append(inc.assign("u1", now=at(2), by="t"))
            rows.append(van.transition(UnitStatus.DISPATCHED, now=at(2), by="t", incident_id=inc.id))
            rows.append(inc.transition(IncidentStatus.ON_SCENE, now=at(1 + response), by="t"))
            rows.append(van.transition(UnitStatus.ON_SCENE, now=at(1 + response), by="t"))
            done = at(response + 60)
            hold = None
            if hold_type is not None:
                criteria = frozenset({HoldCriterion.DANGER_TO_SELF})
                hold = Hold(hold_type, "t", at(response + 30), at(response + 30), criteria, False)
            age = 16 if hold_type is HoldType.WIC_5585 else 40
            if dest_type is not None:
                rows.append(inc.transition(IncidentStatus.TRANSPORTING, now=done, by="t"))
                rows.append(inc.transition(IncidentStatus.AT_DESTINATION, now=done, by="t"))
            # The first holds also carry a CARE referral, recorded alongside the disposition.
            care = hold is not None and sum(1 for h in holds if h) < CARE_WITH_HOLD
            where = Destination(dest_type) if dest_type else None
            outcome = Outcome(disposition, done, "t", where, hold=hold, subject_age=age, care_referral=care)
            inc.record_outcome(outcome, now=done)
            rows.append(inc.transition(IncidentStatus.CLOSED, now=done, by="t"))
            rows.append(van.transition(UnitStatus.AVAILABLE, now=done, by="t"))
            disps.append(disposition.value)
            dests.append(dest_type.value if dest_type else "")
            holds.append(hold_type.value if hold_type else "")
            cares.append(outcome.care_referred)
            stations.append("Station 1")
            k += 1
    for i in range(FELL_BACK + STILL_WAITING):
        inc = new("MH_TEAM", None)
        rows.append(inc.transition(IncidentStatus.QUEUED, now=at(1), by="t"))
        if i < FELL_BACK:
            rows.append(inc.transition(IncidentStatus.CLOSED, now=at(181), by="t", reason="handed to police"))
        disps.append("")
        dests.append("")
        holds.append("")
        cares.append(False)
        stations.append("")
        k += 1
    for tier, reason, count in SCREENED:
        for _ in range(count):
            inc = new(tier, reason)
            rows.append(inc.transition(IncidentStatus.CLOSED, now=at(1), by="t", reason=f"screened out ({reason})"))
            disps.append("")
            dests.append("")
            holds.append("")
            cares.append(False)
            stations.append("")
            k += 1
    horizon = HOURS_APART * 3600.0 * (k + 1)
    table = HistoryTable.from_changes(rows, epoch=T0)
    n = len(tiers)
    facts = IncidentFacts(
        tier=np.array(tiers),
        area=np.zeros(n, dtype=np.int32),
        area_names=["Los Angeles"],
        area_rural=[False],
        disposition=np.array(disps),
        destination=np.array(dests),
        screened_out=np.array(reasons),
        hold_type=np.array(holds),
        station=np.array(stations),
        care_referral=np.array(cares, dtype=bool),
    )
    return table, facts, horizon
