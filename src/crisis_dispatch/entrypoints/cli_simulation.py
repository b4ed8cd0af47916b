"""CLI commands of the planning simulator (issue 5). The main app calls :func:`register`.

- ``crisis-dispatch simulate SCENARIO [--replications N] [--json] [--out DIR]``; with two
  ``--protocol`` options it is the eligibility what-if (same calls, two protocols).
- ``crisis-dispatch plan SCENARIO --target "p90<=60m" [--json]``
- ``crisis-dispatch sweep SCENARIO --grid FILE [--json]``

Replications and sweeps run on Dask (a local cluster by default, ``--scheduler ADDRESS``
for an existing one, ``--in-process`` for neither). Bad input: one line on stderr, exit 2.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from .cli_errors import fail

if TYPE_CHECKING:  # imported where used, so that the CLI starts fast
    from crisis_dispatch.simulation.scenario import Scenario


def _err() -> Console:
    # Built per use, so the width and terminal checks see the environment of this run.
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _progress_bar(*columns: Any) -> Progress:
    """A transient progress bar on stderr, only when stderr is a terminal (piped or
    captured, it would leave a stray blank line before the output or an error)."""
    console = _err()
    return Progress(*columns, console=console, transient=True, disable=not console.is_terminal)


def _load(name: str) -> Scenario:
    from crisis_dispatch.simulation.scenario import ScenarioError, load_scenario

    try:
        return load_scenario(name)
    except ScenarioError as exc:
        raise fail(str(exc)) from None


@contextlib.contextmanager
def _progress(total: int, label: str, quiet: bool) -> Iterator[Any]:
    if quiet or total <= 1:
        yield None
        return
    with _progress_bar(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n=1: progress.advance(task, n)


@contextlib.contextmanager
def _executor(n_tasks: int, scheduler: str | None, in_process: bool, workers: int, advance: Any) -> Iterator[Any]:
    from crisis_dispatch.simulation.distributed import dask_executor

    if in_process or (n_tasks <= 1 and scheduler is None):
        yield None
        return
    try:
        with dask_executor(scheduler, workers=workers, progress=advance) as ex:
            yield ex
    except OSError as exc:
        raise fail(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None


def _apply(s: Any, days: float | None, seed: int | None) -> Any:
    if days is not None:
        if days <= 0:
            raise fail("--days must be positive")
        s = s.with_changes(horizon_days=days)
    if seed is not None:
        s = s.with_changes(seed=seed)
    return s


def _inputs(s: Any, result: dict[str, Any]) -> dict[str, Any]:
    d = s.to_dict()
    d.update(
        calls_per_year=result["calls_per_year"],
        team_share=result["team_share"],
        protocol_version=result["protocol"],
        units=result["kpis"]["units"],
    )
    return d


def simulate_cmd(
    scenario: Annotated[
        str, typer.Argument(help="Shipped scenario name (la-ttp, la-ttp-20k, california, validation/mmc) or a .toml path.")
    ],
    replications: Annotated[
        int | None, typer.Option("--replications", "-r", min=1, help="Replications (default: the scenario's).")
    ] = None,
    protocol: Annotated[
        list[str] | None, typer.Option("--protocol", help="Protocol name or path; give two for a what-if.")
    ] = None,
    days: Annotated[float | None, typer.Option(help="Simulated days (default: the scenario's horizon).")] = None,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write CSV tables, PNG plots, summary.html and replication 0's program report here."),
    ] = None,
    scheduler: Annotated[str | None, typer.Option(help="Address of an existing Dask scheduler.")] = None,
    in_process: Annotated[bool, typer.Option("--in-process", help="Run replications here, without Dask.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Local Dask workers / processes for the areas of one run.")] = 2,
    check: Annotated[bool, typer.Option("--check", help="Also check the run's invariants (replication 0).")] = False,
) -> None:
    """Simulate a scenario: response times, queue waits, utilisation, outcomes, hours freed."""
    from crisis_dispatch.simulation.runner import prepare, run, run_replication
    from crisis_dispatch.simulation.scenario import ScenarioError
    from crisis_dispatch.simulation.validation import mmc_summary
    from crisis_dispatch.simulation.whatif import check_protocol

    s = _apply(_load(scenario), days, seed)
    protocols = protocol or []
    if len(protocols) > 2:
        raise fail("give at most two --protocol options (two make a what-if)")
    try:
        for name in protocols:
            check_protocol(name)
    except ScenarioError as exc:
        raise fail(str(exc)) from None
    reps = replications or s.replications
    try:
        if len(protocols) == 2:
            _whatif(s, protocols, reps, as_json, scheduler, in_process, workers)
            return
        proto = protocols[0] if protocols else None
        if reps == 1 and not scheduler:
            from crisis_dispatch.simulation.region import build_region

            n_areas = len(build_region(s).areas)
            with _progress(n_areas, "areas", False) as advance:
                result = run(s, replications=1, protocol=proto, workers=workers, area_progress=advance)
        else:
            with (
                _progress(reps, "replications", False) as advance,
                _executor(reps, scheduler, in_process, workers, advance) as ex,
            ):
                result = run(s, replications=reps, protocol=proto, executor=ex, progress=advance)
        problems: list[str] = []
        if check:
            from crisis_dispatch.simulation.invariants import check_invariants

            problems = check_invariants(run_replication(prepare(s, protocol=proto), 0, workers=workers).history, s.horizon_s)
    except ScenarioError as exc:
        raise fail(str(exc)) from None
    inputs = _inputs(s, result)
    payload = {
        "scenario": s.name,
        "inputs": inputs,
        **mmc_summary(s, result),
        "replications": result["replications"],
        "wall_s": result["wall_s"],
        "kpis": result["per_replication"][0]["kpis"],
        "ci95": result["ci95"],
        "per_replication": result["per_replication"],
    }
    if check:
        payload["invariant_violations"] = problems
    if out is not None:
        from crisis_dispatch.simulation.outputs import write_outputs
        from crisis_dispatch.simulation.runner import program_of

        # Replication 0 again (the same seed gives the same run), read by the live report's code.
        program = program_of(s, run_replication(prepare(s, protocol=proto), 0, workers=workers))
        try:
            payload["files"] = write_outputs(result, inputs, out, program=program)
        except OSError as exc:
            raise fail(f"cannot write to {out}: {exc.strerror or exc}") from None
    if as_json:
        sys.stdout.write(json.dumps(payload, default=str) + "\n")
    else:
        _print_summary(payload)
    if problems:
        raise typer.Exit(1)


def _fmt(v: Any, missing: str = "–") -> str:
    """A number for a table; ``missing`` for None ("not met" where the value is a response
    percentile that falls on calls never reached)."""
    if v is None:
        return missing
    if isinstance(v, float):
        digits = 3 if abs(v) < 1 else (1 if abs(v) < 1000 else 0)
        return f"{v:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{v:,.0f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def _print_summary(p: dict[str, Any]) -> None:
    from crisis_dispatch.simulation.outputs import HEADLINE, headline_row

    ci = p["ci95"]
    table = Table(title=f"{p['scenario']}: {p['replications']} replication(s), {p['inputs']['protocol_version']}")
    table.add_column("indicator")
    table.add_column("mean", justify="right")
    table.add_column("95 % CI", justify="right")
    for key, name, share in HEADLINE:
        if key in ci:
            table.add_row(name, *headline_row(ci[key], percent=share))
        elif key.startswith("response_minutes"):
            table.add_row(name, "not met", "–")
    out = _out()
    out.print(table)
    if "erlang_c" in p:
        out.print(
            f"Erlang C: p_wait {p['erlang_c']['p_wait']:.4f}, mean queue wait {p['erlang_c']['mean_queue_wait_minutes']:.3f} min"
        )
    for f in p.get("files", []):
        out.print(f"wrote {f}")


def _whatif(
    s: Any, protocols: list[str], reps: int, as_json: bool, scheduler: str | None, in_process: bool, workers: int
) -> None:
    from crisis_dispatch.simulation.whatif import describe_tier_mix, whatif

    with (
        _progress(2 * reps, "what-if runs", as_json) as advance,
        _executor(2 * reps, scheduler, in_process, workers, advance) as ex,
    ):
        report = whatif(s, protocols[0], protocols[1], replications=reps, executor=ex)
    if as_json:
        slim = {k: v for k, v in report.items() if k != "runs"}
        slim["inputs"] = s.to_dict()
        sys.stdout.write(json.dumps(slim, default=str) + "\n")
        return
    table = Table(title=f"What-if on {s.name}: {report['protocol_a']} → {report['protocol_b']}")
    for col in ("indicator", report["protocol_a"], report["protocol_b"], "change"):
        table.add_column(col, justify="left" if col == "indicator" else "right")
    for row in report["comparison"]:
        missing = "not met" if row["kpi"].startswith("response_minutes") else "–"
        table.add_row(row["kpi"], _fmt(row["a"], missing), _fmt(row["b"], missing), _fmt(row["change"]))
    out = _out()
    out.print(table)
    out.print("Calls by tier (share of all calls):", markup=False)
    for name, mix in ((report["protocol_a"], report["tier_mix_a"]), (report["protocol_b"], report["tier_mix_b"])):
        out.print(f"  {name}: {describe_tier_mix(mix)}", markup=False)


#: Tasks a multi-area plan is cut into (areas grouped to about equal calls).
PLAN_TASKS = 8


def plan_cmd(
    scenario: Annotated[str, typer.Argument(help="Scenario name (la-ttp, la-ttp-20k, california) or a .toml path.")],
    target: Annotated[
        str,
        typer.Option(
            help="Response-time target per area, with a unit: 'p90<=60m' (or 60min), "
            "'p95<=2h', or 'p90<=budget' (each area's own 60/120-minute Medi-Cal "
            "budget)."
        ),
    ] = "p90<=60m",
    max_vans: Annotated[int, typer.Option(min=1, help="Give up on an area above this many vans.")] = 60,
    replications: Annotated[int, typer.Option(min=1, help="Replications per fleet checked.")] = 1,
    days: Annotated[float | None, typer.Option(help="Simulated days per check (default: the scenario's).")] = None,
    areas: Annotated[
        list[str] | None, typer.Option("--areas", help="Plan only these areas (counties), comma-separated or repeated.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    scheduler: Annotated[str | None, typer.Option(help="Address of an existing Dask scheduler (multi-area).")] = None,
    in_process: Annotated[bool, typer.Option("--in-process", help="Plan the areas here, without Dask.")] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Local Dask workers (multi-area; a single area checks two fleets at once on a second core when there is one).",
        ),
    ] = 2,
) -> None:
    """Smallest fleet, its stations and shifts that meet the target at every hour (PLAN_HELP)."""
    from crisis_dispatch.simulation.plan import TargetError, parse_target, plan
    from crisis_dispatch.simulation.region import build_region
    from crisis_dispatch.simulation.scenario import ScenarioError

    try:
        t = parse_target(target)
    except TargetError as exc:
        raise fail(str(exc)) from None
    s = _apply(_load(scenario), days, None)
    names = [n.strip() for item in areas or [] for n in item.split(",") if n.strip()] if areas else None
    if areas and not names:
        raise fail("--areas lists no area")
    try:
        n_areas = len(build_region(s).areas)
        if n_areas == 1:
            with _progress_bar(TextColumn("{task.description}"), TimeElapsedColumn()) as progress:
                task = progress.add_task("planning", total=None)
                planned = plan(
                    s,
                    t,
                    max_vans=max_vans,
                    replications=replications,
                    areas=names,
                    progress=lambda msg: progress.update(task, description=msg),
                )
        else:
            # Tasks of about equal calls (Los Angeles County alone), fewer than areas: each
            # task prepares the scenario once for all of its areas.
            n_tasks = min(PLAN_TASKS, len(names) if names else n_areas)
            with (
                _progress(n_tasks, "area groups planned", as_json) as advance,
                _executor(n_tasks, scheduler, in_process, workers, advance) as ex,
            ):
                planned = plan(
                    s,
                    t,
                    max_vans=max_vans,
                    replications=replications,
                    areas=names,
                    executor=ex or _counting_executor(advance),
                    tasks=n_tasks,
                )
    except ScenarioError as exc:
        raise fail(str(exc)) from None
    result = planned.to_dict()
    result["inputs"] = s.to_dict()
    if as_json:
        sys.stdout.write(json.dumps(result, default=str) + "\n")
    elif "areas" in result:
        _print_area_plans(s.name, result)
    elif not result["met"]:
        _out().print(f"{s.name}: target {result['target']} not met: {result.get('reason', '')}")
    else:
        _out().print(
            f"{s.name}: {result['vans']} vans meet {result['target']} at every hour "
            f"(overall {result['value_minutes']} min; {result['team_calls_per_year']:,.0f} team calls a year; "
            f"{result['staffed_van_hours_per_day']:g} staffed van-hours a day)"
        )
        table = Table()
        for col in ("van", "station", "shift"):
            table.add_column(col)
        for v in result["fleet"]:
            table.add_row(v["call_sign"], v["station"], v["shift"])
        _out().print(table)
    if not result["met"]:
        raise typer.Exit(1)


def _counting_executor(advance: Any) -> Any:
    """The in-process executor, advancing the progress bar after each task."""

    def run(fn: Any, args: list[Any]) -> list[Any]:
        out = []
        for a in args:
            out.append(fn(a))
            if advance:
                advance(1)
        return out

    return run


def _placement(stations: dict[str, dict[str, int]], area: str, shown: int = 3) -> str:
    """``"centre x2, r1-3 x1 (+4 more)"``: where the area's vans wait, busiest stations first."""
    counts = sorted(((sum(c.values()), sid) for sid, c in stations.items()), key=lambda x: (-x[0], x[1]))
    names = [f"{'centre' if sid == area else sid.removeprefix(area + ' ')} x{n}" for n, sid in counts[:shown]]
    more = f" (+{len(counts) - shown} more)" if len(counts) > shown else ""
    return ", ".join(names) + more


