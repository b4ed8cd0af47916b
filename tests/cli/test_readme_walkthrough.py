"""The README's "Try it as a new user" runs as written (in a scratch directory, on a free
port instead of 8100, with the project already installed): each step answers, and the
incident it creates ends closed."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.support.net import free_port

REPO = Path(__file__).resolve().parents[2]


def walkthrough() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Try it as a new user") :]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found, "the README's walkthrough block"
    return found.group(1)


@pytest.mark.slow
def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    script = walkthrough()
    assert script.startswith("make install"), "the walkthrough starts by installing"
    body = script.split("\n", 1)[1].replace("8100", str(free_port()))  # installed already; a free port
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRISIS_DISPATCH_") and k != "DATABASE_URL"}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", body], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = done.stdout.split("\n")
    assert any(re.fullmatch(r"incident INC-[0-9A-F]+", line) for line in lines), done.stdout
    for answer in ("en_route", "on_scene", "treated_and_released", "closed"):
        assert answer in lines, (answer, done.stdout)
