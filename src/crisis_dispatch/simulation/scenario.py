"""Scenarios as data: a TOML file describes region, demand, call mix, durations, outcomes,
fleet, shifts and policies. :func:`load_scenario` validates it (pydantic, in
``crisis_dispatch.adapters.config.scenario``) and resolves every default,
so a run can echo exactly what it simulated (:meth:`Scenario.to_dict`).

Scenario names resolve against the shipped ``crisis_dispatch/scenarios`` folder (the
repository's ``scenarios/`` is a link to it): ``la-ttp`` → ``scenarios/la-ttp.toml``,
``validation/mmc`` → ``scenarios/validation/mmc.toml``. A path to a ``.toml`` file works too.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from crisis_dispatch.adapters.config.errors import ConfigError
from crisis_dispatch.adapters.config.scenario import PROVIDERS, REGION_KINDS, ScenarioFile, call_mix_path, validate_scenario


class ScenarioError(ValueError):
    """A scenario that cannot be found or does not make sense; the message says where."""


DAY_S = 86_400.0
YEAR_DAYS = 365.0
__all__ = ["DAY_S", "PROVIDERS", "REGION_KINDS", "YEAR_DAYS", "Scenario", "ScenarioError", "Van", "load_scenario"]
#: Lognormal (mean minutes, coefficient of variation) or exponential (cv = 1 exactly).
Dist = tuple[float, float]


@dataclass(frozen=True)
class Van:
    call_sign: str
    station: str  # a station id (LA), a county name (california) or "base" (single)
    shift: str = "24/7"


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    seed: int
    replications: int
    horizon_days: float
    start: datetime
    # region
    region: str
    provider: str
    speed_kmh: float
    circuity: float
    # demand
    annual_calls: float
    team_calls_per_year: float | None
    daily_profile: tuple[float, ...]
    weekday_factors: tuple[float, ...]
    location_jitter_km: float
    # call mix
    call_mix_file: str
    protocol: str
    # durations (minutes)
    turnout_minutes: float
    on_scene: dict[str, Dist]
    transport: dict[str, Dist]
    handover: dict[str, Dist]
    # outcomes by tier: disposition -> probability; transports split by destination type
    outcomes: dict[str, dict[str, float]]
    destinations: dict[str, float]
    # fleet
    vans: tuple[Van, ...]
    vans_per_100k: float | None
    shifts: dict[str, tuple[tuple[float, float], ...]]
    hold_designated: bool
    # policy
    max_candidates: int
    fallback_after_minutes: float | None
    # impact assumptions
    police_hours_per_call: float
    fire_hours_per_call: float
    baseline_ed_share: float
    source: str = ""
    #: Planning only: rings of candidate stations around each county centre (california).
    candidate_rings: int = 0

    @property
    def horizon_s(self) -> float:
        return self.horizon_days * DAY_S

    @property
    def local_hour0(self) -> float:
        """The local hour of day at t = 0 (``start`` in its own UTC offset), minutes as a fraction."""
        return self.start.hour + self.start.minute / 60.0

    def with_changes(self, **changes: Any) -> Scenario:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"] = self.start.isoformat()
        d["vans"] = len(self.vans) if self.vans_per_100k is None else f"{self.vans_per_100k} per 100k people"
        return d


# --------------------------------------------------------------------------- loading


def scenarios_root() -> Path:
    return Path(str(resources.files("crisis_dispatch.scenarios")))


def shipped_scenarios() -> list[str]:
    root = scenarios_root()
    return sorted(str(p.relative_to(root).with_suffix("")) for p in root.rglob("*.toml"))


def resolve_path(name_or_path: str | Path) -> Path:
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        if not p.is_file():
            raise ScenarioError(f"scenario file not found: {p}")
        return p
    candidate = scenarios_root() / f"{name_or_path}.toml"
    if candidate.is_file():
        return candidate
    raise ScenarioError(f"unknown scenario '{name_or_path}' (shipped: {', '.join(shipped_scenarios())})")


def load_scenario(name_or_path: str | Path) -> Scenario:
    path = resolve_path(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return _build(validate_scenario(data, path), path)
    except ConfigError as exc:
        raise ScenarioError(f"{path}: {exc}") from None


def _build(f: ScenarioFile, path: Path) -> Scenario:
    """The frozen scenario of a checked file, with the defaults drawn from other values:
    each outcome's disposition gets the default time on scene, each destination a transport
    and a handover time."""
    d = f.durations
    on_scene, transport, handover = dict(d.on_scene), dict(d.transport), dict(d.handover)
    default_scene = on_scene.get("default") or next(iter(on_scene.values()))
    for probs in f.outcomes.values():
        for disp in probs:
            on_scene.setdefault(disp, default_scene)
    for k in f.destinations:
        transport.setdefault(k, (30.0, 0.5))
        handover.setdefault(k, (20.0, 0.5))
    shifts = {"24/7": ((0.0, 24.0),), **{name: tuple(sorted(ws)) for name, ws in f.shifts.items()}}
    vans = tuple(Van(v.call_sign or f"V{i + 1}", v.station, v.shift) for i, v in enumerate(f.fleet.vans))
    region, demand = f.region, f.demand
    return Scenario(
        name=f.name if f.name is not None else path.stem,
        description=f.description,
        seed=f.seed,
        replications=int(f.replications),
        horizon_days=f.horizon_days,
        start=f.start,
        region=region.kind,
        provider=region.provider or ("la" if region.kind == "la" else "straight_line"),
        speed_kmh=region.speed_kmh,
        circuity=region.circuity,
        annual_calls=demand.annual_calls,
        team_calls_per_year=None if demand.team_calls_per_month is None else demand.team_calls_per_month * 12,
        daily_profile=demand.daily_profile,
        weekday_factors=demand.weekday_factors,
        location_jitter_km=demand.location_jitter_km,
        call_mix_file=str(call_mix_path(f, path)),
        protocol=f.call_mix.protocol,
        turnout_minutes=d.turnout_minutes,
        on_scene=on_scene,
        transport=transport,
        handover=handover,
        outcomes=dict(f.outcomes),
        destinations=dict(f.destinations),
        vans=vans,
        vans_per_100k=f.fleet.vans_per_100k,
        shifts=shifts,
        hold_designated=f.fleet.hold_designated,
        max_candidates=int(f.policy.max_candidates),
        fallback_after_minutes=f.policy.fallback_after_minutes,
        police_hours_per_call=f.impact.police_hours_per_call,
        fire_hours_per_call=f.impact.fire_hours_per_call,
        baseline_ed_share=f.impact.baseline_ed_share,
        source=str(path),
        candidate_rings=int(region.candidate_rings),
    )
