"""Where to take the person: LA County destination rules for a crisis-team transport.

A community facility that fits is preferred over an emergency department (ED):

* **Psychiatric urgent care center (PUCC)** -- LA County EMS Ref. 526 (triage criteria, section
  III) and Ref. 526.1 (medical clearance screening tool).
* **Sobering center (SC)** -- Ref. 528 (section III) and Ref. 528.1.
* **Crisis residential** -- no LA County EMS policy designates it as a 9-1-1 destination; the
  project applies the PUCC medical clearance (Ref. 526) to it and takes voluntary clients only
  (it is not a WIC 5150 designated facility). Its reasons say "applied to crisis residential".
* **Emergency department** -- always suitable: the most accessible receiving facility (Ref. 502
  principle 1), and the only destination for altered consciousness (Ref. 526 principle 2), an
  emergent medical condition (Ref. 526/528 III.B.1) or a person who asks for one (Ref. 526
  principle 7, Ref. 528 principle 5).

Every check is conservative: a criterion that cannot be checked because a value was not
recorded fails, with a reason such as ``heart rate not recorded (Ref. 526 III.A.3.a)``. Every
reason cites the policy and item it comes from.

Ranking (``recommend_destinations``): facilities that pass are ordered by
``(preference class, bed tier, ETA, name, id)`` -- community facility before ED; known free beds
before untracked beds (before a full ED, which stays a fallback, Ref. 502 I.B); then travel time.
Pure and deterministic: standard library only, no I/O, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import NamedTuple

from .errors import InvalidInput
from .outcomes import DestinationType, HoldType, check_hold_age
from .station import Facility

__all__ = [
    "AGE_YEARS",
    "COMMUNITY_TYPES",
    "DIABETIC_GLUCOSE_MG_DL",
    "GCS_MIN",
    "HEART_RATE_BPM",
    "HOLDS",
    "RESP_RATE_RPM",
    "SBP_ISOLATED_HYPERTENSION_MAX",
    "SBP_MMHG",
    "SPO2_MIN_PCT",
    "TIME_LIMITED_TYPES",
    "Consent",
    "DestinationRecommendation",
    "ExcludedDestination",
    "PatientAssessment",
    "RankedDestination",
    "eligible_types",
    "emergency_department_required",
    "recommend_destinations",
]

#: Destinations preferred over an emergency department when the person fits them.
COMMUNITY_TYPES = frozenset(
    {DestinationType.PSYCHIATRIC_URGENT_CARE, DestinationType.SOBERING_CENTER, DestinationType.CRISIS_RESIDENTIAL}
)
#: Destinations that must be reachable within the transport-time limit (Ref. 526 III.A, Ref. 528 III.A).
TIME_LIMITED_TYPES = frozenset({DestinationType.PSYCHIATRIC_URGENT_CARE, DestinationType.SOBERING_CENTER})

#: Inclusive lower and exclusive upper limits, Ref. 526 III.A.2-5 and Ref. 528 III.A.2-5 (identical).
AGE_YEARS = (18, 65)
HEART_RATE_BPM = (60, 120)
RESP_RATE_RPM = (12, 24)
SPO2_MIN_PCT = 94
SBP_MMHG = (100, 180)
#: Ref. 526/528 III.A.3.d note: isolated asymptomatic hypertension with a history of hypertension
#: is not a reason to exclude when SBP <= 180 mmHg (so exactly 180 is admitted for such a person).
SBP_ISOLATED_HYPERTENSION_MAX = 180
GCS_MIN = 14
DIABETIC_GLUCOSE_MG_DL = (60, 250)


class Consent(StrEnum):
    VOLUNTARY = "voluntary"
    HOLD_5150 = "hold_5150"  # WIC 5150, adults
    HOLD_5585 = "hold_5585"  # WIC 5585, minors
    IMPLIED = "implied"  # e.g. an intoxicated person found on the street (Ref. 528 III.A.1.a)


#: The involuntary consents, and the hold each one is.
_HOLD_TYPE = {Consent.HOLD_5150: HoldType.WIC_5150, Consent.HOLD_5585: HoldType.WIC_5585}
HOLDS = frozenset(_HOLD_TYPE)


# --------------------------------------------------------------------------- the assessment

#: Plausible ranges for recorded values; anything outside is a typing error, refused clearly.
_PLAUSIBLE: dict[str, tuple[float, float, str]] = {
    "age": (0, 130, "years"),
    "heart_rate": (0, 350, "bpm"),
    "resp_rate": (0, 100, "per minute"),
    "spo2": (0, 100, "%"),
    "sbp": (0, 400, "mmHg"),
    "gcs": (3, 15, ""),
    "glucose": (0, 3000, "mg/dL"),
}


@dataclass(frozen=True)
class PatientAssessment:
    """What the crew recorded about the person, as needed by the destination rules.

    Every field may be None (= not recorded); an unrecorded value fails every criterion that needs
    it. Flags read "is this present?" except ``behavioral_crisis``, ``ambulatory`` and
    ``cooperative``, which must be True for a community destination.
    """

    age: int | None = None
    # Vital signs (Ref. 526 / 528 III.A.3-5).
    heart_rate: float | None = None
    resp_rate: float | None = None
    spo2: float | None = None  # % on room air
    sbp: float | None = None  # systolic blood pressure, mmHg
    gcs: int | None = None  # best Glasgow Coma Scale after secondary assessment (Ref. 528 III.A.4)
    glucose: float | None = None  # mg/dL; checked only for a diabetic
    diabetic: bool | None = None
    ketoacidosis: bool | None = None  # evidence of ketoacidosis; checked only for a diabetic
    hypertension_history: bool | None = None  # for the isolated-hypertension note
    hypertension_symptoms: bool | None = None  # headache, neurological change, chest pain or SOB
    # Provider impressions.
    behavioral_crisis: bool | None = None  # behavioural/psychiatric crisis (Ref. 526 III.A.1)
    alcohol_intoxication: bool | None = None  # Ref. 528 definition
    drug_intoxication: bool | None = None
    # Conditions.
    emergent_medical_condition: bool | None = None  # includes abnormal vital signs per the definition
    #: Trauma other than a ground-level fall with only minor abrasions below the clavicle.
    trauma: bool | None = None
    focal_neuro_deficit: bool | None = None  # or change from baseline (Ref. 528 III.B.2)
    ambulatory: bool | None = None  # walks without a wheelchair
    cooperative: bool | None = None
    requires_restraints: bool | None = None
    suspected_pregnancy: bool | None = None  # known or suspected
    chest_pain_sob_abdominal_syncope: bool | None = None  # chest pain, SOB, abdominal/pelvic pain, syncope
    bleeding: bool | None = None  # open wounds or bleeding, incl. hemoptysis or GI bleed
    bruising_above_clavicles: bool | None = None  # bruising or hematoma
    suicidal_ideation: bool | None = None
    on_anticoagulants: bool | None = None
    developmental_disability: bool | None = None  # intellectual or developmental disability
    special_equipment: bool | None = None  # requires special medical equipment
    dangerous_behavior: bool | None = None
    midazolam_given: bool | None = None  # for agitation (Ref. 1209)
    loss_of_consciousness_24h: bool | None = None  # syncopal or seizure (Ref. 528.1)
    altered_consciousness: bool | None = None  # altered level of consciousness (ALOC)
    crew_judges_unstable: bool | None = None  # "not stable enough" for a community facility
    requests_emergency_department: bool | None = None
    consent: Consent | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name == "consent":
                try:
                    object.__setattr__(self, "consent", Consent(value))
                except ValueError:
                    allowed = ", ".join(c.value for c in Consent)
                    raise InvalidInput(f"consent must be one of {allowed}, not {value!r}") from None
            elif f.name in _PLAUSIBLE:
                _check_plausible(f.name, value)
            elif not isinstance(value, bool):
                raise InvalidInput(f"{f.name} must be true, false or not recorded, not {value!r}")
        if self.consent in _HOLD_TYPE:
            check_hold_age(_HOLD_TYPE[self.consent], self.age)

    @property
    def is_minor(self) -> bool | None:
        """True/False from the age; a WIC 5585 hold implies a minor; None when unknown."""
        if self.age is not None:
            return self.age < 18
        return True if self.consent is Consent.HOLD_5585 else None


def _check_plausible(name: str, value: object) -> None:
    low, high, unit = _PLAUSIBLE[name]
    integral = name in ("age", "gcs")
    if isinstance(value, bool) or not isinstance(value, int | float) or (integral and not isinstance(value, int)):
        kind = "a whole number" if integral else "a number"
        raise InvalidInput(f"{name} must be {kind}, not {value!r}")
    if not (math.isfinite(value) and low <= value <= high):
        raise InvalidInput(f"{name} {value!r} is outside {_num(low)}-{_num(high)} {unit}".rstrip())


# --------------------------------------------------------------------------- the criteria


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class _Flag:
    """A yes/no criterion: ``fails_when`` is the value that rules the destination out."""

    attr: str
    fails_when: bool
    problem: str  # reason text when the value fails
    label: str  # what was not recorded


_FLAGS = {
    f.attr: f
    for f in (
        _Flag("behavioral_crisis", False, "no behavioural/psychiatric crisis impression", "crisis impression"),
        _Flag("alcohol_intoxication", False, "no impression of alcohol intoxication", "alcohol intoxication"),
        _Flag("ambulatory", False, "not ambulatory (needs a wheelchair)", "ambulatory status"),
        _Flag("cooperative", False, "not cooperative", "cooperation"),
        _Flag("requires_restraints", True, "requires restraints", "need for restraints"),
        _Flag("emergent_medical_condition", True, "emergent medical condition", "emergent medical condition"),
        _Flag("trauma", True, "trauma", "trauma"),
        _Flag("focal_neuro_deficit", True, "focal neurological deficit", "focal neurological deficit"),
        _Flag(
            "chest_pain_sob_abdominal_syncope",
            True,
            "chest pain, shortness of breath, abdominal/pelvic pain or syncope",
            "chest pain/SOB/abdominal pain/syncope",
        ),
        _Flag("bleeding", True, "open wounds or bleeding", "bleeding"),
        _Flag("alcohol_intoxication_excl", True, "intoxicated (alcohol)", "alcohol intoxication"),
        _Flag("drug_intoxication", True, "intoxicated (drugs)", "drug intoxication"),
        _Flag("suspected_pregnancy", True, "pregnant (known or suspected)", "pregnancy"),
        _Flag("special_equipment", True, "requires special medical equipment", "need for special equipment"),
        _Flag("developmental_disability", True, "intellectual or developmental disability", "developmental disability"),
        _Flag("dangerous_behavior", True, "dangerous behaviour", "dangerous behaviour"),
        _Flag("midazolam_given", True, "midazolam given for agitation", "midazolam"),
        _Flag("crew_judges_unstable", True, "crew judges the person not stable enough", "crew's stability judgement"),
        _Flag("suicidal_ideation", True, "suicidal ideation", "suicidal ideation"),
        _Flag("on_anticoagulants", True, "on anticoagulants", "anticoagulant use"),
        _Flag("bruising_above_clavicles", True, "bruising or hematoma above the clavicles", "bruising above clavicles"),
        _Flag(
            "loss_of_consciousness_24h",
            True,
            "loss of consciousness within 24 hours",
            "loss of consciousness in the last 24 hours",
        ),
        _Flag("altered_consciousness", True, "altered level of consciousness: emergency department", "consciousness"),
        _Flag(
            "requests_emergency_department",
            True,
            "the person asks to go to an emergency department",
            "whether the person asks for an ED",
        ),
    )
}


@dataclass(frozen=True)
class _Policy:
    """One destination type's criteria: which flags, which consents, and how to cite them."""

    name: str
    ref: str  # "Ref. 526"
    consents: frozenset[Consent]
    consent_item: str
    flags: tuple[tuple[str, str], ...]  # (flag key, citation item)
    applied_to: str = ""  # set when a policy is borrowed for another type

    def cite(self, item: str) -> str:
        # Items starting with "Ref." are citations of another document, given in full.
        base = item if item.startswith("Ref.") else f"{self.ref} {item}"
        return f"{base}, applied to {self.applied_to}" if self.applied_to else base