def _print_area_plans(name: str, result: dict[str, Any]) -> None:
    tot = result["totals"]
    pct = result["target"].split("<=")[0]
    table = Table(
        title=f"{name}: smallest fleet per area for {result['target']} at every hour "
        f"({result['replications']} replication(s) per check; --json has every van)"
    )
    for col in ("area", "clock min", "team calls/yr", "vans", "24/7", "peak-12h", "where", f"{pct} min"):
        table.add_column(col, justify="left" if col in ("area", "where") else "right")
    notes = []
    for r in result["areas"]:
        clock = f"{r['target_minutes']:g}{' rural' if r['rural'] else ''}"
        if r["met"]:
            table.add_row(
                r["area"],
                clock,
                _fmt(r["team_calls_per_year"]),
                str(r["vans"]),
                str(r["vans_24_7"]),
                str(r["vans_part_time"]),
                _placement(r["stations"], r["area"]),
                _fmt(r["value_minutes"], "not met"),
            )
        else:
            table.add_row(r["area"], clock, _fmt(r["team_calls_per_year"]), "not met", "", "", "", "")
            notes.append(f"{r['area']}: {r.get('reason', 'not met')}")
    table.add_section()
    table.add_row(
        f"total, {tot['areas_met']} of {tot['areas']} met",
        "",
        _fmt(tot["team_calls_per_year"]),
        str(tot["vans"]),
        str(tot["vans_24_7"]),
        str(tot["vans_part_time"]),
        f"{tot['staffed_van_hours_per_day']:g} staffed van-hours a day",
        "",
    )
    out = _out()
    out.print(table)
    for note in notes:
        out.print(f"not met: {note}")
    out.print(f"planned in {result['wall_s']:g} s ({tot['cpu_s']:g} s of area planning)")


