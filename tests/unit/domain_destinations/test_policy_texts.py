"""The limits and item numbers the rules cite are the ones in the LA County policy texts.

Reads Ref. 526, 526.1, 528 and 528.1 from the shared data folder (skips without it, fails in CI).
"""

from __future__ import annotations

import re

import pytest

from crisis_dispatch.domain.destinations import (
    AGE_YEARS,
    DIABETIC_GLUCOSE_MG_DL,
    GCS_MIN,
    HEART_RATE_BPM,
    RESP_RATE_RPM,
    SBP_ISOLATED_HYPERTENSION_MAX,
    SBP_MMHG,
    SPO2_MIN_PCT,
)
from tests.shared_data import shared_data_dir

FILES = {
    "526": "1078884_526PsychUCCPatientDestination.md",
    "526.1": "1078885_526.1PsychUCCMedicalClearanceScreeningTool.md",
    "528": "1078886_528IntoxicatedPatientDestination.md",
    "528.1": "1078887_528.1SoberingCenterMedicalClearanceScreeningTool.md",
}


def policy(ref: str) -> str:
    text = (shared_data_dir() / "la" / "facilities" / FILES[ref]).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text)


LIMITS = [
    f"Age: ≥ {AGE_YEARS[0]} years old and <{AGE_YEARS[1]} years old",
    f"Heart rate ≥{HEART_RATE_BPM[0]} bpm and <{HEART_RATE_BPM[1]} bpm",
    f"Respiratory rate ≥{RESP_RATE_RPM[0]} rpm and <{RESP_RATE_RPM[1]} rpm",
    f"Pulse oximetry ≥{SPO2_MIN_PCT}% on room air",
    f"SBP ≥{SBP_MMHG[0]} and <{SBP_MMHG[1]} mmHg",
    f"SBP ≤{SBP_ISOLATED_HYPERTENSION_MAX}mmHg with no associated symptoms",
    f"Score of ≥{GCS_MIN}",
    f"blood glucose ≥{DIABETIC_GLUCOSE_MG_DL[0]} mg/dL and <{DIABETIC_GLUCOSE_MG_DL[1]} mg/dL",
    "accessed within a fifteen (15) minute transport time",
]


@pytest.mark.parametrize("ref", ["526", "528"])
@pytest.mark.parametrize("phrase", LIMITS)
def test_every_limit_in_the_rules_is_written_in_both_policies(ref, phrase) -> None:
    text = policy(ref)
    if ref == "526":
        phrase = phrase.replace("years old and", "years and")  # Ref. 526 words the age limit without "old"
    assert phrase in text


# Item numbers the reasons cite, with the words the policy writes there.
CITED_ITEMS = [
    ("526", "2. Patients experiencing a behavioral/psychiatric crisis who have altered level of consciousness"),
    ("526", "7. Any patient who meets the triage criteria for transport to a PUCC, but who requests"),
    ("526", "a. Voluntarily consented or 5150 hold"),
    ("526", "b. Ambulatory, does not require the use of a wheelchair"),
    ("526", "c. No emergent medical condition or trauma"),
    ("526", "1. Any emergent medical condition 2. Focal neurological deficit 3. Any injury"),
    ("526", "4. Complaint of chest pain, shortness of breath, abdominal/pelvic pain, or syncope"),
    ("526", "5. Open wounds or bleeding 6. Intoxication of drugs and/or alcohol 7. Suspected pregnancy"),
    ("526", "8. Requires special medical equipment 9. Intellectual or developmental disability"),
    ("526", "10. Exhibits dangerous behavior 11. Patients treated with midazolam"),
    ("526", "12. EMS personnel feels the patient is not stable enough for PUCC"),
    ("526", "4. Confirmation that PUCC has the capacity to accept the patient prior to transport"),
    ("528", "5. Any patient who meets the triage criteria for transport to a SC, but who requests"),
    ("528", "a. Voluntarily consented or have implied consent to go to the SC"),
    ("528", "b. Cooperative and do not require restraints"),
    ("528", "c. Ambulatory, does not require the use of a wheelchair"),
    ("528", "d. NO emergent medical condition or trauma"),
    ("528", "4. Best Glasgow Coma Scale (GCS) Score of ≥14"),
    ("528", "5. Bleeding including any hemoptysis or GI bleed 6. Suicidal ideations 7. On anticoagulants"),
    ("528", "8. Suspected pregnancy 9. Bruising or hematoma above the clavicles"),
    ("528", "10. Intellectual or developmental disability 11. EMS personnel feels the patient is not stable"),
    ("528", "4. Confirmation that SC has the capacity to accept the patient prior to transport"),
    ("528.1", "No loss of consciousness within 24 hours"),
    ("526.1", "No altered level of consciousness"),
]


@pytest.mark.parametrize(("ref", "words"), CITED_ITEMS, ids=[f"{r}:{w[:30]}" for r, w in CITED_ITEMS])
def test_each_cited_item_says_what_the_rule_checks(ref, words) -> None:
    assert words in policy(ref)