_PUCC = _Policy(
    name="psychiatric urgent care",
    ref="Ref. 526",
    consents=frozenset({Consent.VOLUNTARY, Consent.HOLD_5150}),
    consent_item="III.A.1.a",
    flags=(
        ("behavioral_crisis", "III.A.1"),
        ("ambulatory", "III.A.1.b"),
        ("emergent_medical_condition", "III.B.1"),
        ("trauma", "III.A.1.c"),
        ("focal_neuro_deficit", "III.B.2"),
        ("chest_pain_sob_abdominal_syncope", "III.B.4"),
        ("bleeding", "III.B.5"),
        ("alcohol_intoxication_excl", "III.B.6"),
        ("drug_intoxication", "III.B.6"),
        ("suspected_pregnancy", "III.B.7"),
        ("special_equipment", "III.B.8"),
        ("developmental_disability", "III.B.9"),
        ("dangerous_behavior", "III.B.10"),
        ("midazolam_given", "III.B.11"),
        ("crew_judges_unstable", "III.B.12"),
        ("altered_consciousness", "principle 2"),
        ("requests_emergency_department", "principle 7"),
    ),
)

_SOBERING = _Policy(
    name="sobering center",
    ref="Ref. 528",
    consents=frozenset({Consent.VOLUNTARY, Consent.IMPLIED}),
    consent_item="III.A.1.a",
    flags=(
        ("alcohol_intoxication", "III.A.1"),
        # The sobering center is for alcohol, "without other acute medical cause" (definitions).
        ("drug_intoxication", "definition of alcohol intoxication"),
        ("cooperative", "III.A.1.b"),
        ("requires_restraints", "III.A.1.b"),
        ("ambulatory", "III.A.1.c"),
        ("emergent_medical_condition", "III.B.1"),
        ("trauma", "III.A.1.d"),
        ("focal_neuro_deficit", "III.B.2"),
        ("chest_pain_sob_abdominal_syncope", "III.B.4"),
        ("bleeding", "III.B.5"),
        ("suicidal_ideation", "III.B.6"),
        ("on_anticoagulants", "III.B.7"),
        ("suspected_pregnancy", "III.B.8"),
        ("bruising_above_clavicles", "III.B.9"),
        ("developmental_disability", "III.B.10"),
        ("crew_judges_unstable", "III.B.11"),
        ("loss_of_consciousness_24h", "Ref. 528.1"),
        ("altered_consciousness", "Ref. 526 principle 2"),
        ("requests_emergency_department", "principle 5"),
    ),
)

