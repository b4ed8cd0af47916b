"""The rules added after every remaining team-alone page with text was read (docs/triage-measurements.md):
signs of death, a misspelt seizure, a household liquid drunk, and "in progress" in the text
of a call type's event. All examples are invented."""

from __future__ import annotations

import pytest

from crisis_dispatch.domain.triage import Tier, read_narrative

from .builders import run


@pytest.mark.parametrize(
    "text",
    [
        "RP FOUND HER HUSBAND IN THE SHED, CANT FEEL A PULSE",
        "unable to find a pulse on him",
        "PT IS PULSELESS PER CALLER",
        "he is stiff and cold to the touch",
        "SHE WAS ALREADY DEAD WHEN RP ARRIVED",
        "caller found him dead in his room",
        "no signs of life",
    ],
)
def test_signs_of_death_are_a_medical_emergency(text: str) -> None:
    assert "medical" in read_narrative(text).names
    assert run(call_type="SUICIDE", narrative=text).tier is Tier.MH_TEAM_WITH_EMS


@pytest.mark.parametrize(
    "text",
    [
        "her phone went dead mid call",
        "the battery is dead",
        "HE HAS A STRONG PULSE",
        "pulse 80, alert and talking",
        "he is not dead, just asleep on the porch",
    ],
)
def test_a_dead_phone_or_a_pulse_found_is_not_a_medical_emergency(text: str) -> None:
    assert "medical" not in read_narrative(text).names


@pytest.mark.parametrize("text", ["SHE JUST HAD A SEZURE", "pt had a siezure earlier today"])
def test_a_misspelt_seizure_is_medical(text: str) -> None:
    assert "medical" in read_narrative(text).names


@pytest.mark.parametrize(
    "text", ["daughter drank rubbing alcohol", "HE DRANK SOME ISOPROPYL", "she swallowed hand sanitizer", "drank mouthwash"]
)
def test_drinking_a_household_liquid_is_an_ingestion(text: str) -> None:
    assert "overdose" in read_narrative(text).names


def test_in_progress_in_the_text_makes_the_call_types_event_current() -> None:
    assert run(call_type="SUICIDE", narrative="16 YOM, TEXTED A FRIEND. IN PROGRESS").tier is Tier.MH_TEAM_WITH_EMS
    assert run(call_type="SUICIDE", narrative="16 YOM, TEXTED A FRIEND. I/P").tier is Tier.MH_TEAM_WITH_EMS
    # a plan, not in progress; and a call type whose event is not a danger stays as it was
    assert run(call_type="SUICIDE", narrative="16 YOM, TEXTED A FRIEND. NOT IN PROGRESS").tier is Tier.MH_TEAM
    assert run(call_type="MENTAL HEALTH", narrative="ASSESSMENT IN PROGRESS AT THE CLINIC").tier is Tier.MH_TEAM
