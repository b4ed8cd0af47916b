"""``--out DIR``: CSV tables, PNG plots (matplotlib, Agg) and an HTML summary (Jinja2)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}img{max-width:100%}</style></head>
<body><h1>{{ title }}</h1><p>{{ description }}</p>
<h2>Headline</h2><table><tr><th>indicator</th><th>mean</th><th>95 % CI</th></tr>
{% for name, mean, band in headline %}<tr><td>{{ name }}</td><td>{{ mean }}</td><td>{{ band }}</td></tr>
{% endfor %}</table>
{% if program %}<h2>Program report (replication 0)</h2>
<p>The figures a county board reads, by the live service's report code:
<a href="program_report.html">program_report.html</a> (also as <a href="program_report.json">JSON</a> and
<a href="program_report.csv">CSV</a>).</p>
<table><tr><th>outcome of the team calls</th><th>calls</th></tr>
{% for name, text in outcomes %}<tr><td>{{ name }}</td><td>{{ text }}</td></tr>{% endfor %}</table>{% endif %}
{% for img in images %}<h2>{{ img.title }}</h2><img src="{{ img.file }}" alt="{{ img.title }}">{% endfor %}
<h2>Inputs</h2><table><tr><th>input</th><th>value</th></tr>
{% for name, value in inputs %}<tr><td>{{ name }}</td><td>{{ value }}</td></tr>{% endfor %}</table>
<p>Files: {% for f in files %}<a href="{{ f }}">{{ f }}</a> {% endfor %}</p></body></html>
"""

#: The headline indicators: key, the name people read, and whether it is a share (shown in %).
HEADLINE: tuple[tuple[str, str, bool], ...] = (
    ("calls", "Calls", False),
    ("team_calls", "Team calls", False),
    ("response_minutes.p50", "Response time, median (min)", False),
    ("response_minutes.p90", "Response time, 90th percentile (min)", False),
    ("response_minutes.p95", "Response time, 95th percentile (min)", False),
    ("share_within_60_min", "Reached within 60 minutes", True),
    ("share_within_120_min", "Reached within 120 minutes", True),
    ("share_within_budget", "Reached within the clock (60 urban, 120 rural)", True),
    ("p_wait", "Team calls that waited for a van", True),
    ("mean_queue_wait_minutes", "Mean wait for a van (min)", False),
    ("utilisation", "Van utilisation", True),
    ("share_served_by_team", "Calls served by a team", True),
    ("share_left_to_police_or_ems", "Calls left to police or EMS", True),
    ("fell_back_to_police_or_ems", "Team calls handed to police/EMS while waiting", False),
    ("holds", "Involuntary holds", False),
    ("police_hours_freed", "Police hours freed (estimate)", False),
    ("fire_hours_freed", "Fire/EMS hours freed (estimate)", False),
    ("ed_visits_avoided", "ED visits avoided (estimate)", False),
)


def estimate_decimals(mean: float | None, low: float | None = None, high: float | None = None) -> int:
    """Decimals that show an estimate to its precision: two significant figures of the
    confidence interval's half-width (so 19,196.3082 – 19,485.2918 is shown 19,196 – 19,485,
    and 25.83 – 28.21 minutes 25.8 – 28.2); without an interval, three significant figures
    (none for a whole number).
    Never more than four decimals."""
    if low is not None and high is not None and high > low:
        return max(0, min(4, 1 - math.floor(math.log10((high - low) / 2))))
    if mean is None or not math.isfinite(mean) or float(mean).is_integer():
        return 0
    return max(0, min(4, 2 - math.floor(math.log10(abs(mean)))))


def format_estimate(value: float | None, decimals: int, missing: str = "–") -> str:
    """``value`` with ``decimals`` and thousands separators; ``missing`` for None."""
    return missing if value is None else f"{value:,.{decimals}f}"


def headline_row(v: dict[str, Any], *, percent: bool = False) -> tuple[str, str]:
    """(mean, "low – high") of one KPI's confidence interval, rounded to its precision;
    a share ``percent`` as a percentage ("63.4 %")."""
    scale = 100.0 if percent else 1.0
    mean, low, high = (None if v[k] is None else v[k] * scale for k in ("mean", "ci95_low", "ci95_high"))
    d = estimate_decimals(mean, low, high)
    unit = " %" if percent else ""
    band = "–" if low is None else f"{format_estimate(low, d)} – {format_estimate(high, d)}{unit}"
    shown = format_estimate(mean, d, "not met")
    return (shown + unit if mean is not None else shown), band