_CRISIS_RESIDENTIAL = _Policy(
    name="crisis residential",
    ref="Ref. 526",
    consents=frozenset({Consent.VOLUNTARY}),
    consent_item="III.A.1.a",
    flags=_PUCC.flags,
    applied_to="crisis residential",
)

_POLICIES: dict[DestinationType, _Policy] = {
    DestinationType.PSYCHIATRIC_URGENT_CARE: _PUCC,
    DestinationType.SOBERING_CENTER: _SOBERING,
    DestinationType.CRISIS_RESIDENTIAL: _CRISIS_RESIDENTIAL,
}


def _flag_value(a: PatientAssessment, key: str) -> bool | None:
    # "alcohol_intoxication_excl" is the exclusion reading of the same recorded flag.
    value: bool | None = getattr(a, key.removesuffix("_excl"))
    return value


def _range(value: float | None, label: str, unit: str, low: float, high: float | None, cite: str) -> list[str]:
    if value is None:
        return [f"{label} not recorded ({cite})"]
    if value < low or (high is not None and value >= high):
        limits = f"≥{_num(low)}" + (f" and <{_num(high)}" if high is not None else "")
        return [f"{label} {_num(value)}{unit} outside {limits}{unit} ({cite})"]
    return []


def _sbp_reasons(a: PatientAssessment, policy: _Policy) -> list[str]:
    reasons = _range(a.sbp, "systolic blood pressure", " mmHg", *SBP_MMHG, policy.cite("III.A.3.d"))
    isolated_hypertension = (
        a.sbp is not None
        and SBP_MMHG[1] <= a.sbp <= SBP_ISOLATED_HYPERTENSION_MAX
        and a.hypertension_history is True
        and a.hypertension_symptoms is False
    )
    return [] if isolated_hypertension else reasons


