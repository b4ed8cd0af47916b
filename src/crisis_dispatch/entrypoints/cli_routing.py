"""CLI command ``travel-times``: append driving seconds to a CSV of origin-destination pairs.

The main app calls :func:`register`; the command stays thin: read rows, ask the configured
provider (one call per distinct destination), write rows. Bad input exits with code 2 and
one line on stderr.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crisis_dispatch.routing.errors import RoutingError

from .cli_errors import fail

if TYPE_CHECKING:
    from crisis_dispatch.routing.geometry import LatLon

REQUIRED_COLUMNS = ("o_lat", "o_lon", "d_lat", "d_lon")


class _BadInput(Exception):
    """Input the command refuses; the message is printed as is."""


def _read_pairs(path: Path) -> tuple[list[str], list[dict[str, str]], list[tuple[LatLon, LatLon]]]:
    from crisis_dispatch.routing.geometry import LatLon, check_latlon

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _BadInput(f"cannot read {path}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise _BadInput(f"{path.name}: missing column(s) {', '.join(missing)} (need {','.join(REQUIRED_COLUMNS)})")
    if "seconds" in header:
        raise _BadInput(f"{path.name}: already has a 'seconds' column")
    rows, pairs = [], []
    for line, row in enumerate(reader, start=2):
        try:
            o_lat, o_lon, d_lat, d_lon = (float(row[c]) for c in REQUIRED_COLUMNS)
            pairs.append((check_latlon(LatLon(o_lat, o_lon)), check_latlon(LatLon(d_lat, d_lon))))
        except (TypeError, ValueError) as exc:
            raise _BadInput(f"{path.name} line {line}: {exc}") from exc
        rows.append(row)
    return header, rows, pairs


def travel_times(
    file: Annotated[Path, typer.Argument(help="CSV with columns o_lat,o_lon,d_lat,d_lon (others are kept).")],
    region: Annotated[str | None, typer.Option(help="Region whose fitted model to use (e.g. 'la').")] = None,
    graph: Annotated[Path | None, typer.Option(help="Road network file (.graphml, .osm, .json[.gz]).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
) -> None:
    """Append driving time in seconds (column 'seconds') to each origin-destination row."""
    from crisis_dispatch.routing.provider import pairwise_seconds, provider_for_region

    try:
        if region is not None and graph is not None:
            raise _BadInput("give either --region or --graph, not both")
        header, rows, pairs = _read_pairs(file)
        provider = provider_for_region(region or "la", graph_path=graph)
        seconds = pairwise_seconds(provider, pairs)
    except (_BadInput, RoutingError) as exc:
        raise fail(str(exc)) from None
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*header, "seconds"], lineterminator="\n")
    writer.writeheader()
    for row, value in zip(rows, seconds, strict=True):
        writer.writerow({**row, "seconds": "" if value is None else f"{value:.1f}"})
    if out is None:
        sys.stdout.write(buffer.getvalue())
    else:
        out.write_text(buffer.getvalue(), encoding="utf-8")


def register(app: typer.Typer) -> None:
    """Add the ``travel-times`` command to ``app``."""
    app.command("travel-times")(travel_times)