def input_rows(inputs: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """The scenario's inputs as (name, value) rows: nested tables as dotted names, lists of
    tables one row per item, plain lists joined."""
    rows: list[tuple[str, str]] = []
    for key, value in inputs.items():
        name = f"{prefix}{key}".replace("_", " ")
        if isinstance(value, dict):
            rows += input_rows(value, f"{prefix}{key}.")
        elif isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
            for i, item in enumerate(value, 1):
                rows.append((f"{name} {i}", ", ".join(f"{k.replace('_', ' ')} {x}" for k, x in item.items())))
        elif isinstance(value, list):
            rows.append((name, ", ".join(str(x) for x in value)))
        else:
            rows.append((name, "–" if value is None else str(value)))
    return rows


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def write_outputs(
    result: dict[str, Any], inputs: dict[str, Any], out: Path, *, program: dict[str, Any] | None = None
) -> list[str]:
    """Write the tables, plots and summary of a ``simulate`` result; returns the file names.
    ``program``: replication 0's program report (``runner.program_of``): then the live
    service's report renderers write it too (JSON, CSV, HTML) and draw the summary's plots."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    files: list[str] = []
    k0 = result["per_replication"][0]["kpis"]
    ci = result["ci95"]

    _write_csv(
        out / "kpis.csv",
        ["kpi", "mean", "ci95_low", "ci95_high", "replications"],
        [[key, v["mean"], v["ci95_low"], v["ci95_high"], v["n"]] for key, v in ci.items()],
    )
    files.append("kpis.csv")
    hours = list(range(24))
    by_hour = [
        [
            r["replication"],
            h,
            r["kpis"]["response_minutes_by_hour"][h]["p50"],
            r["kpis"]["response_minutes_by_hour"][h]["p90"],
            r["kpis"]["response_minutes_by_hour"][h]["n"],
            r["kpis"]["utilisation_by_hour"][h],
        ]
        for r in result["per_replication"]
        for h in hours
    ]
    _write_csv(
        out / "by_hour.csv", ["replication", "hour", "response_p50_min", "response_p90_min", "team_calls", "utilisation"], by_hour
    )
    files.append("by_hour.csv")
    for name, key in (("by_tier.csv", "response_minutes_by_tier"), ("by_area.csv", "response_minutes_by_area")):
        rows = [
            [r["replication"], label, v["p50"], v["p90"], v["p95"], v["n"]]
            for r in result["per_replication"]
            for label, v in r["kpis"][key].items()
        ]
        _write_csv(out / name, ["replication", key.rsplit("_", 1)[-1], "p50_min", "p90_min", "p95_min", "calls"], rows)
        files.append(name)
    outcome_rows = [
        [r["replication"], kind, k, v]
        for r in result["per_replication"]
        for kind, key in (("disposition", "outcomes"), ("transport_destination", "transports_by_destination"))
        for k, v in r["kpis"][key].items()
    ]
    _write_csv(out / "outcomes.csv", ["replication", "kind", "value", "calls"], outcome_rows)
    files.append("outcomes.csv")

    images: list[dict[str, str]] = []

    def by_hour_plot(fname: str, title: str, ylabel: str, series: dict[str, list[float | None]], top: float | None) -> None:
        fig, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
        gaps = False
        for label, ys in series.items():
            ax.plot(hours, [float("nan") if y is None else y for y in ys], marker="o", label=label)
            gaps |= any(y is None for y in ys)
        ax.set_xlabel("hour of day (local)")
        ax.set_xticks(range(0, 24, 2))
        ax.set_ylim(0, top)
        if gaps and fname.startswith("response"):
            ax.annotate(
                "gaps: the percentile falls on calls never reached (not met)", (0.01, 0.02), xycoords="axes fraction", fontsize=8
            )
        ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        fig.savefig(out / fname, dpi=100)
        plt.close(fig)
        files.append(fname)
        images.append({"file": fname, "title": title})

    by_hour = k0["response_minutes_by_hour"]
    by_hour_plot(
        "response_by_hour.png",
        "Response time by hour of day",
        "minutes from triage to on scene",
        {"median": [h["p50"] for h in by_hour], "90th percentile": [h["p90"] for h in by_hour]},
        None,
    )
    by_hour_plot(
        "utilisation_by_hour.png",
        "Van utilisation by hour of day",
        "% of staffed time busy",
        {"utilisation": [None if u is None else 100 * u for u in k0["utilisation_by_hour"]]},
        100,
    )
    outcomes: list[tuple[str, str]] = []
    if program is not None:
        from crisis_dispatch.reporting import documents

        (out / "program_report.json").write_text(json.dumps(program, indent=2, allow_nan=False), encoding="utf-8")
        (out / "program_report.csv").write_text(documents.to_csv(program), encoding="utf-8")
        (out / "program_report.html").write_text(
            documents.to_html(program, program=f"Simulation: {result['scenario']}"), encoding="utf-8"
        )
        files += ["program_report.json", "program_report.csv", "program_report.html"]
        for fname, title, draw in (
            ("response_times.png", "Response times against the clocks (replication 0)", documents.plot_response_times),
            ("outcomes.png", "Outcomes of the team calls (replication 0)", documents.plot_outcomes),
            ("eligible_reached.png", "Eligible versus reached (replication 0)", documents.plot_eligible_reached),
        ):
            (out / fname).write_bytes(documents.png_bytes(draw(program)))
            files.append(fname)
            images.append({"file": fname, "title": title})
        outcomes = [(documents.label(k), documents.share_text(v)) for k, v in program["outcomes"].items() if v["count"]]

    env = Environment(autoescape=select_autoescape(default=True))
    html = env.from_string(HTML).render(
        title=f"Simulation: {result['scenario']}",
        description=inputs.get("description", ""),
        headline=[(name, *headline_row(ci[k], percent=share)) for k, name, share in HEADLINE if k in ci],
        program=program is not None,
        outcomes=outcomes,
        images=images,
        inputs=input_rows(inputs),
        files=files,
    )
    (out / "summary.html").write_text(html, encoding="utf-8")
    files.append("summary.html")
    return files