def _diabetes_reasons(a: PatientAssessment, policy: _Policy) -> list[str]:
    cite = policy.cite("III.A.5")
    if a.diabetic is None:
        return [f"diabetes history not recorded ({cite})"]
    if not a.diabetic:
        return []
    reasons = _range(a.glucose, "blood glucose", " mg/dL", *DIABETIC_GLUCOSE_MG_DL, cite)
    if a.ketoacidosis is None:
        reasons.append(f"ketoacidosis not assessed ({cite})")
    elif a.ketoacidosis:
        reasons.append(f"evidence of ketoacidosis ({cite})")
    return reasons


def _policy_reasons(a: PatientAssessment, policy: _Policy) -> list[str]:
    reasons: list[str] = []
    cite = policy.cite(policy.consent_item)
    if a.consent is None:
        reasons.append(f"consent not recorded ({cite})")
    elif a.consent not in policy.consents:
        allowed = " or ".join(sorted(c.value for c in policy.consents))
        reasons.append(f"consent '{a.consent.value}' is not {allowed} ({cite})")
    reasons += _range(a.age, "age", " years", *AGE_YEARS, policy.cite("III.A.2"))
    reasons += _range(a.heart_rate, "heart rate", " bpm", *HEART_RATE_BPM, policy.cite("III.A.3.a"))
    reasons += _range(a.resp_rate, "respiratory rate", "/min", *RESP_RATE_RPM, policy.cite("III.A.3.b"))
    reasons += _range(a.spo2, "pulse oximetry", "%", SPO2_MIN_PCT, None, policy.cite("III.A.3.c"))
    reasons += _sbp_reasons(a, policy)
    reasons += _range(a.gcs, "GCS", "", GCS_MIN, None, policy.cite("III.A.4"))
    reasons += _diabetes_reasons(a, policy)
    for key, item in policy.flags:
        flag, value = _FLAGS[key], _flag_value(a, key)
        if value is None:
            reasons.append(f"{flag.label} not recorded ({policy.cite(item)})")
        elif value is flag.fails_when:
            reasons.append(f"{flag.problem} ({policy.cite(item)})")
    return reasons


