"""The limits on input (domain/limits.py) and the service area the settings give."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.bootstrap import service_area_for
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.limits import (
    MAX_BIGINT,
    ServiceArea,
    age_from_answer,
    answer_age_problem,
    check_db_int,
    check_text,
    forbidden_character,
)

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]


@given(st.text(), st.sampled_from(CONTROLS), st.text(), st.booleans())
def test_a_control_character_anywhere_is_found_unless_free_text_may_keep_it(
    before: str, char: str, after: str, multiline: bool
) -> None:
    found = forbidden_character(before + char + after, multiline=multiline)
    if multiline and char in "\t\n\r":
        assert found is None or found[1] != char or found[0] != len(before)
    else:
        assert found is not None and found[0] <= len(before)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))))
def test_text_without_control_characters_passes(text: str) -> None:
    assert forbidden_character(text) is None
    assert check_text("narrative", text) == text


def test_the_message_names_the_field_and_the_character() -> None:
    with pytest.raises(InvalidInput, match=r"^username: contains the control character U\+0000 \(NUL\) at position 3"):
        check_text("username", "bob\x00")


def test_integers_beyond_the_database_are_refused() -> None:
    assert check_db_int("after", MAX_BIGINT) == MAX_BIGINT
    for bad in (MAX_BIGINT + 1, -1, True):
        with pytest.raises(InvalidInput, match="after"):
            check_db_int("after", bad)


@pytest.mark.parametrize(
    ("value", "age"), [(15, 15), ("15", 15), (15.0, 15), (" 40 ", 40), ("unknown", None), (True, None), (None, None)]
)
def test_an_age_answer_reads_as_the_triage_engine_reads_it(value: object, age: int | None) -> None:
    assert age_from_answer(value) == age


@pytest.mark.parametrize("value", [-5, 250, True, float("nan")])
def test_an_age_answer_outside_0_to_120_or_a_boolean_is_a_problem(value: object) -> None:
    assert answer_age_problem(value) is not None


def test_the_la_region_serves_los_angeles_county_and_bounds_can_be_configured() -> None:
    la = service_area_for(Settings(region="la"))
    assert la is not None and la.name == "Los Angeles County"
    assert la.contains(34.0522, -118.2437) and la.contains(34.69, -118.14)  # downtown, Lancaster
    assert not la.contains(34.05, 118.24) and not la.contains(40.71, -74.01) and not la.contains(-36.85, 174.76)
    custom = service_area_for(
        Settings(region="sf", service_area_bounds=(37.6, -122.6, 37.9, -122.3), service_area_name="San Francisco")
    )
    assert custom == ServiceArea("San Francisco", 37.6, -122.6, 37.9, -122.3)
    assert service_area_for(Settings(region="sf")) is None
    with pytest.raises(ValueError, match="south < north"):
        ServiceArea("upside down", 40, -120, 30, -110)
