"""A scenario file (TOML, already parsed) validated by pydantic.

:func:`validate_scenario` checks every table and value and fills every default that does
not depend on another value; ``crisis_dispatch.simulation.scenario`` turns the result into
its frozen ``Scenario`` (defaults drawn from other values -- durations for each outcome and
destination, the van shifts -- are resolved there). Every problem is reported at once, each
``location: what is wrong``, in one :class:`~.errors.ConfigError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from crisis_dispatch.domain.outcomes import DestinationType, Disposition

from .errors import ConfigError, problem, problems

PROVIDERS = ("la", "straight_line", "zero")
REGION_KINDS = ("la", "california", "single")
DISPOSITIONS = frozenset(d.value for d in Disposition)
DESTINATIONS = frozenset(d.value for d in DestinationType)
TOP_KEYS = frozenset(
    {
        "name",
        "description",
        "seed",
        "replications",
        "horizon_days",
        "start",
        "region",
        "demand",
        "call_mix",
        "durations",
        "outcomes",
        "destinations",
        "fleet",
        "shifts",
        "policy",
        "impact",
    }
)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise problem(f"must be a number, not {value!r}")
    return float(value)


def _positive(value: float) -> float:
    if value <= 0:
        raise problem(f"must be positive, not {value!r}")
    return value


def _at_least(minimum: float) -> AfterValidator:
    def check(value: float) -> float:
        if value < minimum:
            raise problem(f"must be at least {minimum}, not {value!r}")
        return value

    return AfterValidator(check)


Number = Annotated[float, BeforeValidator(_number)]
Positive = Annotated[Number, AfterValidator(_positive)]
NonNegative = Annotated[Number, _at_least(0.0)]
Text = Annotated[str, BeforeValidator(str)]


def _dist(value: Any) -> Any:
    if not (isinstance(value, list) and len(value) == 2):
        raise problem("must be [mean_minutes, cv]")
    return tuple(value)


#: (mean minutes, coefficient of variation)
Dist = Annotated[tuple[Positive, NonNegative], BeforeValidator(_dist)]


def _keys_in(allowed: frozenset[str]) -> AfterValidator:
    def check(key: str) -> str:
        if key not in allowed:
            raise problem(f"unknown key (expected one of: {', '.join(sorted(allowed))})")
        return key

    return AfterValidator(check)


def _sums_to_one(shares: dict[str, float]) -> dict[str, float]:
    if abs(sum(shares.values()) - 1.0) > 1e-6:
        raise problem(f"probabilities sum to {sum(shares.values()):.4f}, not 1")
    return shares


def _weights(n: int, what: str) -> AfterValidator:
    def check(weights: tuple[float, ...]) -> tuple[float, ...]:
        if len(weights) != n or min(weights) < 0 or sum(weights) <= 0:
            raise problem(f"needs {n} non-negative weights{what}")
        return weights

    return AfterValidator(check)


def _one_of(choices: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in choices:
            raise problem(f"must be one of {', '.join(choices)}, not '{value}'")
        return value

    return AfterValidator(check)


def _window(value: Any) -> Any:
    if not (isinstance(value, list | tuple) and len(value) == 2):
        raise problem("a window is [start, end) in hours")
    return tuple(value)


def _in_a_day(window: tuple[float, float]) -> tuple[float, float]:
    a, b = window
    if not (0 <= a < b <= 24):
        raise problem(f"window [{a}, {b}] must satisfy 0 <= start < end <= 24")
    return window


def _offset(value: Any) -> datetime:
    start = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if start.tzinfo is None:
        raise problem("must carry a UTC offset")
    return start


Window = Annotated[tuple[NonNegative, NonNegative], BeforeValidator(_window), AfterValidator(_in_a_day)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegionTable(_Table):
    kind: Annotated[Text, _one_of(REGION_KINDS)] = "single"
    provider: Annotated[Text, _one_of(PROVIDERS)] | None = None  # by kind: "la" for la, else straight_line
    speed_kmh: Positive = 50.0
    circuity: Annotated[Number, _at_least(1.0)] = 1.3
    candidate_rings: Annotated[NonNegative, AfterValidator(int)] = 0


class DemandTable(_Table):
    annual_calls: NonNegative = 0.0
    team_calls_per_month: Positive | None = None
    daily_profile: Annotated[tuple[float, ...], _weights(24, ", not all zero")] = (1.0,) * 24
    weekday_factors: Annotated[tuple[float, ...], _weights(7, " (Monday first)")] = (1.0,) * 7
    location_jitter_km: NonNegative = 2.0

    @model_validator(mode="after")
    def _some_demand(self) -> DemandTable:
        if self.team_calls_per_month is None and self.annual_calls <= 0:
            raise problem("needs annual_calls or team_calls_per_month")
        return self


class CallMixTable(_Table):
    file: Text
    protocol: Text = "default.yaml"


class DurationsTable(_Table):
    turnout_minutes: NonNegative = 0.0
    on_scene: dict[Annotated[str, _keys_in(DISPOSITIONS)], Dist] = {"treated_and_released": (60.0, 0.5)}
    transport: dict[Annotated[str, _keys_in(DESTINATIONS)], Dist] = {}
    handover: dict[Annotated[str, _keys_in(DESTINATIONS)], Dist] = {}


class VanEntry(_Table):
    call_sign: Text | None = None  # V1, V2, ... by position
    station: Text
    shift: Text = "24/7"


class FleetTable(_Table):
    vans: list[VanEntry] = []
    vans_per_100k: Positive | None = None
    hold_designated: Annotated[bool, BeforeValidator(bool)] = True

    @model_validator(mode="after")
    def _some_vans(self) -> FleetTable:
        if not self.vans and self.vans_per_100k is None:
            raise problem("needs vans = [...] or vans_per_100k")
        return self


class PolicyTable(_Table):
    max_candidates: Annotated[Positive, AfterValidator(int)] = 12
    fallback_after_minutes: Positive | None = None


class ImpactTable(_Table):
    police_hours_per_call: NonNegative = 0.0
    fire_hours_per_call: NonNegative = 0.0
    baseline_ed_share: NonNegative = 0.0


Outcomes = dict[str, Annotated[dict[Annotated[str, _keys_in(DISPOSITIONS)], NonNegative], AfterValidator(_sums_to_one)]]


def _default_outcome(outcomes: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    if "default" not in outcomes:
        raise problem("'default' is required (used for tiers without their own table)")
    return outcomes


class ScenarioFile(_Table):
    """A scenario file, checked; ``name`` is None when the file does not give one."""

    name: Text | None = None
    description: Text = ""
    seed: int = 1
    replications: Annotated[Positive, AfterValidator(int)] = 1
    horizon_days: Positive = 365.0
    start: Annotated[datetime, BeforeValidator(_offset)] = Field(default="2025-01-06T00:00:00+00:00", validate_default=True)
    region: RegionTable = RegionTable()
    demand: DemandTable
    call_mix: CallMixTable
    durations: DurationsTable = DurationsTable()
    outcomes: Annotated[Outcomes, AfterValidator(_default_outcome)] = {"default": {"treated_and_released": 1.0}}
    destinations: Annotated[dict[Annotated[str, _keys_in(DESTINATIONS)], NonNegative], AfterValidator(_sums_to_one)] = {
        "emergency_department": 1.0
    }
    fleet: FleetTable
    shifts: dict[str, tuple[Window, ...]] = {}
    policy: PolicyTable = PolicyTable()
    impact: ImpactTable = ImpactTable()

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        unknown = sorted(set(data) - TOP_KEYS) if isinstance(data, Mapping) else []
        if unknown:
            raise problem(f"unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(TOP_KEYS))})")
        return data

    @model_validator(mode="after")
    def _van_shifts(self) -> ScenarioFile:
        defined = ["24/7", *self.shifts]
        for i, van in enumerate(self.fleet.vans):
            if van.shift not in defined:
                raise problem(f"fleet.vans[{i}].shift: unknown shift '{van.shift}' (defined: {', '.join(defined)})")
        return self


def validate_scenario(data: Any, path: Path) -> ScenarioFile:
    """``data`` (a parsed scenario file at ``path``) checked; the call mix file must exist."""
    try:
        scenario = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems(exc, data, top=None)) from None
    mix = call_mix_path(scenario, path)
    if not mix.is_file():
        raise ConfigError([f"call_mix.file: {mix} not found"])
    return scenario


def call_mix_path(scenario: ScenarioFile, path: Path) -> Path:
    """The call mix file, relative to the scenario file unless absolute."""
    mix = Path(scenario.call_mix.file)
    return mix if mix.is_absolute() else path.parent / mix
