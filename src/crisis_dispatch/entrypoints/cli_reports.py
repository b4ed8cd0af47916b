"""CLI commands ``report`` (the program report) and ``export deidentified``.

The main app calls :func:`register`. Both only read an existing, migrated database (``--db``,
else DATABASE_URL, else the default file) and write a file or standard output; bad input
exits with code 2 and one line on stderr.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from crisis_dispatch.entrypoints.cli_export import export_app

from .cli_errors import fail

DEFAULT_TZ = "America/Los_Angeles"

StartOption = Annotated[
    str,
    typer.Option(
        "--start", help="Window start, ISO 8601 (2026-11-01 or 2026-11-01T00:00-07:00); without an offset, local to --tz."
    ),
]
EndOption = Annotated[str, typer.Option("--end", help="Window end (exclusive), as --start.")]
TzOption = Annotated[str, typer.Option("--tz", help="Time zone for hours of day, shifts and months.")]
DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite file to read (default: DATABASE_URL, else the file under the user's data directory)."),
]


def parse_time(value: str, option: str, tz: str) -> datetime:
    """An ISO 8601 date or time; one without an offset is read as local time in ``tz``."""
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        raise fail(f"unknown time zone '{tz}'") from None
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        raise fail(f"{option}: '{value}' is not an ISO 8601 date or time (e.g. 2026-11-01 or 2026-11-01T00:00-07:00)") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=zone)


def write_output(body: bytes, out: Path | None, *, binary: bool) -> None:
    if out is None:
        if binary and sys.stdout.isatty():
            raise fail("a PDF is not for the terminal: give --out FILE.pdf")
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(body)
    except OSError as e:
        raise fail(f"cannot write {out}: {e.strerror or e}") from None


def report(
    start: StartOption,
    end: EndOption,
    format: Annotated[str, typer.Option("--format", help="json, csv, html or pdf.")] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: standard output).")] = None,
    tz: TzOption = DEFAULT_TZ,
    all_cells: Annotated[
        bool,
        typer.Option(
            "--all-cells",
            help="Show counts under 11 too (for the program's own use; anything shared outside keeps them suppressed).",
        ),
    ] = False,
    program: Annotated[str, typer.Option("--program", help="The program's name in the HTML/PDF title.")] = "",
    db: DbOption = None,
) -> None:
    """The program report of the calls received in [START, END): team calls, outcomes with
    their denominators, response times against the 60/120-minute clocks, screened-out calls by
    reason, holds, transports and the impact estimates (definitions: docs/reporting.md).

    JSON (top-level keys window, team_calls, outcomes, response_times, screened_out, holds,
    transports, impact, definitions_version), CSV (one row per figure), or the two-page HTML/PDF
    summary with plots. Counts from 1 to 10 are suppressed unless --all-cells.
    """
    from crisis_dispatch.services import reports
    from crisis_dispatch.services.context import SYSTEM

    from .cli import _existing_container, _settings, readable_errors

    fmt = format.strip().lower()
    if fmt not in reports.FORMATS:
        raise fail(f"--format: unknown format '{format}': use one of {', '.join(reports.FORMATS)}")
    t0, t1 = parse_time(start, "--start", tz), parse_time(end, "--end", tz)

    @readable_errors
    def run() -> bytes:
        container = _existing_container(_settings(db))
        try:
            body, _ = reports.program_document(
                container.ctx, SYSTEM, t0, t1, fmt=fmt, tz=tz, suppress=not all_cells, program=program
            )
        finally:
            container.dispose()
        return body

    body = run()
    write_output(body, out, binary=fmt == "pdf")
    if out is not None:
        print(f"wrote the program report ({fmt}, {len(body):,} bytes) to {out}")


def dictionary_path(out: Path) -> Path:
    """The data dictionary beside an export: ``calls.csv`` -> ``calls.dictionary.csv``."""
    return out.with_name(f"{out.stem}.dictionary.csv")


@export_app.command("deidentified")
def export_deidentified(
    start: StartOption,
    end: EndOption,
    out: Annotated[
        Path, typer.Option("--out", help="The CSV to write; its data dictionary goes beside it (NAME.dictionary.csv).")
    ],
    dates: Annotated[
        str, typer.Option("--dates", help="month, or year (strict HIPAA Safe Harbor keeps no date element but the year).")
    ] = "month",
    tz: TzOption = DEFAULT_TZ,
    db: DbOption = None,
) -> None:
    """One de-identified row per incident received in [START, END), for analysts and researchers.

    HIPAA Safe Harbor: no identifier, name, phone number, narrative, note, address or
    coordinate; dates to the month (or the year); place as the state and urban or rural;
    ages over 89 as 90+; every combination of period, area type and age holds at least 11
    rows, or those rows' age and area type are generalised until it does (docs/reporting.md).
    """
    import csv

    from crisis_dispatch.reporting.deidentify import FIELDS, dictionary_rows
    from crisis_dispatch.services import reports
    from crisis_dispatch.services.context import SYSTEM

    from .cli import _existing_container, _settings, readable_errors

    t0, t1 = parse_time(start, "--start", tz), parse_time(end, "--end", tz)

    @readable_errors
    def run() -> list[dict[str, str]]:
        container = _existing_container(_settings(db))
        try:
            return reports.deidentified_export(container.ctx, SYSTEM, t0, t1, tz=tz, dates=dates.strip().lower())
        finally:
            container.dispose()

    rows = run()
    dictionary = dictionary_path(out)
    try:
        with out.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=[field.name for field in FIELDS])
            w.writeheader()
            w.writerows(rows)
        with dictionary.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=["field", "description", "values"])
            w.writeheader()
            w.writerows(dictionary_rows())
    except OSError as e:
        raise fail(f"cannot write {e.filename or out}: {e.strerror or e}") from None
    print(f"wrote {len(rows)} de-identified rows to {out} and the data dictionary to {dictionary}")


def register(app: typer.Typer) -> None:
    """Add ``report`` to ``app`` (``export deidentified`` joins the shared export group)."""
    app.command("report")(report)
