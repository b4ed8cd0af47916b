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
{% for img in images %}<h2>{{ img.title }}</h2><img src="{{ img.file }}" alt="{{ img.title }}">{% endfor %}
<h2>Outcomes (replication 0)</h2><table><tr><th>disposition</th><th>calls</th></tr>
{% for k, v in outcomes %}<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</table>
<h2>Inputs</h2><pre>{{ inputs }}</pre>
<p>Files: {% for f in files %}<a href="{{ f }}">{{ f }}</a> {% endfor %}</p></body></html>
"""

HEADLINE = (
    "calls",
    "team_calls",
    "response_minutes.p50",
    "response_minutes.p90",
    "response_minutes.p95",
    "share_within_60_min",
    "share_within_120_min",
    "share_within_budget",
    "p_wait",
    "mean_queue_wait_minutes",
    "utilisation",
    "share_served_by_team",
    "share_left_to_police_or_ems",
    "holds",
    "police_hours_freed",
    "fire_hours_freed",
    "ed_visits_avoided",
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


def headline_row(v: dict[str, Any]) -> tuple[str, str]:
    """(mean, "low – high") of one KPI's confidence interval, rounded to its precision."""
    d = estimate_decimals(v["mean"], v["ci95_low"], v["ci95_high"])
    band = "–" if v["ci95_low"] is None else f"{format_estimate(v['ci95_low'], d)} – {format_estimate(v['ci95_high'], d)}"
    return format_estimate(v["mean"], d, "not met"), band


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def write_outputs(result: dict[str, Any], inputs: dict[str, Any], out: Path) -> list[str]:
    """Write the tables, plots and summary of a ``simulate`` result; returns the file names."""
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

    images = []

    def plot(fname: str, title: str, ylabel: str, series: dict[str, list[float | None]], kind: str = "line") -> None:
        fig, ax = plt.subplots(figsize=(8, 3.5))
        if kind == "bar":
            labels = list(series)
            ax.bar(labels, [series[x][0] or 0 for x in labels])
            ax.tick_params(axis="x", rotation=30)
        else:
            gaps = False
            for label, ys in series.items():
                ax.plot(hours, [float("nan") if y is None else y for y in ys], marker="o", label=label)
                gaps |= any(y is None for y in ys)
            ax.set_xlabel("hour of day (local)")
            if gaps and fname.startswith("response"):
                ax.annotate(
                    "gaps: the percentile falls on calls never reached (not met)",
                    (0.01, 0.02),
                    xycoords="axes fraction",
                    fontsize=8,
                )
            ax.legend()
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        fig.tight_layout()
        fig.savefig(out / fname, dpi=100)
        plt.close(fig)
        files.append(fname)
        images.append({"file": fname, "title": title})

    plot(
        "response_by_hour.png",
        "Response time by hour of day",
        "minutes",
        {"p50": [h["p50"] for h in k0["response_minutes_by_hour"]], "p90": [h["p90"] for h in k0["response_minutes_by_hour"]]},
    )
    plot(
        "utilisation_by_hour.png",
        "Van utilisation by hour of day",
        "share of staffed time busy",
        {"utilisation": k0["utilisation_by_hour"]},
    )
    if k0["outcomes"]:
        plot(
            "outcomes.png",
            "Outcome mix (team calls reached)",
            "calls",
            {k: [v] for k, v in sorted(k0["outcomes"].items())},
            kind="bar",
        )

    env = Environment(autoescape=select_autoescape(default=True))
    html = env.from_string(HTML).render(
        title=f"Simulation: {result['scenario']}",
        description=inputs.get("description", ""),
        headline=[(k, *headline_row(ci[k])) for k in HEADLINE if k in ci],
        images=images,
        outcomes=sorted(k0["outcomes"].items()),
        inputs=json.dumps(inputs, indent=2, default=str),
        files=files,
    )
    (out / "summary.html").write_text(html, encoding="utf-8")
    files.append("summary.html")
    return files
