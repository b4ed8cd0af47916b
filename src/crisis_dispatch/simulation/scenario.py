"""Scenarios as data: a TOML file describes region, demand, call mix, durations, outcomes,
fleet, shifts and policies. :func:`load_scenario` validates it and resolves every default,
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

from crisis_dispatch.domain.outcomes import DestinationType, Disposition


class ScenarioError(ValueError):
    """A scenario that cannot be found or does not make sense; the message says where."""


DAY_S = 86_400.0
YEAR_DAYS = 365.0
PROVIDERS = ("la", "straight_line", "zero")
REGION_KINDS = ("la", "california", "single")
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
        return _parse(data, path)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    except (TypeError, ValueError, KeyError) as exc:
        raise ScenarioError(f"{path}: {type(exc).__name__}: {exc}") from None


def _get(d: dict[str, Any], key: str, default: Any = ..., where: str = "") -> Any:
    if key in d:
        return d[key]
    if default is ...:
        raise ScenarioError(f"missing key '{where}{key}'")
    return default


def _num(value: Any, where: str, *, positive: bool = False, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(f"'{where}' must be a number, not {value!r}")
    v = float(value)
    if positive and v <= 0:
        raise ScenarioError(f"'{where}' must be positive, not {value!r}")
    if minimum is not None and v < minimum:
        raise ScenarioError(f"'{where}' must be at least {minimum}, not {value!r}")
    return v


def _dists(table: dict[str, Any], where: str, keys: set[str]) -> dict[str, Dist]:
    out: dict[str, Dist] = {}
    for k, v in table.items():
        if k not in keys:
            raise ScenarioError(f"'{where}.{k}': unknown key (expected one of: {', '.join(sorted(keys))})")
        if not (isinstance(v, list) and len(v) == 2):
            raise ScenarioError(f"'{where}.{k}' must be [mean_minutes, cv]")
        out[k] = (_num(v[0], f"{where}.{k}[0]", positive=True), _num(v[1], f"{where}.{k}[1]", minimum=0.0))
    return out


DISPOSITIONS = {d.value for d in Disposition}
DESTINATIONS = {d.value for d in DestinationType}


KNOWN_KEYS = frozenset(
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


def _parse_outcomes(data: dict[str, Any]) -> dict[str, dict[str, float]]:
    """``outcomes``: per tier, disposition probabilities that sum to 1; a ``default`` table is required."""
    outcomes: dict[str, dict[str, float]] = {}
    for tier, table in dict(_get(data, "outcomes", {"default": {"treated_and_released": 1.0}})).items():
        probs = {}
        for disp, p in dict(table).items():
            if disp not in DISPOSITIONS:
                raise ScenarioError(f"'outcomes.{tier}.{disp}': unknown disposition")
            probs[disp] = _num(p, f"outcomes.{tier}.{disp}", minimum=0.0)
        if abs(sum(probs.values()) - 1.0) > 1e-6:
            raise ScenarioError(f"'outcomes.{tier}' probabilities sum to {sum(probs.values()):.4f}, not 1")
        outcomes[tier] = probs
    if "default" not in outcomes:
        raise ScenarioError("'outcomes.default' is required (used for tiers without their own table)")
    return outcomes


def _parse_shifts(data: dict[str, Any]) -> dict[str, tuple[tuple[float, float], ...]]:
    """``shifts``: named lists of [start, end) hour windows, beside the built-in ``24/7``."""
    shifts: dict[str, tuple[tuple[float, float], ...]] = {"24/7": ((0.0, 24.0),)}
    for name, windows in dict(_get(data, "shifts", {})).items():
        ws = []
        for w in windows:
            a, b = _num(w[0], f"shifts.{name}", minimum=0), _num(w[1], f"shifts.{name}", minimum=0)
            if not (0 <= a < b <= 24):
                raise ScenarioError(f"'shifts.{name}': window [{a}, {b}] must satisfy 0 <= start < end <= 24")
            ws.append((a, b))
        shifts[name] = tuple(sorted(ws))
    return shifts


def _parse_vans(fleet: dict[str, Any], shifts: dict[str, tuple[tuple[float, float], ...]]) -> list[Van]:
    """``fleet.vans``: each van's call sign, station and one of the ``shifts``."""
    vans = []
    for i, v in enumerate(_get(fleet, "vans", [])):
        van = Van(
            str(_get(v, "call_sign", f"V{i + 1}")),
            str(_get(v, "station", where=f"fleet.vans[{i}].")),
            str(v.get("shift", "24/7")),
        )
        if van.shift not in shifts:
            raise ScenarioError(f"'fleet.vans[{i}].shift': unknown shift '{van.shift}' (defined: {', '.join(shifts)})")
        vans.append(van)
    return vans


