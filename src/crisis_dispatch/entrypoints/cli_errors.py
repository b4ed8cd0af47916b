"""How every CLI command reports bad input: one readable line on stderr, exit code 2.

``raise fail("cannot read x.csv: no such file") from None`` prints ``error: cannot read
x.csv: no such file`` and ends the command; no traceback, never wrapped to the terminal.
"""

from __future__ import annotations

import sys

import typer

#: Exit code of a command refused for its input (arguments, files, configuration).
EXIT_BAD_INPUT = 2


def one_line(message: str) -> str:
    """A possibly multi-line error report as one line: ``"head: a; b; c"``."""
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else "error"
    return f"{lines[0].rstrip(':')}: {'; '.join(lines[1:])}"


def print_error(message: str) -> None:
    """``error: <message as one line>`` on stderr (the command goes on)."""
    sys.stderr.write(f"error: {one_line(message)}\n")
    sys.stderr.flush()


def fail(message: str) -> typer.Exit:
    """Print ``message`` as one error line on stderr; the exit (code 2) for the caller to raise."""
    print_error(message)
    return typer.Exit(EXIT_BAD_INPUT)
