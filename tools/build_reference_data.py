#!/usr/bin/env python3
"""Derive the reference data shipped in ``crisis_dispatch/data`` from the shared real data.

Re-runnable and deterministic: the same sources always give byte-identical files.

    python tools/build_reference_data.py                 # (re)write the shipped files
    python tools/build_reference_data.py --check         # exit 1 if any shipped file is stale
    python tools/build_reference_data.py --source DIR    # default: $CRISIS_DISPATCH_SHARED_DATA or ../shared/data

Every source, licence and data quirk is described in docs/data-licences.md. Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO_ROOT / ".." / "shared" / "data"
DEFAULT_OUT = REPO_ROOT / "src" / "crisis_dispatch" / "data"

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
M2_PER_KM2 = 1_000_000.0
KM2_PER_MI2 = 2.589988110336
RURAL_PEOPLE_PER_MI2 = 50.0  # DHCS mobile crisis benefit: rural = under 50 people per square mile
NEIGHBORHOOD_TOLERANCE_DEG = 0.0002  # ~20 m: invisible on a city basemap, halves the file
NEIGHBORHOOD_DECIMALS = 5  # ~1 m
COUNTY_DECIMALS = 5

Point = tuple[float, float]  # (lon, lat), GeoJSON order
Ring = list[Point]


# --------------------------------------------------------------------------- geometry


def polygons_of(geometry: dict) -> list[list[Ring]]:
    """The polygons (outer ring, then holes) of a GeoJSON Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")


