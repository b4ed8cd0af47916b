"""What our incidents are called in the exchange with a 911 CAD (NENA EIDO, NENA-STA-021.1).

Pure data: our statuses in the EIDO registries' words, the events a CAD may subscribe to, the
disposition summary a CAD may receive (never clinical detail: DOMAIN.md §5), and the retry
schedule of the outbox.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from .incident import IncidentStatus
from .outcomes import Disposition
from .unit import UnitStatus

S = IncidentStatus

#: Our incident status -> the EIDO Incident Status registry value.
INCIDENT_STATUS: Mapping[IncidentStatus, str] = {
    S.RECEIVED: "Pending",
    S.TRIAGED: "Pending",
    S.QUEUED: "Pending",
    S.DISPATCHED: "Dispatched",
    S.EN_ROUTE: "Enroute",
    S.ON_SCENE: "OnScene",
    S.TRANSPORTING: "Transporting",
    S.AT_DESTINATION: "AtDestination",
    S.CLOSED: "Closed",
    S.CANCELLED: "Cancelled",
}

#: Our unit status -> the EIDO Unit Status registry value (primaryUnitStatusRegistryText).
UNIT_STATUS: Mapping[UnitStatus, str] = {
    UnitStatus.AVAILABLE: "Available",
    UnitStatus.DISPATCHED: "Dispatched",
    UnitStatus.EN_ROUTE: "Enroute",
    UnitStatus.ON_SCENE: "OnScene",
    UnitStatus.TRANSPORTING: "Transporting",
    UnitStatus.AT_DESTINATION: "AtDestination",
    UnitStatus.OUT_OF_SERVICE: "OutOfService",
    UnitStatus.OFF_SHIFT: "OutOfService",
}


class CadEvent(StrEnum):
    """What a CAD subscription may ask to be told about an incident with a CAD reference."""

    ASSIGNED = "assigned"
    STATUS = "status"
    SCREENED_OUT = "screened_out"
    CLOSED = "closed"


#: Why a call was kept from the crisis team, as the CAD is told (``screened_out_reason``).
SCREENED_OUT_WORDS: Mapping[str, str] = {
    "not_triaged": "not triaged: not enough information to judge the risk; the default responder goes",
}


def screened_out_summary(tier: str | None, reason: str | None) -> str:
    """The screened-out decision in words a CAD can act on: who was sent, and why."""
    if reason is not None and reason in SCREENED_OUT_WORDS:
        return SCREENED_OUT_WORDS[reason]
    tier = tier or ""
    if "POLICE" in tier and "EMS" in tier:
        sent = "police and EMS sent"
    elif "POLICE" in tier:
        sent = "police sent"
    elif "EMS" in tier:
        sent = "EMS sent"
    elif "988" in tier:
        sent = "988 phone line"
    else:
        sent = "not eligible for the crisis team"
    return f"{sent} ({(reason or 'ineligible').replace('_', ' ')})"


#: Disposition summaries a CAD may read: what happened, in one line, without clinical detail.
DISPOSITION_WORDS: Mapping[Disposition, str] = {
    Disposition.TREATED_AND_RELEASED: "treated and released on site",
    Disposition.VOLUNTARY_TRANSPORT: "transported voluntarily",
    Disposition.INVOLUNTARY_HOLD: "transported on a hold",
    Disposition.REFERRED: "referred to services",
    Disposition.DECLINED_SERVICES: "services declined",
    Disposition.NO_PERSON_FOUND: "no person found",
    Disposition.ESCALATED_TO_EMS: "handed to EMS",
    Disposition.ESCALATED_TO_POLICE: "handed to police",
    Disposition.CARE_COURT_PETITION_RECOMMENDED: "follow-up arranged",
}


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: attempt n waits up to ``base * 2**(n-1)`` (capped);
    after ``max_attempts`` failures the delivery is a dead letter, kept for an admin to re-send."""

    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(minutes=30)
    max_attempts: int = 8

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        ceiling: timedelta = min(self.cap, self.base * (2 ** max(0, attempts - 1)))
        # At least half the ceiling, so that a retry never comes back at once.
        return timedelta(seconds=ceiling.total_seconds() * (0.5 + 0.5 * rng.random()))

    def is_dead(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


# ----------------------------------------------------------------------------- NEMSIS v3.5 export
#: eDisposition.29 Crew Disposition of each outcome (the other codes, eDisposition.27, .28,
#: .30 and .31, are the outcome's own mapping in ``outcomes.NEMSIS``).
CREW_DISPOSITION: Mapping[Disposition, str] = {
    Disposition.TREATED_AND_RELEASED: "4229001",  # Initiated and Continued Primary Care
    Disposition.VOLUNTARY_TRANSPORT: "4229001",
    Disposition.INVOLUNTARY_HOLD: "4229001",
    Disposition.REFERRED: "4229001",
    Disposition.CARE_COURT_PETITION_RECOMMENDED: "4229001",
    Disposition.ESCALATED_TO_POLICE: "4229001",
    Disposition.ESCALATED_TO_EMS: "4229003",  # Initiated Primary Care and Transferred to Another EMS Crew
    Disposition.DECLINED_SERVICES: "4229013",  # Back in Service, Care/Support Services Refused
    Disposition.NO_PERSON_FOUND: "4229011",  # Back in Service, No Care/Support Services Required
}
#: A response cancelled before or on arrival: back in service, nothing needed.
CREW_DISPOSITION_CANCELLED = "4229011"
#: eDispatch.01: Psychiatric Problem/Abnormal Behavior/Suicide Attempt.
DISPATCH_REASON_PSYCHIATRIC = "2301059"
#: eSituation.11 Provider's Primary Impression of a crisis-team encounter: ICD-10-CM R45.89,
#: "other symptoms and signs involving emotional state" -- a symptom, not a diagnosis (the
#: team records none), and inside the NEMSIS Behavioral Health case definition (R45.*).
PRIMARY_IMPRESSION = "R45.89"