def emergency_department_required(assessment: PatientAssessment) -> list[str]:
    """Why the person must go to an emergency department (empty when nothing forces it)."""
    reasons = []
    if assessment.altered_consciousness:
        reasons.append("altered level of consciousness goes to an emergency department (Ref. 526 principle 2)")
    if assessment.emergent_medical_condition:
        reasons.append("emergent medical condition goes to an emergency department (Ref. 526 III.B.1; Ref. 528 III.B.1)")
    if assessment.requests_emergency_department:
        reasons.append("the person asks for an emergency department (Ref. 526 principle 7; Ref. 528 principle 5)")
    return reasons


def eligible_types(assessment: PatientAssessment) -> dict[DestinationType, list[str]]:
    """For every destination type, the reasons it does NOT suit the person (empty = suitable).

    The emergency department is always suitable; ``other`` never is (no rules describe it).
    """
    result: dict[DestinationType, list[str]] = {}
    for destination_type in DestinationType:
        if destination_type is DestinationType.EMERGENCY_DEPARTMENT:
            result[destination_type] = []
        elif destination_type in _POLICIES:
            result[destination_type] = _policy_reasons(assessment, _POLICIES[destination_type])
        else:
            result[destination_type] = ["type 'other' is not a destination these rules recommend"]
    return result


# --------------------------------------------------------------------------- the recommendation


@dataclass(frozen=True)
class RankedDestination:
    facility_id: str
    name: str
    type: DestinationType
    eta_s: float
    beds_available: int | None
    reasons_for: tuple[str, ...]

    @property
    def preference(self) -> int:
        """0 = community facility, 1 = emergency department."""
        return 0 if self.type in COMMUNITY_TYPES else 1

    @property
    def bed_tier(self) -> int:
        """0 = free beds reported, 1 = not tracked, 2 = full (only an ED is ranked when full)."""
        if self.beds_available is None:
            return 1
        return 0 if self.beds_available > 0 else 2

    @property
    def rank_key(self) -> tuple[int, int, float, str, str]:
        return (self.preference, self.bed_tier, self.eta_s, self.name, self.facility_id)


