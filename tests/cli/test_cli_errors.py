"""Every CLI command reports bad input the same way: one line on stderr, exit code 2."""

from __future__ import annotations

import pytest
import typer

from crisis_dispatch.entrypoints.cli_errors import EXIT_BAD_INPUT, fail, one_line


def test_a_multi_line_report_becomes_its_head_and_its_items_on_one_line() -> None:
    assert (
        one_line("p.yaml: 2 errors\n  rules[0]: unknown flag\n  rules[1]: no tier\n")
        == "p.yaml: 2 errors: rules[0]: unknown flag; rules[1]: no tier"
    )
    assert one_line("  just one  ") == "just one"
    assert one_line("\n \n") == "error"


def test_fail_prints_one_error_line_and_returns_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    exit_ = fail("cannot read x.csv:\nno such file")
    assert isinstance(exit_, typer.Exit) and exit_.exit_code == EXIT_BAD_INPUT == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "error: cannot read x.csv: no such file\n"
