"""The shipped NENA EIDO schema: its published slips are corrected in code, and it still bites."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from crisis_dispatch.adapters.eido_schema import load_schema
from tests.support import eido

AT = datetime(2026, 11, 27, 17, 55, tzinfo=UTC)


def _valid() -> dict[str, Any]:
    return eido.document("urn:emergency:uid:incidentid:schema:test", AT, notes=[("n1", "<p>calm</p>")])


def test_the_two_published_slips_are_corrected_and_listed() -> None:
    corrections = load_schema().corrections
    assert any("agentRoleRegistryText/minItems" in c and "'1,'" in c and "read as 1" in c for c in corrections)
    assert any("'NIEMComponents//j.yaml'" in c and "double slash" in c for c in corrections)
    assert any("'NIEMComponents/j.yaml', a file not shipped" in c for c in corrections)


def test_the_bound_written_as_a_string_is_enforced_as_a_number() -> None:
    doc = _valid()
    doc["agentComponent"] = [
        eido.prologue("agent-1", AT) | {"agentRoleRegistryText": [], "agencyReference": {"$ref": eido.AGENCY}}
    ]
    problems = load_schema().problems(doc)
    assert [(p.path, p.message) for p in problems] == [("$.agentComponent[0].agentRoleRegistryText", "[] should be non-empty")]
    doc["agentComponent"][0]["agentRoleRegistryText"] = ["Call Taking"]
    assert load_schema().problems(doc) == []


def test_the_commercial_vehicle_behind_the_misspelt_path_is_accepted_as_any_object() -> None:
    doc = _valid()
    doc["vehicleComponent"] = [
        eido.prologue("veh-1", AT)
        | {
            "vehicleRelationshipType": ["Involved"],
            "vehicleRelationshipTimeStamp": AT.isoformat(),
            "jCommercialVehicleComponent": {"anything": ["the file is not shipped"]},
        }
    ]
    assert load_schema().problems(doc) == []


def test_the_official_sample_is_valid_and_a_document_written_from_the_schema_too() -> None:
    assert load_schema().problems(eido.official_sample()) == []
    assert load_schema().problems(_valid()) == []


def test_each_fault_is_listed_by_its_json_path() -> None:
    doc = copy.deepcopy(_valid())
    del doc["issuingElementIdentification"]
    doc["incidentComponent"]["incidentCommonPriorityNumber"] = "high"
    doc["notesComponent"][0].pop("notesActionComments")
    paths = {p.path: p.message for p in load_schema().problems(doc)}
    assert paths == {
        "$": "'issuingElementIdentification' is a required property",
        "$.incidentComponent.incidentCommonPriorityNumber": "'high' is not of type 'integer'",
        "$.notesComponent[0]": "'notesActionComments' is a required property",
    }
