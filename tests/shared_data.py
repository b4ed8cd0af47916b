"""Locate the shared real-data folder (``../shared/data`` beside the repository).

Tests that read real data call :func:`shared_data_dir`. When the folder is absent the
test is skipped with a clear reason -- except in CI (env ``CI`` set), where a missing
folder is a failure: CI must exercise the real data, never silently skip it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ENV_VAR = "CRISIS_DISPATCH_SHARED_DATA"
_REPO_ROOT = Path(__file__).resolve().parents[1]
_DEFAULT = _REPO_ROOT / ".." / "shared" / "data"


def running_in_ci() -> bool:
    """True when the environment says we are in CI (``CI`` set to anything but a false value)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def skip_or_fail(reason: str) -> None:
    """Skip the current test with ``reason``; in CI fail with it instead."""
    if running_in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def shared_data_dir() -> Path:
    """Return the shared data folder, skipping (or failing in CI) when it is absent.

    ``CRISIS_DISPATCH_SHARED_DATA`` overrides the default ``<repo>/../shared/data``.
    """
    override = os.environ.get(ENV_VAR)
    path = Path(override) if override else _DEFAULT
    if not path.is_dir():
        source = f"${ENV_VAR}" if override else "the default location"
        skip_or_fail(f"shared data folder not found at {path.resolve()} ({source})")
    return path.resolve()
