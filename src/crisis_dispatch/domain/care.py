"""CARE Court petitions (the CARE Act, SB 1338, WIC 5970 et seq.) prepared from an encounter.

A clinician of the mobile crisis team may petition (WIC 5974: first responders, including
mobile crisis workers, who have had repeated interactions with the respondent). The petition
carries the fields of Judicial Council form CARE-100 that we know: the respondent, the
petitioner, the county, the facts, and the criteria of WIC 5972 *as the clinician attests
them*. This module checks only that the form is complete and that the respondent is an adult
(WIC 5972(a)); whether the person is eligible is for the court, never for this code.

The stages follow one another in order, each with its date; the county's report is due 14
court days after the court orders it (WIC 5977), counted by ``court_days.CourtCalendar``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from .clock import ensure_aware
from .court_days import CourtCalendar
from .errors import InvalidInput

#: The CARE Act applies to adults only (WIC 5972(a)).
ADULT_AGE = 18
#: The evidence bundle reaches back this far before the petition is prepared.
EVIDENCE_WINDOW = timedelta(days=60)
#: The county's report is due this many court days after the court orders it (WIC 5977).
COUNTY_REPORT_COURT_DAYS = 14

#: The 58 counties of California: the CARE Act is in force in every one of them.
COUNTIES: tuple[str, ...] = (
    "Alameda", "Alpine", "Amador", "Butte", "Calaveras", "Colusa", "Contra Costa", "Del Norte",
    "El Dorado", "Fresno", "Glenn", "Humboldt", "Imperial", "Inyo", "Kern", "Kings", "Lake",
    "Lassen", "Los Angeles", "Madera", "Marin", "Mariposa", "Mendocino", "Merced", "Modoc",
    "Mono", "Monterey", "Napa", "Nevada", "Orange", "Placer", "Plumas", "Riverside",
    "Sacramento", "San Benito", "San Bernardino", "San Diego", "San Francisco", "San Joaquin",
    "San Luis Obispo", "San Mateo", "Santa Barbara", "Santa Clara", "Santa Cruz", "Shasta",
    "Sierra", "Siskiyou", "Solano", "Sonoma", "Stanislaus", "Sutter", "Tehama", "Trinity",
    "Tulare", "Tuolumne", "Ventura", "Yolo", "Yuba",
)  # fmt: skip


def county(name: str, what: str = "county") -> str:
    """The county as California names it (any case, with or without "County")."""
    wanted = name.strip().removesuffix(" County").removesuffix(" county").strip().lower()
    for c in COUNTIES:
        if c.lower() == wanted:
            return c
    raise InvalidInput(f"the {what} must be one of California's 58 counties, not {name.strip()!r}")


class Criterion(StrEnum):
    """WIC 5972 (a)-(c), (e), (f): every one is attested on a petition."""

    ADULT = "adult"  # (a) 18 or older
    PSYCHOTIC_DISORDER = "psychotic_disorder"  # (b) schizophrenia spectrum or other psychotic disorder
    NOT_CLINICALLY_STABILIZED = "not_clinically_stabilized"  # (c) not stabilized in ongoing voluntary treatment
    LEAST_RESTRICTIVE = "least_restrictive"  # (e) a CARE plan or agreement is the least restrictive alternative
    LIKELY_TO_BENEFIT = "likely_to_benefit"  # (f) likely to benefit


class Ground(StrEnum):
    """WIC 5972(d): at least one of the two."""

    UNLIKELY_TO_SURVIVE_SAFELY = "unlikely_to_survive_safely"  # (d)(1) without supervision, and deteriorating
    NEEDS_SERVICES_TO_PREVENT_RELAPSE = "needs_services_to_prevent_relapse"  # (d)(2) grave disability or serious harm


CRITERION_TEXT: Mapping[Criterion, str] = {
    Criterion.ADULT: "is 18 years of age or older (WIC 5972(a))",
    Criterion.PSYCHOTIC_DISORDER: "has a diagnosis in the schizophrenia spectrum or another psychotic disorder (5972(b))",
    Criterion.NOT_CLINICALLY_STABILIZED: "is not clinically stabilized in ongoing voluntary treatment (5972(c))",
    Criterion.LEAST_RESTRICTIVE: "participation in a CARE plan or agreement would be the least restrictive alternative (5972(e))",
    Criterion.LIKELY_TO_BENEFIT: "is likely to benefit from participation (5972(f))",
}
GROUND_TEXT: Mapping[Ground, str] = {
    Ground.UNLIKELY_TO_SURVIVE_SAFELY: "is unlikely to survive safely in the community without supervision and "
    "their condition is substantially deteriorating (5972(d)(1))",
    Ground.NEEDS_SERVICES_TO_PREVENT_RELAPSE: "needs services and supports to prevent a relapse or deterioration "
    "likely to result in grave disability or serious harm to themselves or others (5972(d)(2))",
}


class Stage(StrEnum):
    """The steps of a CARE matter, in the order they happen."""

    PREPARED = "prepared"
    FILED = "filed"
    PRIMA_FACIE_FINDING = "prima_facie_finding"
    COUNTY_REPORT_ORDERED = "county_report_ordered"
    #: The county filed its report (what the 14 court days of WIC 5977 run to).
    COUNTY_REPORT_FILED = "county_report_filed"
    HEARING = "hearing"
    AGREEMENT_OR_PLAN = "agreement_or_plan"
    GRADUATION_OR_DISMISSAL = "graduation_or_dismissal"


ORDER: tuple[Stage, ...] = tuple(Stage)
#: The court may dismiss a petition at any point after it is filed.
FINAL = Stage.GRADUATION_OR_DISMISSAL


@dataclass(frozen=True)
class Deadline:
    """A time limit that runs from one stage until another is recorded."""

    starts: Stage
    ends: Stage
    court_days: int
    what: str


DEADLINES: tuple[Deadline, ...] = (
    Deadline(Stage.COUNTY_REPORT_ORDERED, Stage.COUNTY_REPORT_FILED, COUNTY_REPORT_COURT_DAYS, "the county's report (WIC 5977)"),
)


@dataclass(frozen=True)
class Due:
    what: str
    stage: Stage
    due: date
    overdue: bool
    words: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "stage": self.stage.value,
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "words": self.words,
        }


@dataclass(frozen=True)
class Respondent:
    name: str
    age: int
    county_of_residence: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "age": self.age, "county_of_residence": self.county_of_residence}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Respondent:
        return cls(name=data["name"], age=int(data["age"]), county_of_residence=data["county_of_residence"])


@dataclass(frozen=True)
class Petitioner:
    """The clinician who petitions, as a member of the mobile crisis team (WIC 5974)."""

    staff_id: str
    name: str
    capacity: str = "first responder: mobile crisis team member (WIC 5974)"

    def to_dict(self) -> dict[str, Any]:
        return {"staff_id": self.staff_id, "name": self.name, "capacity": self.capacity}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Petitioner:
        return cls(staff_id=data["staff_id"], name=data["name"], capacity=data.get("capacity", cls.capacity))


@dataclass(frozen=True)
class StageRecord:
    stage: Stage
    on: date
    by: str
    recorded_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage.value, "on": self.on.isoformat(), "by": self.by, "recorded_at": self.recorded_at.isoformat()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StageRecord:
        return cls(
            stage=Stage(data["stage"]),
            on=date.fromisoformat(data["on"]),
            by=data["by"],
            recorded_at=datetime.fromisoformat(data["recorded_at"]),
        )


@dataclass(frozen=True)
class EvidenceItem:
    """One encounter from our records, as the court may see it: when, what came of it, and
    the hold if there was one. Never the words of the call, the caller or the crew's notes."""

    incident_id: str
    received_at: datetime
    disposition: str | None = None
    hold_type: str | None = None
    hold_criteria: tuple[str, ...] = ()
    first_detained_at: datetime | None = None
    hold_written_by: str = ""
    destination: str = ""

    @property
    def kind(self) -> str:
        return "hold" if self.hold_type else "encounter"

    def to_dict(self) -> dict[str, Any]:
        return {
            "incident_id": self.incident_id,
            "kind": self.kind,
            "received_at": ensure_aware(self.received_at).isoformat(),
            "disposition": self.disposition,
            "hold_type": self.hold_type,
            "hold_criteria": list(self.hold_criteria),
            "first_detained_at": ensure_aware(self.first_detained_at).isoformat() if self.first_detained_at else None,
            "hold_written_by": self.hold_written_by,
            "destination": self.destination,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvidenceItem:
        detained = data.get("first_detained_at")
        return cls(
            incident_id=data["incident_id"],
            received_at=datetime.fromisoformat(data["received_at"]),
            disposition=data.get("disposition"),
            hold_type=data.get("hold_type"),
            hold_criteria=tuple(data.get("hold_criteria", ())),
            first_detained_at=datetime.fromisoformat(detained) if detained else None,
            hold_written_by=data.get("hold_written_by", ""),
            destination=data.get("destination", ""),
        )


def in_evidence_window(at: datetime, prepared_at: datetime) -> bool:
    end = ensure_aware(prepared_at)
    return end - EVIDENCE_WINDOW <= ensure_aware(at) <= end


def evidence_bundle(items: Iterable[EvidenceItem], *, prepared_at: datetime) -> tuple[EvidenceItem, ...]:
    """The encounters of the last 60 days before ``prepared_at``, oldest first. An encounter
    listed from outside the window (or after the preparation) is refused, naming it."""
    start, end = ensure_aware(prepared_at) - EVIDENCE_WINDOW, ensure_aware(prepared_at)
    kept: dict[str, EvidenceItem] = {}
    for item in items:
        at = ensure_aware(item.received_at)
        if not in_evidence_window(at, prepared_at):
            raise InvalidInput(
                f"incident {item.incident_id} ({at.date().isoformat()}) is not in the 60 days before the petition "
                f"({start.date().isoformat()} to {end.date().isoformat()}): the evidence bundle holds only those"
            )
        kept[item.incident_id] = item
    return tuple(sorted(kept.values(), key=lambda i: (ensure_aware(i.received_at), i.incident_id)))


@dataclass(frozen=True)
class CarePetition:
    id: str
    incident_id: str
    respondent: Respondent
    petitioner: Petitioner
    county: str
    facts: str
    criteria: frozenset[Criterion]
    grounds: frozenset[Ground]
    prepared_at: datetime
    prepared_by: str
    stages: tuple[StageRecord, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    #: How the matter ended, with the final stage: "graduation" or "dismissal".
    result: str = ""

    def validate(self) -> None:
        """The form as the clinician sends it: complete, for an adult, in a California county."""
        if self.respondent.age < ADULT_AGE:
            raise InvalidInput(
                f"a CARE petition is for an adult (WIC 5972(a): 18 or older); the respondent is {self.respondent.age}"
            )
        if not self.respondent.name.strip():
            raise InvalidInput("a CARE petition names the respondent")
        county(self.respondent.county_of_residence, "respondent's county of residence")
        county(self.county)
        if not self.petitioner.name.strip():
            raise InvalidInput("a CARE petition names the petitioner (the clinician of the mobile crisis team)")
        if not self.facts.strip():
            raise InvalidInput("a CARE petition states the facts that support it")
        missing = [CRITERION_TEXT[c] for c in Criterion if c not in self.criteria]
        if missing:
            raise InvalidInput(
                "the petition attests every criterion of WIC 5972; not attested: the respondent " + "; ".join(missing)
            )
        if not self.grounds:
            raise InvalidInput(
                "the petition attests at least one of the two grounds of WIC 5972(d): the respondent "
                + " or ".join(GROUND_TEXT[g] for g in Ground)
            )

    @property
    def stage(self) -> Stage:
        return self.stages[-1].stage if self.stages else Stage.PREPARED

    def stage_on(self, stage: Stage) -> date | None:
        for s in self.stages:
            if s.stage is stage:
                return s.on
        return None

    def record_stage(self, stage: Stage, on: date, *, by: str, now: datetime, today: date, result: str = "") -> CarePetition:
        """The next stage, on its date: in order (the court may dismiss at any point once the
        petition is filed), never before the previous stage or the petition, never in the future."""
        current = self.stage
        if stage is Stage.PREPARED:
            raise InvalidInput("a petition is prepared once, when it is created")
        if current is FINAL:
            raise InvalidInput(f"the matter ended ({self.result or current.value}): no stage follows")
        expected = ORDER[ORDER.index(current) + 1]
        dismissal_early = stage is FINAL and result == "dismissal" and current is not Stage.PREPARED
        if stage is not expected and not dismissal_early:
            raise InvalidInput(f"the next stage after '{current.value}' is '{expected.value}', not '{stage.value}'")
        if stage is FINAL and result not in ("graduation", "dismissal"):
            raise InvalidInput("the last stage says how the matter ended: result 'graduation' or 'dismissal'")
        previous = self.stages[-1].on if self.stages else ensure_aware(self.prepared_at).date()
        if on < previous:
            raise InvalidInput(
                f"'{stage.value}' on {on.isoformat()} cannot be before '{current.value}' on {previous.isoformat()}"
            )
        if on > today:
            raise InvalidInput(f"'{stage.value}' cannot be dated in the future ({on.isoformat()}; today is {today.isoformat()})")
        record = StageRecord(stage=stage, on=on, by=by, recorded_at=ensure_aware(now))
        return replace(self, stages=(*self.stages, record), result=result if stage is FINAL else self.result)

    def due(self, calendar: CourtCalendar, today: date) -> Due | None:
        """The deadline running now (the county's report), with whether it has passed."""
        for d in DEADLINES:
            started = self.stage_on(d.starts)
            if started is None or self.stage_on(d.ends) is not None or self.stage is FINAL:
                continue
            due = calendar.add_court_days(started, d.court_days)
            return Due(d.what, d.ends, due, today > due, due_in_words(d.what, due, today, calendar))
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "respondent": self.respondent.to_dict(),
            "petitioner": self.petitioner.to_dict(),
            "county": self.county,
            "facts": self.facts,
            "criteria": [c.value for c in Criterion if c in self.criteria],
            "grounds": [g.value for g in Ground if g in self.grounds],
            "prepared_at": ensure_aware(self.prepared_at).isoformat(),
            "prepared_by": self.prepared_by,
            "stages": [s.to_dict() for s in self.stages],
            "evidence": [e.to_dict() for e in self.evidence],
            "result": self.result,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CarePetition:
        return cls(
            id=data["id"],
            incident_id=data["incident_id"],
            respondent=Respondent.from_dict(data["respondent"]),
            petitioner=Petitioner.from_dict(data["petitioner"]),
            county=data["county"],
            facts=data["facts"],
            criteria=frozenset(Criterion(c) for c in data["criteria"]),
            grounds=frozenset(Ground(g) for g in data["grounds"]),
            prepared_at=datetime.fromisoformat(data["prepared_at"]),
            prepared_by=data["prepared_by"],
            stages=tuple(StageRecord.from_dict(s) for s in data.get("stages", ())),
            evidence=tuple(EvidenceItem.from_dict(e) for e in data.get("evidence", ())),
            result=data.get("result", ""),
        )


def court_days_between(calendar: CourtCalendar, start: date, end: date) -> int:
    """Court days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end == start:
        return 0
    lo, hi, sign = (start, end, 1) if end > start else (end, start, -1)
    day, n = lo, 0
    while day < hi:
        day += timedelta(days=1)
        if calendar.is_court_day(day):
            n += 1
    return sign * n


def due_in_words(what: str, due: date, today: date, calendar: CourtCalendar) -> str:
    """ "The county's report (WIC 5977) is due Tuesday 22 December 2026, in 5 court days"."""
    when = f"{due:%A} {due.day} {due:%B %Y}"
    if today == due:
        return f"{what[0].upper()}{what[1:]} is due today, {when}"
    if today < due:
        n = court_days_between(calendar, today, due)
        return f"{what[0].upper()}{what[1:]} is due {when}, in {n} court day{'s' if n != 1 else ''}"
    n = court_days_between(calendar, due, today)
    late = f"{n} court day{'s' if n != 1 else ''}" if n else f"{(today - due).days} day{'s' if (today - due).days != 1 else ''}"
    return f"Overdue: {what} was due {when}, {late} ago"
