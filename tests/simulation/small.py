"""A small seeded scenario shared by the simulation tests (a month of la-ttp-20k, 3 vans)."""

from __future__ import annotations

from pathlib import Path

from crisis_dispatch.simulation import Scenario, load_scenario
from crisis_dispatch.simulation.scenario import Van


def small_scenario(days: float = 14, seed: int = 11, *, single_call_type: bool = False) -> Scenario:
    """``single_call_type``: every call is the one fully answered calm call of the M/M/c mix,
    which any protocol sends to the team alone -- golden outputs then do not move when the
    protocols or the narrative reader are tuned."""
    s = load_scenario("la-ttp-20k")
    vans = (Van("S1", "lafd-004"), Van("S2", "lafd-027", "day-12h"), Van("S3", "lafd-064", "peak-12h"))
    s = s.with_changes(horizon_days=days, seed=seed, replications=1, vans=vans)
    if single_call_type:
        s = s.with_changes(call_mix_file=load_scenario("validation/mmc").call_mix_file)
    return s


def mmc_variant(tmp_path: Path, old: str, new: str) -> Path:
    """The M/M/c scenario file with ``old`` (which must be in it) replaced by ``new``, written
    in ``tmp_path`` (its call mix named by an absolute path)."""
    mmc = Path(load_scenario("validation/mmc").source)
    text = mmc.read_text().replace('file = "../callmix/', f'file = "{mmc.parent.parent}/callmix/')
    assert old in text
    p = tmp_path / "variant.toml"
    p.write_text(text.replace(old, new))
    return p