def sweep_cmd(
    scenario: Annotated[str, typer.Argument(help="Scenario name or .toml path.")],
    grid: Annotated[
        Path,
        typer.Option(
            help="TOML file with a \\[grid] table: fleet_size, shift, protocol, demand_growth "
            "(lists), replications (example above)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (every KPI of every point).")] = False,
    days: Annotated[float | None, typer.Option(help="Simulated days per point (default: the scenario's).")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Address of an existing Dask scheduler.")] = None,
    in_process: Annotated[bool, typer.Option("--in-process", help="Run here, without Dask.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Local Dask workers.")] = 2,
    out: Annotated[Path | None, typer.Option("--out", help="Write sweep.csv here.")] = None,
) -> None:
    """Run a parameter grid and report each point's KPIs (the --help text is :func:`sweep_help`)."""
    from crisis_dispatch.simulation.scenario import ScenarioError
    from crisis_dispatch.simulation.sweep import load_grid, points, sweep

    s = _apply(_load(scenario), days, None)
    try:
        g = load_grid(grid, s)
        n = len(points(g)) * g.get("replications", s.replications)
        with _progress(n, "sweep", as_json) as advance, _executor(n, scheduler, in_process, workers, advance) as ex:
            result = sweep(s, g, executor=ex)
    except ScenarioError as exc:
        raise fail(str(exc)) from None
    result["inputs"] = s.to_dict()
    if out is not None:
        import csv

        try:
            out.mkdir(parents=True, exist_ok=True)
            cols = list(dict.fromkeys(k for row in result["points"] for k in row))
            with (out / "sweep.csv").open("w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=cols)
                w.writeheader()
                w.writerows(result["points"])
        except OSError as exc:
            raise fail(f"cannot write to {out}: {exc.strerror or exc}") from None
    if as_json:
        sys.stdout.write(json.dumps(result, default=str) + "\n")
        return
    _print_sweep(s.name, result)


def sweep_help() -> str:
    """The ``sweep --help`` text: what it does and a whole grid file (Rich markup escaped)."""
    from crisis_dispatch.simulation.grid import GRID_EXAMPLE

    return (
        "Run a parameter grid (on Dask) and report each point's KPIs with confidence intervals.\n\n"
        "The grid file is a \\[grid] table; every key is optional and the points are all combinations "
        "of the listed values, for example:\n\n" + escape(GRID_EXAMPLE).rstrip("\n")
    )


#: Sweep table columns after the grid's axes, in display order: (point key, header, kind).
SWEEP_COLUMNS = (
    ("team_calls", "team\ncalls", "count"),
    ("response_minutes.p50", "p50\nmin", "percentile"),
    ("response_minutes.p90", "p90\nmin", "percentile"),
    ("share_within_60_min", "≤60\nmin", "share"),
    ("p_wait", "P(wait)", "share"),
    ("mean_queue_wait_minutes", "wait\nmin", "minutes"),
    ("utilisation", "util", "share"),
    ("fell_back_to_police_or_ems", "fell\nback", "count"),
)
#: The order in which columns are left out when the terminal is too narrow (first out first).
SWEEP_DROP_ORDER = (
    "fell_back_to_police_or_ems",
    "utilisation",
    "p_wait",
    "response_minutes.p50",
    "mean_queue_wait_minutes",
    "team_calls",
)
AXIS_HEADERS = {"fleet_size": "vans", "shift": "shift", "protocol": "protocol", "demand_growth": "growth"}


def sweep_cell(value: Any, kind: str) -> str:
    """A sweep value as text: "not met" only for a response percentile that falls on calls
    never reached; any other missing value is "–"."""
    if value is None:
        return "not met" if kind == "percentile" else "–"
    if kind == "share":
        return f"{value * 100:.1f}%"
    if kind == "count":
        return f"{value:,.0f}"
    if kind in ("percentile", "minutes"):
        return f"{value:,.1f}"
    return str(value)


def _axis_cell(axis: str, value: Any) -> str:
    if axis == "demand_growth":
        return f"{value:g}"
    if axis == "protocol":
        return Path(str(value)).name
    return str(value)


def _sweep_table(name: str, result: dict[str, Any], columns: list[tuple[str, str, str]], axes: list[str]) -> Table:
    table = Table(
        title=f"Sweep of {name}, {result['replications']} replication(s) a point (means)",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
        show_edge=False,
    )
    for a in axes:
        table.add_column(AXIS_HEADERS[a], justify="left" if a in ("shift", "protocol") else "right", no_wrap=True)
    for _, header, _ in columns:
        table.add_column(header, justify="right", no_wrap=True)
    for row in result["points"]:
        table.add_row(*(_axis_cell(a, row[a]) for a in axes), *(sweep_cell(row.get(k), kind) for k, _, kind in columns))
    return table


def _print_sweep(name: str, result: dict[str, Any]) -> None:
    """The sweep as a table that fits the terminal (80 columns when piped): the grid's axes,
    then as many KPI columns as fit, dropping the least wanted first; --json has them all."""
    out = _out()
    points_ = result["points"]
    axes = [a for a in AXIS_HEADERS if points_ and a in points_[0]]
    columns = list(SWEEP_COLUMNS)
    dropped: list[str] = []
    table = _sweep_table(name, result, columns, axes)
    for key in SWEEP_DROP_ORDER:
        if Measurement.get(out, out.options.update(width=10_000), table).maximum <= out.width:
            break
        dropped += [h.replace("\n", " ") for k, h, _ in columns if k == key]
        columns = [c for c in columns if c[0] != key]
        table = _sweep_table(name, result, columns, axes)
    out.print(table)
    if dropped:
        out.print(f"Not shown at this width: {', '.join(dropped)}; --json has every KPI.", markup=False)
    out.print('"not met": the response percentile falls on calls the team never reached.', markup=False)


#: ``plan --help``. Typer keeps the line breaks of every paragraph after the first, so each
#: paragraph is one line here and the terminal wraps it.
PLAN_HELP = (
    "Smallest fleet, its stations and shifts that meet the target at every hour of the day, per area "
    "(each county of a statewide scenario on its own clock), with totals.\n\n"
    "The target is a percentile of response time (triage to team on scene) and a bound with its unit: "
    "p90<=60m (or 60min), p95<=2h, or p90<=budget (each area's own 60-minute urban or 120-minute rural clock). "
    "Exit 1 if an area cannot meet it, 2 on bad input."
)


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_cmd)
    app.command("plan", help=PLAN_HELP)(plan_cmd)
    app.command("sweep", help=sweep_help())(sweep_cmd)
