"""The program report in the forms a county uses: CSV, an HTML summary with plots, PDF.

Every renderer takes the JSON-ready report of :func:`~crisis_dispatch.reporting.program.program_report`
(suppressed or not): what a renderer shows is what the JSON says, in words a board reads
("23 of 113 (20.4 %)"). Plots are matplotlib (Agg) PNGs inlined in the HTML, so the one file
is the whole summary; the PDF is WeasyPrint's rendering of that HTML (two Letter pages).
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from typing import Any

from jinja2 import Environment, select_autoescape

from .program import SMALL_CELL, TREATED_ON_SITE, Share

#: The names people read, where the key does not say it well enough by itself.
LABELS: dict[str, str] = {
    TREATED_ON_SITE: "Treated and released on site",
    "voluntary_transport": "Transported voluntarily",
    "involuntary_hold": "Involuntary hold (5150/5585)",
    "referred": "Referred to services",
    "declined_services": "Declined services",
    "no_person_found": "No person found",
    "escalated_to_ems": "Handed to EMS on scene",
    "escalated_to_police": "Handed to police on scene",
    "care_court_petition_recommended": "CARE Court petition recommended",
    "outcome_not_recorded": "Reached, outcome not recorded",
    "not_reached": "Not reached by a team",
    "psychiatric_urgent_care": "Psychiatric urgent care",
    "sobering_center": "Sobering center",
    "crisis_residential": "Crisis residential",
    "emergency_department": "Emergency department",
    "other": "Other",
    "not_triaged": "Not triaged (too little information)",
    "reason_not_recorded": "Reason not recorded",
    "fell_back_to_police_or_ems": "Handed to police/EMS while waiting",
    "cancelled_while_waiting": "Cancelled while waiting",
    "open_at_end": "Still waiting at the end",
    "supervisor_alert": "Supervisor alerts",
    "offer_fallback_tier": "Fallback offers",
    "budget_breached": "Clock breaches",
    "PHONE_988": "988 phone line",
    "POLICE": "Police",
    "EMS": "EMS",
    "POLICE_AND_EMS": "Police and EMS",
}


def label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def share_text(cell: dict[str, Any] | None) -> str:
    """``23 of 113 (20.4 %)`` for a ``{"count", "share", "denominator"}`` cell."""
    if cell is None:
        return "–"
    return Share(cell["count"], cell["denominator"]).text()


def minutes_text(value: float | None) -> str:
    return "not met" if value is None else f"{value:.0f} min"


# --------------------------------------------------------------------------- CSV
CSV_HEADER = ["section", "figure", "group", "count", "share", "denominator", "value"]


def _csv_rows(value: Any, path: list[str]) -> list[list[Any]]:
    if isinstance(value, dict) and {"count", "share", "denominator"} <= set(value):
        section, *rest = path
        figure = rest[-1] if rest else section
        group = "/".join(rest[:-1])
        return [[section, figure, group, value["count"], value["share"], value["denominator"], ""]]
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in _csv_rows(v, [*path, str(k)])]
    if isinstance(value, list):
        return [row for i, v in enumerate(value) for row in _csv_rows(v, [*path, str(i)])]
    section, *rest = path
    return [[section, rest[-1] if rest else section, "/".join(rest[:-1]), "", "", "", "" if value is None else value]]


def to_csv(report: dict[str, Any]) -> str:
    """One row per figure: section (a top-level key), figure, group (the path between them),
    count, share, denominator for a share; value for anything else."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    w.writerows(_csv_rows(report, []))
    return out.getvalue()


# --------------------------------------------------------------------------- plots
#: The text width of a Letter page with the summary's margins: plots are drawn at print size.
PAGE_WIDTH_IN = 7.2


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def png_bytes(data_uri: str) -> bytes:
    """The PNG of a plot's ``data:`` URI (to write it as a file)."""
    return base64.b64decode(data_uri.split(",", 1)[1])


def _figure(width: float = PAGE_WIDTH_IN, height: float = 2.0) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _count(cell: dict[str, Any]) -> int:
    return int(cell["count"] or 0)


