"""Demand: when and where calls arrive, and what each will turn out to need.

Arrivals are a non-homogeneous Poisson process, piecewise constant by hour of the week
(``daily_profile`` x ``weekday_factors``, in the scenario's local time given by the UTC
offset of ``start``). Everything random about a call (its record in the call mix, where it
is, how its response ends, how long each phase takes) is drawn up front from the area's
own generator, so the same call meets the same fate whatever the fleet or protocol —
common random numbers, which make what-ifs and fleet comparisons sharp.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from crisis_dispatch.domain.outcomes import TRANSPORTS, DestinationType, Disposition

from .callmix import CallMix
from .region import Area, Region, sample_locations
from .scenario import Scenario

HOUR_S = 3600.0
#: The integer codes of dispositions and destination types in arrays: positions in the
#: domain's enums (declaration order); the transports are the domain's ``TRANSPORTS``.
DISPOSITIONS: tuple[str, ...] = tuple(d.value for d in Disposition)
DESTINATIONS: tuple[str, ...] = tuple(d.value for d in DestinationType)
TRANSPORT_CODES = frozenset(DISPOSITIONS.index(d.value) for d in TRANSPORTS)


@dataclass
class AreaDemand:
    """The calls of one area over the horizon, sorted by arrival time (seconds from start)."""

    t: np.ndarray
    mix: np.ndarray  # index into the call mix
    lat: np.ndarray
    lon: np.ndarray
    u_outcome: np.ndarray  # uniform draw deciding the disposition (given the tier)
    u_dest: np.ndarray  # uniform draw deciding the destination type
    z_scene: np.ndarray  # standard draws for durations (transformed per outcome)
    z_transport: np.ndarray
    z_handover: np.ndarray

    def __len__(self) -> int:
        return len(self.t)


def annual_calls(scenario: Scenario, mix: CallMix) -> float:
    """Calls a year entering triage; from team calls when the scenario gives those instead."""
    if scenario.team_calls_per_year is not None:
        return scenario.team_calls_per_year / max(mix.team_share, 1e-9)
    return scenario.annual_calls


def hour_of_week_weights(scenario: Scenario) -> np.ndarray:
    """168 weights with mean 1, Monday 00:00 local first."""
    w = np.outer(np.asarray(scenario.weekday_factors), np.asarray(scenario.daily_profile)).ravel()
    return w / w.mean()


def start_hour_of_week(scenario: Scenario) -> int:
    return scenario.start.weekday() * 24 + scenario.start.hour


def generate(
    scenario: Scenario,
    area: Area,
    calls_per_year: float,
    mix_p: np.ndarray,
    rng: np.random.Generator,
    covers: Callable[[float, float], bool] | None = None,
) -> AreaDemand:
    hours = int(np.ceil(scenario.horizon_s / HOUR_S))
    w = hour_of_week_weights(scenario)
    how = (start_hour_of_week(scenario) + np.arange(hours)) % 168
    lam = calls_per_year * area.weight / (365.0 * 24.0) * w[how]
    counts = rng.poisson(lam)
    n = int(counts.sum())
    t = np.repeat(np.arange(hours, dtype=float) * HOUR_S, counts) + rng.random(n) * HOUR_S
    t = np.sort(t[t < scenario.horizon_s], kind="stable")
    n = len(t)
    mix_idx = rng.choice(len(mix_p), size=n, p=mix_p)
    lat, lon = sample_locations(area, n, rng)
    if covers is not None and n:
        bad = ~np.fromiter((covers(a, b) for a, b in zip(lat, lon, strict=True)), np.bool_, n)
        if bad.any():
            # A point off the fitted model's area falls back to the nearest hub of calls.
            hubs = np.asarray(area.hubs)
            d = (hubs[None, :, 0] - lat[bad, None]) ** 2 + (hubs[None, :, 1] - lon[bad, None]) ** 2
            lat[bad], lon[bad] = hubs[d.argmin(1), 0], hubs[d.argmin(1), 1]
    return AreaDemand(
        t, mix_idx, lat, lon, rng.random(n), rng.random(n), rng.standard_normal(n), rng.standard_normal(n), rng.random(n)
    )


def durations_s(mean_min: float, cv: float, z: np.ndarray, *, uniform: bool = False) -> np.ndarray:
    """Durations in seconds: exponential when ``cv == 1`` (from uniforms), else lognormal."""
    if cv == 1.0:
        u = z if uniform else _phi(z)
        return -np.log1p(-u) * mean_min * 60.0
    if cv == 0.0:
        return np.full(z.shape, mean_min * 60.0)
    zz = _phi_inv(z) if uniform else z
    s2 = np.log1p(cv * cv)
    return np.exp(np.log(mean_min) - s2 / 2 + np.sqrt(s2) * zz) * 60.0


def _phi(z: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    return np.clip(ndtr(z), 0.0, 1.0 - 1e-16)


def _phi_inv(u: np.ndarray) -> np.ndarray:
    from scipy.special import ndtri

    return ndtri(np.clip(u, 1e-16, 1.0 - 1e-16))


def resolve_fates(scenario: Scenario, mix: CallMix, d: AreaDemand) -> tuple[np.ndarray, ...]:
    """Per call: disposition code, destination code (-1 none), scene, transport, handover seconds."""
    n = len(d)
    disp = np.zeros(n, dtype=np.int8)
    tiers = np.array([e.tier for e in mix.entries])[d.mix] if n else np.array([], dtype=str)
    for tier in np.unique(tiers):
        table = scenario.outcomes.get(str(tier), scenario.outcomes["default"])
        names = list(table)
        cum = np.cumsum([table[k] for k in names])
        sel = tiers == tier
        pick = np.minimum(np.searchsorted(cum, d.u_outcome[sel], side="right"), len(names) - 1)
        disp[sel] = np.array([DISPOSITIONS.index(k) for k in names], dtype=np.int8)[pick]
    dnames = list(scenario.destinations)
    dcum = np.cumsum([scenario.destinations[k] for k in dnames])
    dpick = np.minimum(np.searchsorted(dcum, d.u_dest, side="right"), len(dnames) - 1)
    dest = np.array([DESTINATIONS.index(k) for k in dnames], dtype=np.int8)[dpick]
    transported = np.isin(disp, list(TRANSPORT_CODES))
    dest = np.where(transported, dest, -1).astype(np.int8)
    scene = np.zeros(n)
    for code in np.unique(disp):
        sel = disp == code
        m, cv = scenario.on_scene[DISPOSITIONS[code]]
        scene[sel] = durations_s(m, cv, d.z_scene[sel])
    transport = np.zeros(n)
    handover = np.zeros(n)
    for code in np.unique(dest[dest >= 0]):
        sel = dest == code
        m, cv = scenario.transport[DESTINATIONS[code]]
        transport[sel] = durations_s(m, cv, d.z_transport[sel])
        m, cv = scenario.handover[DESTINATIONS[code]]
        handover[sel] = durations_s(m, cv, d.z_handover[sel], uniform=True)
    return disp, dest, scene, transport, handover


def area_rngs(seed: int, replication: int, n_areas: int) -> list[np.random.Generator]:
    """One generator per area, from (seed, replication, area): results do not depend on how
    areas are grouped across processes."""
    return [np.random.default_rng(np.random.SeedSequence([seed, replication, a])) for a in range(n_areas)]


__all__ = ["AreaDemand", "Region", "annual_calls", "area_rngs", "durations_s", "generate", "resolve_fates"]