def _parse(data: dict[str, Any], path: Path) -> Scenario:
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ScenarioError(f"unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(KNOWN_KEYS))})")
    region = dict(_get(data, "region", {}))
    demand = dict(_get(data, "demand", where=""))
    mix = dict(_get(data, "call_mix", where=""))
    durations = dict(_get(data, "durations", {}))
    fleet = dict(_get(data, "fleet", where=""))
    policy = dict(_get(data, "policy", {}))
    impact = dict(_get(data, "impact", {}))

    kind = str(_get(region, "kind", "single"))
    if kind not in REGION_KINDS:
        raise ScenarioError(f"'region.kind' must be one of {', '.join(REGION_KINDS)}, not '{kind}'")
    provider = str(_get(region, "provider", "la" if kind == "la" else "straight_line"))
    if provider not in PROVIDERS:
        raise ScenarioError(f"'region.provider' must be one of {', '.join(PROVIDERS)}, not '{provider}'")

    daily = tuple(float(x) for x in _get(demand, "daily_profile", [1.0] * 24))
    weekly = tuple(float(x) for x in _get(demand, "weekday_factors", [1.0] * 7))
    if len(daily) != 24 or min(daily) < 0 or sum(daily) <= 0:
        raise ScenarioError("'demand.daily_profile' needs 24 non-negative weights, not all zero")
    if len(weekly) != 7 or min(weekly) < 0 or sum(weekly) <= 0:
        raise ScenarioError("'demand.weekday_factors' needs 7 non-negative weights (Monday first)")
    team = demand.get("team_calls_per_month")
    team_year = _num(team, "demand.team_calls_per_month", positive=True) * 12 if team is not None else None
    annual = _num(_get(demand, "annual_calls", 0.0), "demand.annual_calls", minimum=0.0)
    if team_year is None and annual <= 0:
        raise ScenarioError("'demand' needs annual_calls or team_calls_per_month")

    mix_file = str(_get(mix, "file", where="call_mix."))
    mix_path = (path.parent / mix_file) if not Path(mix_file).is_absolute() else Path(mix_file)
    if not mix_path.is_file():
        raise ScenarioError(f"'call_mix.file': {mix_path} not found")

    on_scene = _dists(dict(_get(durations, "on_scene", {"treated_and_released": [60, 0.5]})), "durations.on_scene", DISPOSITIONS)
    transport = _dists(dict(_get(durations, "transport", {})), "durations.transport", DESTINATIONS)
    handover = _dists(dict(_get(durations, "handover", {})), "durations.handover", DESTINATIONS)
    default_scene = on_scene.get("default") or next(iter(on_scene.values()))

    outcomes = _parse_outcomes(data)
    for probs in outcomes.values():
        for disp in probs:
            on_scene.setdefault(disp, default_scene)
    destinations = {
        k: _num(v, f"destinations.{k}", minimum=0.0)
        for k, v in dict(_get(data, "destinations", {"emergency_department": 1.0})).items()
    }
    for k in destinations:
        if k not in DESTINATIONS:
            raise ScenarioError(f"'destinations.{k}': unknown destination type")
        transport.setdefault(k, (30.0, 0.5))
        handover.setdefault(k, (20.0, 0.5))
    if abs(sum(destinations.values()) - 1.0) > 1e-6:
        raise ScenarioError("'destinations' shares must sum to 1")

    shifts = _parse_shifts(data)
    vans = _parse_vans(fleet, shifts)
    per100k = fleet.get("vans_per_100k")
    if not vans and per100k is None:
        raise ScenarioError("'fleet' needs vans = [...] or vans_per_100k")

    start = _get(data, "start", "2025-01-06T00:00:00+00:00")
    start_dt = start if isinstance(start, datetime) else datetime.fromisoformat(str(start))
    if start_dt.tzinfo is None:
        raise ScenarioError("'start' must carry a UTC offset")
    fallback = policy.get("fallback_after_minutes")
    return Scenario(
        name=str(_get(data, "name", path.stem)),
        description=str(_get(data, "description", "")),
        seed=int(_get(data, "seed", 1)),
        replications=int(_num(_get(data, "replications", 1), "replications", positive=True)),
        horizon_days=_num(_get(data, "horizon_days", 365), "horizon_days", positive=True),
        start=start_dt,
        region=kind,
        provider=provider,
        speed_kmh=_num(_get(region, "speed_kmh", 50.0), "region.speed_kmh", positive=True),
        circuity=_num(_get(region, "circuity", 1.3), "region.circuity", minimum=1.0),
        annual_calls=annual,
        team_calls_per_year=team_year,
        daily_profile=daily,
        weekday_factors=weekly,
        location_jitter_km=_num(_get(demand, "location_jitter_km", 2.0), "demand.location_jitter_km", minimum=0.0),
        call_mix_file=str(mix_path),
        protocol=str(_get(mix, "protocol", "default.yaml")),
        turnout_minutes=_num(_get(durations, "turnout_minutes", 0.0), "durations.turnout_minutes", minimum=0.0),
        on_scene=on_scene,
        transport=transport,
        handover=handover,
        outcomes=outcomes,
        destinations=destinations,
        vans=tuple(vans),
        vans_per_100k=None if per100k is None else _num(per100k, "fleet.vans_per_100k", positive=True),
        shifts=shifts,
        hold_designated=bool(_get(fleet, "hold_designated", True)),
        max_candidates=int(_num(_get(policy, "max_candidates", 12), "policy.max_candidates", positive=True)),
        fallback_after_minutes=None if fallback is None else _num(fallback, "policy.fallback_after_minutes", positive=True),
        police_hours_per_call=_num(_get(impact, "police_hours_per_call", 0.0), "impact.police_hours_per_call", minimum=0),
        fire_hours_per_call=_num(_get(impact, "fire_hours_per_call", 0.0), "impact.fire_hours_per_call", minimum=0),
        baseline_ed_share=_num(_get(impact, "baseline_ed_share", 0.0), "impact.baseline_ed_share", minimum=0),
        source=str(path),
        candidate_rings=int(_num(_get(region, "candidate_rings", 0), "region.candidate_rings", minimum=0)),
    )