def ring_area_m2(ring: Sequence[Sequence[float]]) -> float:
    """Area of a lon/lat ring on the sphere (Chamberlain & Duquette 2007), unsigned."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in pairwise(ring):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total) * EARTH_RADIUS_M**2 / 2


def geometry_area_m2(geometry: dict) -> float:
    return sum(ring_area_m2(rings[0]) - sum(ring_area_m2(h) for h in rings[1:]) for rings in polygons_of(geometry))


def ring_centroid(ring: Sequence[Sequence[float]]) -> Point:
    """Planar area-weighted centroid of a small lon/lat ring (fine at neighbourhood scale)."""
    area2 = cx = cy = 0.0
    for (x1, y1), (x2, y2) in pairwise(ring):
        cross = x1 * y2 - x2 * y1
        area2 += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (3 * area2), cy / (3 * area2)


def _perpendicular_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker line simplification (iterative, keeps both end points)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular_distance(points[i], points[first], points[last])
            if d > worst:
                worst, worst_index = d, i
        if worst > tolerance:
            keep[worst_index] = True
            stack.append((first, worst_index))
            stack.append((worst_index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: Sequence[Sequence[float]], tolerance: float, decimals: int) -> Ring | None:
    """Simplify a closed ring; None when it collapses (a sliver smaller than the tolerance)."""
    points = [(float(x), float(y)) for x, y in ring]
    if points[0] != points[-1]:
        points.append(points[0])
    # Split the closed ring at its point farthest from the start so both halves keep their shape.
    far = max(range(len(points)), key=lambda i: math.hypot(points[i][0] - points[0][0], points[i][1] - points[0][1]))
    simplified = douglas_peucker(points[: far + 1], tolerance)[:-1] + douglas_peucker(points[far:], tolerance)
    rounded: Ring = []
    for x, y in simplified:
        p = (round(x, decimals), round(y, decimals))
        if not rounded or rounded[-1] != p:
            rounded.append(p)
    if len(rounded) < 4:
        return None
    return rounded


def simplify_geometry(geometry: dict, tolerance: float, decimals: int) -> dict:
    polygons = []
    for rings in polygons_of(geometry):
        outer = simplify_ring(rings[0], tolerance, decimals)
        if outer is None:  # keep tiny islands rather than lose them: only round them
            outer = simplify_ring(rings[0], 0.0, decimals)
        if outer is None:
            continue
        holes = [h for h in (simplify_ring(r, tolerance, decimals) for r in rings[1:]) if h is not None]
        polygons.append([outer, *holes])
    as_lists = [[[list(p) for p in ring] for ring in rings] for rings in polygons]
    if len(as_lists) == 1:
        return {"type": "Polygon", "coordinates": as_lists[0]}
    return {"type": "MultiPolygon", "coordinates": as_lists}


# --------------------------------------------------------------------------- helpers


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("’", "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as handle:
        return list(csv.DictReader(handle))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def json_text(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


# --------------------------------------------------------------------------- LA stations


def build_stations(source: Path) -> str:
    """The 106 numbered LAFD stations; the "S/D" (special duty) row is not a station."""
    rows = read_csv(source / "la" / "stations" / "lafd_stations_2016.csv")
    stations = []
    for row in rows:
        if not row["station_number"].isdigit():
            continue
        number = int(row["station_number"])
        stations.append(
            (
                f"lafd-{number:03d}",
                number,
                f"LAFD Fire Station {number}",
                row["street"].strip(),
                row["city"].strip(),
                row["state"].strip(),
                row["zip"].strip(),
                row["community"].strip(),
                fmt(float(row["lat"]), 6),
                fmt(float(row["lon_fixed"]), 6),
            )
        )
    stations.sort(key=lambda s: s[1])
    if len({s[0] for s in stations}) != len(stations):
        raise ValueError("duplicate LAFD station numbers")
    header = ("id", "number", "name", "street", "city", "state", "zip", "community", "lat", "lon")
    return csv_text(header, stations)


# --------------------------------------------------------------------------- LA facilities

FACILITY_TYPES = {
    "hospital_911_receiving": "emergency_department",
    "psychiatric_urgent_care_center": "psychiatric_urgent_care",
    "sobering_center": "sobering_center",
}
# Ref. 501 page 9, "Patient Category" of each designated PUCC / the sobering center.
PATIENT_CATEGORIES = {
    "Adults Only": "adults_only",
    "Adolescents 13 years and older Adults": "adolescents_13_plus_and_adults",
}
# Ref. 526 (PUCC) and Ref. 528 (sobering center) EMS triage inclusion criteria:
# age >= 18 and < 65, reachable within a 15-minute transport time.
EMS_TRIAGE = {"psychiatric_urgent_care": (18, 64, 15), "sobering_center": (18, 64, 15)}
# Tags grounded in the policy texts: 526 III.A.1.a (voluntary or 5150), 326 D-E (24/7, up to 23 h),
# 528 III.A.1.a (voluntary or implied consent; alcohol intoxication), 328 F (24/7).
TYPE_CAPABILITIES = {
    "emergency_department": ("emergency_department", "open_24_7"),
    "psychiatric_urgent_care": (
        "psychiatric_urgent_care",
        "accepts_voluntary",
        "accepts_5150_holds",
        "stay_up_to_23_hours",
        "open_24_7",
    ),
    "sobering_center": ("sobering", "alcohol_intoxication", "accepts_voluntary", "open_24_7"),
}


def parse_trauma_levels(ref501: str, codes: set[str]) -> dict[str, tuple[str | None, bool]]:
    """Trauma level and pediatric trauma designation per hospital code, from the Ref. 501 text.

    The flag columns of the PDF text are not aligned, but the trauma column is the first after
    the hospital code and base-hospital mark: "CODE [X] [Level I|II]" or "Level I|II" (or
    "Pediatric Level I") on the next line, optionally followed by "Pediatric". Later "Level"
    tokens on the row belong to other columns and are ignored.
    """
    lines = [line.strip() for line in ref501.splitlines()]
    result: dict[str, tuple[str | None, bool]] = {}
    for i, line in enumerate(lines):
        code, _, rest = line.partition(" ")
        if code not in codes or code in result or re.match(r"(?!Level)[A-Za-z]{2,}", rest.strip()):
            continue  # not a code line (e.g. "PIH Health Downey Hospital" is a name line)
        on_code_line = re.match(r"(?:\s*X)?\s*Level (II|I)\b", rest)
        level = on_code_line.group(1) if on_code_line else None
        pediatric = False
        for following in lines[i + 1 : i + 3]:
            whole = re.fullmatch(r"(Pediatric)?\s*(?:Level (II|I))?", following)
            if not whole or not following:
                break
            pediatric = pediatric or bool(whole.group(1))
            level = level or whole.group(2)
        result[code] = (level, pediatric)
    return result


def parse_patient_categories(ref501: str) -> dict[str, str]:
    """Street line -> patient category for the PUCCs and the sobering center (Ref. 501 p. 9)."""
    page = ref501.split("PSYCHIATRIC URGENT CARE CENTERS DESIGNATED", 1)[1]
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    categories: dict[str, str] = {}
    i = 0
    while i < len(lines):
        if re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", lines[i]):
            street = lines[i - 2]
            j = i + 1
            words: list[str] = []
            while j < len(lines) and (lines[j].startswith("Adolescents") or lines[j].startswith("Adults")):
                words.append(lines[j])
                j += 1
            label = " ".join(words)
            if label not in PATIENT_CATEGORIES:
                raise ValueError(f"unknown Ref. 501 patient category {label!r} for {street!r}")
            categories[_normal_street(street)] = PATIENT_CATEGORIES[label]
            i = j
        else:
            i += 1
    return categories


def _normal_street(street: str) -> str:
    return re.sub(r"[^a-z0-9]", "", street.lower())


def _county_of(name: str) -> str:
    match = re.search(r"\((\w[\w ]*) County\)\s*$", name)
    return match.group(1) if match else "Los Angeles"


def build_facilities(source: Path, neighborhoods: dict) -> str:
    folder = source / "la" / "facilities"
    rows = read_csv(folder / "la_facilities_zip_centroids.csv")
    ref501 = (folder / "1189952_501HospitalDirectory.md").read_text(encoding="utf-8")
    codes = {r["hospital_code"] for r in rows if r["hospital_code"]}
    trauma = parse_trauma_levels(ref501, codes)
    categories = parse_patient_categories(ref501)

    names = [r["name"] for r in rows]
    by_code = {r["hospital_code"]: r for r in rows if r["hospital_code"]}
    westwood = next(
        f for f in neighborhoods["features"] if f["properties"]["NAME"] == "Westwood" and f["properties"]["CITY"] == "Los Angeles"
    )
    westwood_lon, westwood_lat = ring_centroid(polygons_of(westwood["geometry"])[0][0])

    out = []
    for row in rows:
        kind = FACILITY_TYPES[row["facility_type"]]
        name = " ".join(row["name"].split())
        slug = slugify(name)
        if names.count(row["name"]) > 1:
            slug = f"{slug}-{slugify(row['city'])}"
        lat, lon, precision = row["lat_zip_centroid"], row["lon_zip_centroid"], "zip_centroid"
        if row["zip"] == "90095":
            # The ZIP database gives UCLA's 90095 the centroid of Torrance PO-box ZIP 90509 (~35 km
            # south). Use the centroid of the Zillow "Westwood" polygon, where the campus is.
            lat, lon, precision = fmt(westwood_lat, 4), fmt(westwood_lon, 4), "neighborhood_centroid"
        elif kind != "emergency_department" and _normal_street(row["street"]).startswith("1000wcarson"):
            # The Harbor PUCC is on the Harbor-UCLA campus (1000 W. Carson St.): its PO-box ZIP 90509
            # is a poor proxy, the hospital's ZIP 90502 is where it is.
            host = by_code["HGH"]
            lat, lon, precision = host["lat_zip_centroid"], host["lon_zip_centroid"], "co_located_zip_centroid"
        if not lat:
            lat = lon = ""
            precision = "unknown"
        level, pediatric = trauma.get(row["hospital_code"], (None, False))
        accepts = "all_ages" if kind == "emergency_department" else categories[_normal_street(row["street"])]
        min_age, max_age, max_minutes = EMS_TRIAGE.get(kind, (None, None, None))
        capabilities = set(TYPE_CAPABILITIES[kind])
        if level:
            capabilities.add("trauma_center")
        if pediatric:
            capabilities.add("pediatric_trauma_center")
        out.append(
            (
                slug,
                name,
                kind,
                row["street"].strip(),
                row["city"].strip(),
                row["zip"].strip(),
                row["phone"].strip(),
                _county_of(name),
                row["hospital_code"] or None,
                lat,
                lon,
                precision,
                level,
                "true" if pediatric else "false",
                accepts,
                min_age,
                max_age,
                max_minutes,
                ";".join(sorted(capabilities)),
                None,  # capacity: not published in any of the sources
            )
        )
    if len({r[0] for r in out}) != len(out):
        raise ValueError("facility ids are not unique")
    order = {"psychiatric_urgent_care": 0, "sobering_center": 1, "emergency_department": 2}
    out.sort(key=lambda r: (order[r[2]], r[0]))
    header = (
        "id",
        "name",
        "type",
        "street",
        "city",
        "zip",
        "phone",
        "county",
        "hospital_code",
        "lat",
        "lon",
        "coordinates",
        "trauma_level",
        "pediatric_trauma",
        "accepts",
        "ems_min_age",
        "ems_max_age",
        "ems_max_transport_minutes",
        "capabilities",
        "capacity",
    )
    return csv_text(header, out)


# --------------------------------------------------------------------------- LA neighbourhoods


def build_neighborhoods(neighborhoods: dict) -> str:
    features = []
    for feature in neighborhoods["features"]:
        props = feature["properties"]
        region_id = int(props["REGIONID"])
        features.append(
            {
                "type": "Feature",
                "id": region_id,
                "properties": {"id": region_id, "name": props["NAME"], "city": props["CITY"]},
                "geometry": simplify_geometry(feature["geometry"], NEIGHBORHOOD_TOLERANCE_DEG, NEIGHBORHOOD_DECIMALS),
            }
        )
    features.sort(key=lambda f: f["id"])
    return json_text(
        {
            "type": "FeatureCollection",
            "attribution": "Neighborhood boundaries: Zillow (CC BY-SA 3.0), simplified",
            "features": features,
        }
    )


# --------------------------------------------------------------------------- California counties


def build_counties(source: Path) -> tuple[str, str]:
    folder = source / "california"
    rows = {r["fips"]: r for r in read_csv(folder / "ca_counties_pop_centroids.csv")}
    shapes = json.loads((folder / "ca_counties_us-atlas-10m.geojson").read_text(encoding="utf-8"))
    features = {str(f["id"]): f for f in shapes["features"]}
    if set(rows) != set(features) or len(rows) != 58:
        raise ValueError("county CSV and polygons do not list the same 58 counties")
    table = []
    geo_features = []
    for fips in sorted(rows):
        row, feature = rows[fips], features[fips]
        if feature["properties"]["name"] != row["county"]:
            raise ValueError(f"county name mismatch for {fips}")
        area_km2 = geometry_area_m2(feature["geometry"]) / M2_PER_KM2
        area_mi2 = area_km2 / KM2_PER_MI2
        population = int(row["popestimate2019"])
        density = population / area_mi2
        table.append(
            (
                fips,
                row["county"],
                population,
                int(row["census2010_pop"]),
                fmt(area_km2, 1),
                fmt(area_mi2, 1),
                fmt(density, 2),
                "true" if density < RURAL_PEOPLE_PER_MI2 else "false",
                fmt(float(row["centroid_lat"]), 5),
                fmt(float(row["centroid_lon"]), 5),
            )
        )
        geo_features.append(
            {
                "type": "Feature",
                "id": fips,
                "properties": {"fips": fips, "name": row["county"]},
                "geometry": simplify_geometry(feature["geometry"], 0.0, COUNTY_DECIMALS),
            }
        )
    header = (
        "fips",
        "name",
        "population",
        "census2010_population",
        "area_km2",
        "area_mi2",
        "people_per_mi2",
        "rural",
        "centroid_lat",
        "centroid_lon",
    )
    geojson = {
        "type": "FeatureCollection",
        "attribution": "US Census Bureau cartographic boundaries 1:10m (2017) via us-atlas 3.0.1",
        "features": geo_features,
    }
    return csv_text(header, table), json_text(geojson)


# --------------------------------------------------------------------------- NEMSIS

NEMSIS_ELEMENTS = (
    "eDisposition.21",
    "eDisposition.27",
    "eDisposition.28",
    "eDisposition.29",
    "eDisposition.30",
    "eDisposition.31",
)
_XS = "{http://www.w3.org/2001/XMLSchema}"
_NEMSIS = "{http://www.nemsis.org}"


def nemsis_element_types(xsd: Path) -> dict[str, tuple[str, str]]:
    """element number -> (element name, simple type name), read from the eDisposition XSD."""
    tree = ET.parse(xsd)
    found: dict[str, tuple[str, str]] = {}
    for element in tree.iter(f"{_XS}element"):
        number = element.get("name")
        if number not in NEMSIS_ELEMENTS:
            continue
        type_name = element.get("type")
        if type_name is None:
            extension = element.find(f".//{_XS}extension")
            type_name = extension.get("base") if extension is not None else None
        label = element.find(f".//{_NEMSIS}name")
        if label is None:
            label = element.find(".//name")
        if type_name is None or label is None:
            raise ValueError(f"cannot read the type or name of {number}")
        found[number] = (label.text or "").strip(), type_name
    missing = set(NEMSIS_ELEMENTS) - set(found)
    if missing:
        raise ValueError(f"elements not found in {xsd.name}: {sorted(missing)}")
    return found


def build_nemsis(source: Path) -> str:
    folder = source / "standards" / "nemsis"
    types = nemsis_element_types(folder / "XSDs" / "NEMSIS_XSDs" / "eDisposition_v3.xsd")
    by_type: dict[str, list[tuple[str, str]]] = {}
    for row in read_csv(folder / "nemsis_v3_enumerations.csv"):
        if row["xsd_file"] == "eDisposition_v3.xsd":
            by_type.setdefault(row["simple_type_or_element"], []).append((row["code"], row["description"]))
    out = []
    for number in NEMSIS_ELEMENTS:
        label, type_name = types[number]
        values = by_type.get(type_name)
        if not values:
            raise ValueError(f"no enumeration for {number} ({type_name})")
        prefix = "42" + number.split(".")[1]
        for code, description in values:
            if not code.startswith(prefix):  # NEMSIS numbers codes after their element
                raise ValueError(f"{code} does not belong to {number}")
            out.append((code, number, label, type_name, description))
    out.sort()
    return csv_text(("code", "element", "element_name", "value_set", "description"), out)


# --------------------------------------------------------------------------- main


def build_all(source: Path) -> dict[str, str]:
    """Relative output path -> file content."""
    neighborhoods = json.loads(
        (source / "la" / "neighborhoods" / "zillow_neighborhoods_los_angeles_county.geojson").read_text(encoding="utf-8")
    )
    counties_csv, counties_geojson = build_counties(source)
    return {
        "la/stations.csv": build_stations(source),
        "la/facilities.csv": build_facilities(source, neighborhoods),
        "la/neighborhoods.geojson": build_neighborhoods(neighborhoods),
        "california/counties.csv": counties_csv,
        "california/counties.geojson": counties_geojson,
        "nemsis/dispositions.csv": build_nemsis(source),
    }


def main(argv: Sequence[str] | None = None, emit: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    env_source = os.environ.get("CRISIS_DISPATCH_SHARED_DATA")
    parser.add_argument("--source", type=Path, default=Path(env_source) if env_source else DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="compare with the shipped files, write nothing")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        print(f"error: shared data folder not found: {args.source}", file=sys.stderr)
        return 2
    try:
        outputs = build_all(args.source)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: cannot build reference data: {error}", file=sys.stderr)
        return 1
    stale = []
    for relative, content in outputs.items():
        target = args.out / relative
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == content:
            continue
        stale.append(relative)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    for relative in outputs:
        size = len(outputs[relative].encode("utf-8"))
        state = ("stale" if args.check else "written") if relative in stale else "up to date"
        emit(f"{relative:32} {size:>9,} bytes  {state}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
