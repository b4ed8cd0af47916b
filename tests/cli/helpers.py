"""What every CLI test checks of a refused command (no tests here)."""

from __future__ import annotations

from typing import Any


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
