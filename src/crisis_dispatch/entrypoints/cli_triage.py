"""CLI command group ``triage`` (issue 3). The main app calls :func:`register`.

- ``crisis-dispatch triage [FILE|-] [--protocol PATH]``: JSON lines in, JSON lines out,
  one per input line in order; a bad line gets one error on stderr with its line number,
  the others are still answered, and the exit status is 1 if any line was bad.
- ``crisis-dispatch triage whatif --protocol A.yaml --protocol B.yaml FILE [--json]``
- ``crisis-dispatch triage unmapped FILE [--json]``

``triage FILE`` works without naming a subcommand because the group falls back to its
default command (``run``) when the first argument is not a subcommand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from crisis_dispatch.adapters.protocol_loader import load_code_mappings, load_default_protocol, resolve_protocol
from crisis_dispatch.domain.triage import Protocol, ProtocolError, triage, whatif
from crisis_dispatch.domain.triage.tier import Tier
from crisis_dispatch.services.triage_io import CallInputError, LineError, find_unmapped, read_call_lines, read_calls

from .cli_errors import fail, print_error

DEFAULT_COMMAND = "run"
EXIT_BAD_LINE = 1


class DefaultCommandGroup(TyperGroup):
    """A group that runs ``run`` when the first argument is not one of its subcommands."""

    # ctx: the Context of the click that typer runs on (click itself, or since typer 0.2x its
    # own private copy), so it is not named here; this method only passes it on.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


def _one_line(exc: ProtocolError) -> str:
    return f"{exc.origin}: " + "; ".join(exc.errors)


def _load(spec: Path | None) -> Protocol:
    """A protocol file, or the name of a packaged one ("default", "narrow-2019")."""
    try:
        return load_default_protocol() if spec is None else resolve_protocol(spec)
    except ProtocolError as exc:
        raise fail(_one_line(exc)) from None


def _read_text(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise fail(f"cannot read {file}: {reason}") from None


ProtocolOpt = Annotated[
    Path | None,
    typer.Option("--protocol", "-p", help="Protocol YAML file, or a packaged name (default, narrow-2019). Default: default."),
]


def register(app: typer.Typer) -> None:
    """Add the ``triage`` command group to ``app``."""
    group = typer.Typer(
        cls=DefaultCommandGroup,
        help="Triage calls with a versioned protocol: FILE|- of JSON lines in, JSON lines out. Subcommands: whatif, unmapped.",
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @group.command(DEFAULT_COMMAND, help="Triage JSON-lines calls (the default when no subcommand is given).")
    def run(
        file: Annotated[str, typer.Argument(help="JSON-lines file of calls, or - for standard input.")] = "-",
        protocol: ProtocolOpt = None,
    ) -> None:
        proto = _load(protocol)
        bad = 0
        text = _read_text(file)
        for item in read_call_lines(text.splitlines()):
            if isinstance(item, LineError):
                bad += 1
                print_error(f"{file}: {item}")
                continue
            sys.stdout.write(json.dumps(triage(item, proto).to_dict(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
        if bad:
            raise typer.Exit(EXIT_BAD_LINE)

    @group.command("whatif", help="Run the same calls under two protocols and show what changes.")
    def whatif_cmd(
        file: Annotated[str, typer.Argument(help="JSON-lines file of calls, or - for standard input.")],
        protocol: Annotated[
            list[Path],
            typer.Option("--protocol", "-p", help="Give exactly two: A then B (files or packaged names)."),
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        if len(protocol) != 2:
            raise fail(f"whatif needs exactly two --protocol options (A and B), got {len(protocol)}")
        a, b = _load(protocol[0]), _load(protocol[1])
        try:
            calls = read_calls(_read_text(file))
        except CallInputError as exc:
            raise fail(f"{file}: {exc}") from None
        report = whatif(calls, a, b)
        if as_json:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
            return
        _print_whatif(report.to_dict())

    @group.command("unmapped", help="Call-type strings and codes of FILE (JSON lines or CSV) that no mapping covers.")
    def unmapped_cmd(
        file: Annotated[
            str, typer.Argument(help="JSON-lines calls, or a CSV with a call-type column (and optional code, Count).")
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
        column: Annotated[
            str | None,
            typer.Option("--column", help="The CSV column holding the call types, when its header is not one we know."),
        ] = None,
    ) -> None:
        text = _read_text(file)
        try:
            result = find_unmapped(text, load_code_mappings(), filename=file, column=column)
        except CallInputError as exc:
            raise fail(f"{file}: {exc}") from None
        data = result.to_dict()
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            return
        out = Console(highlight=False, soft_wrap=True)
        for kind, title in (("call_types", "call types"), ("codes", "codes")):
            table = Table(title=f"Unmapped {title} ({len(data[kind])})")
            table.add_column("count", justify="right")
            table.add_column("value")
            for row in data[kind]:
                table.add_row(str(row["count"]), row["value"])
            out.print(table)
        out.print(f"{data['rows']} rows read")

    app.add_typer(group, name="triage")


def _print_whatif(data: dict[str, Any]) -> None:
    out = Console(highlight=False, soft_wrap=True)
    tiers = Table(title=f"Tiers: A = {data['protocol_a']}, B = {data['protocol_b']} ({data['calls']} calls)")
    for col in ("tier", "A", "B", "B - A"):
        tiers.add_column(col, justify="left" if col == "tier" else "right")
    for tier in Tier:
        a, b = data["tiers"]["a"][tier], data["tiers"]["b"][tier]
        tiers.add_row(str(tier), str(a), str(b), f"{b - a:+d}")
    tiers.add_row(
        "crisis team goes", str(data["team"]["a"]), str(data["team"]["b"]), f"{data['team']['b'] - data['team']['a']:+d}"
    )
    out.print(tiers)
    out.print(f"{data['changed']} of {data['calls']} calls change tier")
    moves = Table(title="Changes (tier under A -> tier under B)")
    for col in ("A", "B", "calls"):
        moves.add_column(col, justify="right" if col == "calls" else "left")
    for a, row in data["transitions"].items():
        for b, n in row.items():
            if a != b:
                moves.add_row(a, b, str(n))
    out.print(moves)
    rules = Table(title="Rules behind the changes (fired only under A or only under B)")
    rules.add_column("rule")
    rules.add_column("changed calls", justify="right")
    for rule, n in data["rules_driving_changes"].items():
        rules.add_row(rule, str(n))
    out.print(rules)
