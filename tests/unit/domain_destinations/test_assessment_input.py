"""A patient assessment refuses values that cannot be right, with a readable message."""

from __future__ import annotations

import math

import pytest

from crisis_dispatch.domain.destinations import Consent, PatientAssessment
from crisis_dispatch.domain.errors import InvalidInput


def test_consent_given_as_text_becomes_the_enum() -> None:
    assert PatientAssessment(consent="hold_5150").consent is Consent.HOLD_5150


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": "maybe"}, "consent must be one of voluntary, hold_5150, hold_5585, implied, not 'maybe'"),
        ({"age": -1}, "age -1 is outside 0-130 years"),
        ({"age": 30.5}, "age must be a whole number, not 30.5"),
        ({"gcs": 2}, "gcs 2 is outside 3-15"),
        ({"spo2": 101}, "spo2 101 is outside 0-100 %"),
        ({"heart_rate": math.nan}, "heart_rate nan is outside 0-350 bpm"),
        ({"heart_rate": "80"}, "heart_rate must be a number, not '80'"),
        ({"sbp": True}, "sbp must be a number, not True"),
        ({"ambulatory": "yes"}, "ambulatory must be true, false or not recorded, not 'yes'"),
        ({"age": 16, "consent": "hold_5150"}, "a minor is held under WIC 5585, not 5150"),
        ({"age": 40, "consent": "hold_5585"}, "WIC 5585 is for minors; an adult is held under 5150"),
    ],
)
def test_impossible_values_are_refused_clearly(changes, message) -> None:
    with pytest.raises(InvalidInput) as error:
        PatientAssessment(**changes)
    assert str(error.value) == message


def test_a_5585_hold_without_an_age_counts_as_a_minor() -> None:
    assert PatientAssessment(consent="hold_5585").is_minor is True
    assert PatientAssessment().is_minor is None
    assert PatientAssessment(age=18).is_minor is False