class ExcludedDestination(NamedTuple):
    facility_id: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DestinationRecommendation:
    #: Best first, at most ``k``; when ``k >= 2`` and any ED can take the person, one is always included.
    ranked: tuple[RankedDestination, ...]
    #: Every facility that cannot take the person, with why; nearest first.
    excluded: tuple[ExcludedDestination, ...]
    #: ``eligible_types`` of the assessment: why each destination type does not fit.
    type_reasons: Mapping[DestinationType, tuple[str, ...]]
    #: Why an emergency department is mandatory (empty when it is not).
    emergency_department_required: tuple[str, ...]


_ACCEPTS_MIN_AGE = {"all_ages": None, "adults_only": 18, "adolescents_13_plus_and_adults": 13}


def _population_reasons(a: PatientAssessment, facility: Facility) -> list[str]:
    if facility.accepts not in _ACCEPTS_MIN_AGE:
        return [f"unknown accepted population '{facility.accepts}' (Ref. 501 patient category)"]
    min_age = _ACCEPTS_MIN_AGE[facility.accepts]
    if min_age is None:
        return []
    takes = "adults only" if min_age == 18 else f"ages {min_age} and over"
    if a.age is not None:
        return [] if a.age >= min_age else [f"age {a.age}: facility takes {takes} (Ref. 501 patient category)"]
    if a.is_minor and min_age == 18:  # age unknown, but a WIC 5585 hold says a minor
        return [f"a minor on a WIC 5585 hold: facility takes {takes} (Ref. 501 patient category)"]
    return [f"age not recorded: facility takes {takes} (Ref. 501 patient category)"]


def _hold_reasons(a: PatientAssessment, facility: Facility, destination_type: DestinationType) -> list[str]:
    if a.consent not in HOLDS or destination_type is DestinationType.EMERGENCY_DEPARTMENT:
        return []
    if "accepts_5150_holds" in facility.capabilities:
        return []
    return [f"does not take WIC {_HOLD_TYPE[a.consent].value} holds (no accepts_5150_holds capability; Ref. 526 III.A.1.a)"]


def _capacity_cite(destination_type: DestinationType) -> str:
    """Ref. 526/528 II.B.4: the capacity to accept the patient is confirmed before transport."""
    policy = _POLICIES.get(destination_type)
    return policy.cite("II.B.4") if policy else "Ref. 502 principle 1"


def _time_limit_cite(destination_type: DestinationType) -> str:
    """Ref. 526/528 III.A: a PUCC or sobering center must be within the transport-time limit."""
    return _POLICIES[destination_type].cite("III.A")


def _destination_type(facility: Facility) -> DestinationType:
    try:
        return DestinationType(facility.type)
    except ValueError:
        raise InvalidInput(f"facility {facility.id} has an unknown type {facility.type!r}") from None


def _checked_eta(facility_id: str, travel_seconds: Mapping[str, float | None]) -> float | None:
    eta = travel_seconds.get(facility_id)
    if eta is None:
        return None
    if isinstance(eta, bool) or not isinstance(eta, int | float) or not math.isfinite(eta) or eta < 0:
        raise InvalidInput(f"travel time to facility {facility_id} must be a non-negative number of seconds, not {eta!r}")
    return float(eta)


def _reasons_for(
    a: PatientAssessment, facility: Facility, destination_type: DestinationType, eta: float, limit_s: float
) -> tuple[str, ...]:
    reasons = []
    if destination_type is DestinationType.EMERGENCY_DEPARTMENT:
        reasons.append("emergency department: the most accessible receiving facility is always an option (Ref. 502 principle 1)")
        reasons += emergency_department_required(a)
    else:
        policy = _POLICIES[destination_type]
        reasons.append(f"meets the {policy.name} criteria ({policy.cite('III')}); preferred over an emergency department")
        if destination_type in TIME_LIMITED_TYPES:
            reasons.append(
                f"transport {_num(round(eta))} s within the {_num(limit_s / 60)}-minute limit "
                f"({_time_limit_cite(destination_type)})"
            )
        if a.consent in HOLDS:
            reasons.append("takes involuntary holds (accepts_5150_holds)")
    if facility.beds_available is None:
        reasons.append(f"beds not tracked: confirm capacity before transport ({_capacity_cite(destination_type)})")
    elif facility.beds_available > 0:
        of = f" of {facility.beds_total}" if facility.beds_total is not None else ""
        reasons.append(f"{facility.beds_available}{of} beds free ({_capacity_cite(destination_type)})")
    else:
        reasons.append("0 beds reported: still the fallback, as the MAR is used regardless of diversion (Ref. 502 I.B)")
    return tuple(reasons)