def plot_response_times(report: dict[str, Any]) -> str:
    """Team calls by response time, with the 60- and 120-minute clocks."""
    bins = report["response_times"]["histogram"]
    fig, ax = _figure()
    names = [f"{b['from_min']:.0f}–{b['to_min']:.0f}" if b["to_min"] is not None else "later or\nnever" for b in bins]
    counts = [_count(b["calls"]) for b in bins]
    x = list(range(len(bins)))
    ax.bar(x, counts, color="#4477aa", width=0.85)
    for i, b in enumerate(bins):
        if b["calls"]["count"] is None:
            ax.annotate(f"<{SMALL_CELL}", (i, 0), ha="center", va="bottom", fontsize=7)
    for minutes, name in ((60, "60-min clock (urban)"), (120, "120-min clock (rural)")):
        pos = [i for i, b in enumerate(bins) if b["from_min"] == minutes][0] - 0.5
        ax.axvline(pos, color="#cc3311", linestyle="--", linewidth=1)
        ax.annotate(
            name,
            (pos, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, 0),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=7,
            color="#cc3311",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
    ax.set_xticks(x, names, fontsize=7)
    ax.set_xlabel("minutes from triage to the team on scene")
    ax.set_ylabel("team calls")
    ax.set_ylim(bottom=0)
    return _png(fig)


def plot_outcomes(report: dict[str, Any]) -> str:
    """Outcomes of the team calls, as shares with their counts."""
    items = [(k, v) for k, v in report["outcomes"].items() if v["count"] != 0]
    fig, ax = _figure(height=0.2 * max(len(items), 3) + 0.5)
    y = list(range(len(items)))[::-1]
    shares = [100 * (v["share"] or 0.0) for _, v in items]
    ax.barh(y, shares, color="#228833")
    for yi, (_, v), s in zip(y, items, shares, strict=True):
        ax.annotate(share_text(v), (s, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
    ax.set_yticks(y, [label(k) for k, _ in items], fontsize=8)
    ax.set_xlim(0, max([*shares, 1.0]) * 1.6)
    ax.set_xlabel(f"% of {report['team_calls']} team calls")
    return _png(fig)


def plot_eligible_reached(report: dict[str, Any]) -> str:
    """Every call: sent to the team (eligible), reached by it; the rest by where they went."""
    s = report["screened_out"]
    rows = [("All calls", s["calls"], None), ("Eligible for a team", _count(s["eligible"]), s["eligible"])]
    rows.append(("Reached by a team", _count(s["reached"]), s["reached"]))
    rows.append(("988 phone line", _count(s["phone_988"]), s["phone_988"]))
    rows.append(("Screened out", _count(s["screened_out"]), s["screened_out"]))
    fig, ax = _figure(height=1.5)
    y = list(range(len(rows)))[::-1]
    values = [int(v or 0) for _, v, _ in rows]
    ax.barh(y, values, color=["#777777", "#4477aa", "#228833", "#aa3377", "#cc3311"])
    for yi, (_, v, cell) in zip(y, rows, strict=True):
        text = share_text(cell) if cell is not None else f"{v}"
        ax.annotate(text, (int(v or 0), yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
    ax.set_yticks(y, [r[0] for r in rows], fontsize=8)
    ax.set_xlim(0, max([*values, 1]) * 1.6)
    ax.set_xlabel("calls")
    return _png(fig)


def plot_months(months: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """Month over month: share treated and released on site, and share within the clock."""
    fig, ax = _figure(height=1.6)
    names = [m for m, _ in months]
    treated = [100 * (r["outcomes"][TREATED_ON_SITE]["share"] or 0.0) for _, r in months]
    clock = [100 * (r["response_times"]["within_clock"]["share"] or 0.0) for _, r in months]
    ax.plot(names, treated, marker="o", label="treated and released on site")
    ax.plot(names, clock, marker="s", label="reached within the clock")
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of team calls")
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    ax.tick_params(axis="x", labelsize=7)
    return _png(fig)


# --------------------------------------------------------------------------- HTML and PDF
def _template() -> Any:
    text = resources.files("crisis_dispatch.reporting").joinpath("templates/program.html").read_text(encoding="utf-8")
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["share"] = share_text
    env.filters["minutes"] = minutes_text
    env.filters["label"] = label
    return env.from_string(text)


def window_title(report: dict[str, Any]) -> str:
    start = datetime.fromisoformat(report["window"]["start"])
    end = datetime.fromisoformat(report["window"]["end"])
    if start.day == 1 and (end - start).days in range(28, 32):
        return start.strftime("%B %Y")
    return f"{start:%d %b %Y} – {end:%d %b %Y}"


def to_html(report: dict[str, Any], *, earlier: Sequence[tuple[str, dict[str, Any]]] = (), program: str = "") -> str:
    """The two-page summary a county board reads. ``earlier``: (month name, report) of the
    months before, oldest first; with any, page 2 has the month-over-month line."""
    months = [*earlier, (window_title(report), report)]
    return str(
        _template().render(
            r=report,
            title=window_title(report),
            program=program or "Crisis team program",
            suppressed_note=f"Counts from 1 to {SMALL_CELL - 1} are suppressed (shown as “fewer than {SMALL_CELL}”).",
            plots={
                "response": plot_response_times(report),
                "outcomes": plot_outcomes(report),
                "reach": plot_eligible_reached(report),
                "months": plot_months(months) if earlier else None,
            },
        )
    )


def to_pdf(html: str) -> bytes:
    """The HTML summary as PDF (WeasyPrint)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
