"""One coordinate type: every point passed between layers is a ``LatLon``."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.geo import LatLon, is_latlon
from crisis_dispatch.domain.incident import Location
from crisis_dispatch.domain.outcomes import DestinationType
from crisis_dispatch.domain.station import Facility, Station
from crisis_dispatch.domain.unit import Unit
from crisis_dispatch.routing.geometry import check_latlon

SRC = Path(__file__).resolve().parents[3] / "src" / "crisis_dispatch"

anything = st.floats(allow_nan=True, allow_infinity=True)


@given(anything, anything)
def test_the_domain_and_routing_agree_on_what_a_coordinate_is(lat: float, lon: float) -> None:
    valid = is_latlon(lat, lon)
    assert valid == (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180)
    if valid:
        assert check_latlon(LatLon(lat, lon)) == (lat, lon)
        assert Location(lat, lon).point() == LatLon(lat, lon)
    else:
        with pytest.raises(ValueError):
            check_latlon(LatLon(lat, lon))
        with pytest.raises(InvalidInput):
            Location(lat, lon)


def test_every_record_with_coordinates_answers_a_latlon() -> None:
    assert Location(None, None, "1 Main St").point() is None
    assert Station("s", "S", 34.0, -118.0).point() == LatLon(34.0, -118.0)
    assert Facility("f", "F", DestinationType.PSYCHIATRIC_URGENT_CARE, 34.1, -118.1).point() == LatLon(34.1, -118.1)
    assert Unit("u", "TTP-1", "s").point() is None
    assert Unit("u", "TTP-1", "s", lat=34.2, lon=-118.2).point() == LatLon(34.2, -118.2)
    lat, lon = Location(34.0, -118.0).point() or (0.0, 0.0)  # still a tuple, latitude first
    assert (lat, lon) == (34.0, -118.0)


POINT_CLASSES = {"LatLon", "Point", "Coordinate"}
POINT_WORDS = ("point", "origin", "destination", "here", "where", "pos")


def _annotated_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.arg) and node.annotation is not None:
        return node.arg
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def _offences(path: Path) -> tuple[list[str], list[str]]:
    where = str(path.relative_to(SRC))
    defined, bare = [], []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef) and node.name in POINT_CLASSES:
            defined.append(where)
        name = _annotated_name(node) or ""
        annotation = getattr(node, "annotation", None)
        if any(w in name for w in POINT_WORDS) and "tuple[float, float]" in ast.unparse(annotation or ast.Constant(None)):
            bare.append(f"{where}:{getattr(node, 'lineno', 0)} {name}")
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in POINT_CLASSES for t in node.targets):
            bare.append(f"{where}:{node.lineno} alias")
    return defined, bare


def test_latlon_is_defined_once_and_no_coordinate_travels_as_a_bare_tuple() -> None:
    """A second point class, a ``Point = tuple[...]`` alias, or a ``tuple[float, float]``
    named like a point (``point``, ``origin``, ``here``...) fails here."""
    defined, bare = [], []
    for path in sorted(SRC.rglob("*.py")):
        d, b = _offences(path)
        defined += d
        bare += b
    assert defined == ["domain/geo.py"]
    assert bare == []