def recommend_destinations(
    assessment: PatientAssessment,
    facilities: Iterable[Facility],
    travel_seconds: Mapping[str, float | None],
    *,
    max_transport_minutes: float = 15,
    k: int = 5,
) -> DestinationRecommendation:
    """Rank the facilities that can take the person; say why every other one cannot.

    ``travel_seconds`` maps facility id to the transport time from the scene (None or missing =
    unreachable). A facility is excluded when its type does not fit (``eligible_types``), its
    accepted population does not include the person, it cannot take the person's hold, it is a
    PUCC or sobering center beyond ``max_transport_minutes`` (inclusive), it reports 0 beds
    (except an ED, which stays a fallback, ranked last), or it is unreachable.
    Raises InvalidInput for bad arguments (k < 1, a non-positive limit, a negative or non-finite
    travel time, a negative bed count, a repeated facility id).
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidInput(f"k must be a whole number of at least 1, not {k!r}")
    if not (isinstance(max_transport_minutes, int | float) and math.isfinite(max_transport_minutes)) or (
        max_transport_minutes <= 0
    ):
        raise InvalidInput(f"max_transport_minutes must be a positive number, not {max_transport_minutes!r}")
    limit_s = max_transport_minutes * 60.0
    type_reasons = eligible_types(assessment)
    seen: set[str] = set()
    candidates: list[RankedDestination] = []
    excluded: list[tuple[float, ExcludedDestination]] = []
    for facility in facilities:
        if facility.id in seen:
            raise InvalidInput(f"facility {facility.id} is listed twice")
        seen.add(facility.id)
        if facility.beds_available is not None and facility.beds_available < 0:
            raise InvalidInput(f"facility {facility.id} reports {facility.beds_available} beds available")
        destination_type = _destination_type(facility)
        reasons = list(type_reasons[destination_type])
        reasons += _population_reasons(assessment, facility)
        reasons += _hold_reasons(assessment, facility, destination_type)
        eta = _checked_eta(facility.id, travel_seconds)
        if eta is None:
            reasons.append("not reachable: no travel time to it")
        elif destination_type in TIME_LIMITED_TYPES and eta > limit_s:
            reasons.append(
                f"transport {_num(round(eta))} s exceeds the {_num(max_transport_minutes)}-minute limit "
                f"({_time_limit_cite(destination_type)})"
            )
        if facility.beds_available == 0 and destination_type is not DestinationType.EMERGENCY_DEPARTMENT:
            reasons.append(f"no beds available ({_capacity_cite(destination_type)})")
        if reasons or eta is None:
            order = math.inf if eta is None else eta
            excluded.append((order, ExcludedDestination(facility.id, facility.name, tuple(reasons))))
            continue
        candidates.append(
            RankedDestination(
                facility_id=facility.id,
                name=facility.name,
                type=destination_type,
                eta_s=eta,
                beds_available=facility.beds_available,
                reasons_for=_reasons_for(assessment, facility, destination_type, eta, limit_s),
            )
        )
    candidates.sort(key=lambda d: d.rank_key)
    ranked = candidates[:k]
    if k >= 2 and all(d.preference == 0 for d in ranked):
        # Keep the best emergency department in view as the fallback.
        best_ed = next((d for d in candidates if d.preference == 1), None)
        if best_ed is not None:
            ranked = ranked[: k - 1] + [best_ed]
    excluded.sort(key=lambda item: (item[0], item[1].name, item[1].facility_id))
    return DestinationRecommendation(
        ranked=tuple(ranked),
        excluded=tuple(e for _, e in excluded),
        type_reasons={t: tuple(r) for t, r in type_reasons.items()},
        emergency_department_required=tuple(emergency_department_required(assessment)),
    )
