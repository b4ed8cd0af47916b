"""The shipped reference files are exactly what tools/build_reference_data.py derives."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.shared_data import shared_data_dir

SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "build_reference_data.py"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_reference_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_shipped_files_are_up_to_date_with_the_shared_data(build: ModuleType) -> None:
    source = shared_data_dir()
    lines: list[str] = []
    status = build.main(["--source", str(source), "--check"], emit=lines.append)
    assert status == 0, "stale reference data, run tools/build_reference_data.py:\n" + "\n".join(lines)


def test_missing_source_folder_is_a_clear_error(build: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = build.main(["--source", str(tmp_path / "nowhere"), "--check"], emit=lambda _: None)
    assert status == 2
    assert "shared data folder not found" in capsys.readouterr().err


def test_a_one_degree_square_at_the_equator_has_the_spherical_area(build: ModuleType) -> None:
    ring = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]
    expected = (math.radians(1) * math.sin(math.radians(1))) * build.EARTH_RADIUS_M**2
    assert math.isclose(build.ring_area_m2(ring), expected, rel_tol=1e-3)


def test_douglas_peucker_drops_points_within_tolerance_and_keeps_the_ends(build: ModuleType) -> None:
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, -0.01), (3.0, 0.0), (4.0, 5.0)]
    assert build.douglas_peucker(line, 0.1) == [(0.0, 0.0), (3.0, 0.0), (4.0, 5.0)]


def test_a_sliver_ring_collapses_to_nothing(build: ModuleType) -> None:
    sliver = [(0.0, 0.0), (1.0, 0.0), (1.0, 1e-9), (0.0, 1e-9), (0.0, 0.0)]
    assert build.simplify_ring(sliver, 0.001, 5) is None


def test_facility_ids_are_ascii_slugs(build: ModuleType) -> None:
    assert build.slugify("Children’s Hospital Los Angeles") == "childrens-hospital-los-angeles"
    assert build.slugify("UCI Health – Lakewood") == "uci-health-lakewood"
