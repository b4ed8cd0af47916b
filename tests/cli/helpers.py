"""Shared by the CLI tests (no tests here): the command as a process, and what every test
checks of a refused command."""

from __future__ import annotations

import sys
from typing import Any

#: ``crisis-dispatch`` as a real process, with this interpreter.
CLI = [sys.executable, "-m", "crisis_dispatch"]


def assert_one_error_line(result: Any, *fragments: str) -> None:
    """``result`` -- a ``CliRunner`` result or a finished ``subprocess`` -- exited 2 and wrote
    exactly one line on stderr, ``error: ...`` with nothing before it, holding every fragment."""
    code = result.exit_code if hasattr(result, "exit_code") else result.returncode
    assert code == 2, (code, result.stdout, result.stderr)
    assert result.stderr.startswith("error: "), repr(result.stderr)  # no blank line first
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
