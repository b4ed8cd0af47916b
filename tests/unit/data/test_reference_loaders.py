"""The reference data shipped in the package loads into complete, consistent records."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.data.reference import (
    FACILITY_TYPES,
    california_counties,
    california_counties_geojson,
    county_at,
    la_facilities,
    la_neighborhoods_geojson,
    la_stations,
    nemsis_codes,
)

# LA County's bounding box, generously.
LA_LAT = (33.2, 34.9)
LA_LON = (-118.95, -117.6)


def test_there_are_106_lafd_stations_with_unique_ids_and_numbers() -> None:
    stations = la_stations()
    assert len(stations) == 106
    assert len({s.id for s in stations}) == 106
    assert len({s.number for s in stations}) == 106
    assert stations[0].id == "lafd-001" and stations[0].name == "LAFD Fire Station 1"


def test_every_station_has_a_western_hemisphere_coordinate_in_los_angeles_county() -> None:
    for station in la_stations():
        assert LA_LAT[0] < station.lat < LA_LAT[1], station
        assert LA_LON[0] < station.lon < LA_LON[1], station  # lon_fixed: the published lon lacks its sign
        county = county_at(station.lat, station.lon)
        assert county is not None and county.name == "Los Angeles", station


def test_station_address_reads_like_a_postal_address() -> None:
    station = next(s for s in la_stations() if s.number == 3)
    assert station.address == "108 N Fremont Ave, Los Angeles, CA 90012"


def test_facilities_are_7_psychiatric_urgent_care_centers_1_sobering_center_and_74_hospitals() -> None:
    by_type: dict[str, int] = {}
    for facility in la_facilities():
        by_type[facility.type] = by_type.get(facility.type, 0) + 1
    assert by_type == {"psychiatric_urgent_care": 7, "sobering_center": 1, "emergency_department": 74}


def test_facility_ids_are_unique_slugs_and_types_are_known() -> None:
    facilities = la_facilities()
    assert len({f.id for f in facilities}) == len(facilities)
    for facility in facilities:
        assert facility.type in FACILITY_TYPES
        assert facility.id == facility.id.lower() and " " not in facility.id


def test_facilities_lie_in_their_own_county_except_the_one_without_coordinates() -> None:
    without = [f.id for f in la_facilities() if not f.has_location]
    assert without == ["st-jude-medical-center-orange-county"]
    for facility in la_facilities():
        if facility.lat is None or facility.lon is None:
            continue
        county = county_at(facility.lat, facility.lon)
        assert county is not None and county.name == facility.county, facility


def test_ucla_medical_center_is_placed_in_westwood_not_at_the_wrong_zip_centroid() -> None:
    ucla = next(f for f in la_facilities() if f.hospital_code == "UCL")
    assert ucla.coordinates == "neighborhood_centroid"
    assert ucla.lat is not None and ucla.lon is not None
    assert 34.04 < ucla.lat < 34.09 and -118.47 < ucla.lon < -118.42


def test_puccs_take_5150_holds_and_the_sobering_center_takes_only_voluntary_adults() -> None:
    puccs = [f for f in la_facilities() if f.type == "psychiatric_urgent_care"]
    assert all({"accepts_5150_holds", "accepts_voluntary", "open_24_7"} <= f.capabilities for f in puccs)
    assert {f.accepts for f in puccs} == {"adults_only", "adolescents_13_plus_and_adults"}
    assert sum(f.accepts == "adults_only" for f in puccs) == 3
    (sobering,) = [f for f in la_facilities() if f.type == "sobering_center"]
    assert sobering.accepts == "adults_only"
    assert "accepts_5150_holds" not in sobering.capabilities
    for facility in [*puccs, sobering]:
        assert (facility.ems_min_age, facility.ems_max_age, facility.ems_max_transport_minutes) == (18, 64, 15)


def test_hospitals_accept_all_ages_and_fifteen_are_trauma_centers() -> None:
    hospitals = [f for f in la_facilities() if f.type == "emergency_department"]
    assert all(f.accepts == "all_ages" and f.hospital_code for f in hospitals)
    trauma = {f.hospital_code: f.trauma_level for f in hospitals if f.trauma_level}
    assert len(trauma) == 15
    assert trauma["LMC"] == "I" and trauma["HGH"] == "I" and trauma["AVH"] == "II"
    assert all("trauma_center" in f.capabilities for f in hospitals if f.trauma_level)


def test_there_are_58_counties_with_consistent_density_and_rural_flag() -> None:
    counties = california_counties()
    assert len(counties) == 58
    assert len({c.fips for c in counties}) == 58
    for county in counties:
        assert math.isclose(county.people_per_mi2, county.population / county.area_mi2, rel_tol=1e-3, abs_tol=0.01)
        assert county.rural == (county.people_per_mi2 < 50)
        assert math.isclose(county.area_km2, county.area_mi2 * 2.589988, rel_tol=1e-3)


def test_los_angeles_is_urban_and_alpine_is_rural() -> None:
    by_name = {c.name: c for c in california_counties()}
    assert by_name["Los Angeles"].fips == "06037" and not by_name["Los Angeles"].rural
    assert by_name["Alpine"].rural
    assert 4000 < by_name["Los Angeles"].area_mi2 < 4200  # land area 4,058 mi²; the outline adds a little


def test_downtown_los_angeles_is_in_los_angeles_county() -> None:
    county = county_at(34.0522, -118.2437)
    assert county is not None and county.name == "Los Angeles"


def test_points_outside_california_or_offshore_have_no_county() -> None:
    assert county_at(36.17, -115.14) is None  # Las Vegas
    assert county_at(33.0, -119.5) is None  # Pacific Ocean


def test_every_county_contains_its_own_centroid() -> None:
    for county in california_counties():
        found = county_at(county.centroid_lat, county.centroid_lon)
        assert found is not None and found.fips == county.fips, county.name


@given(st.floats(min_value=-90, max_value=90), st.floats(min_value=-180, max_value=180))
def test_county_at_answers_any_valid_coordinate_with_a_county_or_none(lat: float, lon: float) -> None:
    county = county_at(lat, lon)
    assert county is None or county.fips.startswith("06")


@pytest.mark.parametrize(("lat", "lon"), [(float("nan"), -118.0), (34.0, float("inf")), (91.0, 0.0), (0.0, -181.0)])
def test_county_at_rejects_a_value_that_is_not_a_coordinate(lat: float, lon: float) -> None:
    with pytest.raises(ValueError, match="not a valid coordinate"):
        county_at(lat, lon)


def test_treated_and_released_on_site_codes_are_the_documented_four() -> None:
    codes = nemsis_codes()
    expected = {
        "4227001": ("eDisposition.27", "Patient Contact Made"),
        "4228001": ("eDisposition.28", "Patient Evaluated and Care Provided"),
        "4230013": ("eDisposition.30", "No Transport"),
        "4231005": ("eDisposition.31", "Released Following Protocol Guidelines"),
    }
    for code, (element, description) in expected.items():
        assert (codes[code].element, codes[code].description) == (element, description)


def test_nemsis_codes_cover_the_disposition_elements_and_follow_their_numbering() -> None:
    codes = nemsis_codes()
    elements = {c.element for c in codes.values()}
    assert {"eDisposition.27", "eDisposition.28", "eDisposition.30", "eDisposition.31"} <= elements
    for code in codes.values():
        assert code.code.startswith("42" + code.element.split(".")[1])
    assert codes["4221031"].description == "Mental Health Facility"
    assert codes["4231007"].description == "Released to Law Enforcement"


def test_map_layers_are_geojson_and_each_call_returns_a_fresh_copy() -> None:
    neighborhoods = la_neighborhoods_geojson()
    assert neighborhoods["type"] == "FeatureCollection" and len(neighborhoods["features"]) == 163
    assert set(neighborhoods["features"][0]["properties"]) == {"id", "name", "city"}
    neighborhoods["features"].clear()
    assert len(la_neighborhoods_geojson()["features"]) == 163
    counties = california_counties_geojson()
    assert len(counties["features"]) == 58
    assert {f["properties"]["fips"] for f in counties["features"]} == {c.fips for c in california_counties()}


def test_loaders_return_new_lists_so_callers_cannot_corrupt_the_cache() -> None:
    stations = la_stations()
    stations.clear()
    assert len(la_stations()) == 106
