"""Request bodies of the API: separate from domain objects and tables."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from crisis_dispatch.domain.limits import MAX_AGE, MAX_INT, MIN_AGE, answer_age_problem, nested_text_problem, text_problem

#: Fields of free text: they may hold tabs and line breaks (no other control character).
FREE_TEXT_FIELDS = frozenset(
    {"narrative", "address", "subject_description", "reason", "summary", "facts", "text", "comment", "password", "designation"}
)


def control_character_check(value: Any, info: ValidationInfo) -> Any:
    """Refuse a control character (or a lone surrogate) anywhere in a field, before anything
    else reads it: PostgreSQL refuses a NUL in text, and none of them belongs in a record.
    Free text keeps tabs and line breaks; keys and values of objects are checked too."""
    if isinstance(value, str):
        problem = text_problem(value, multiline=(info.field_name or "") in FREE_TEXT_FIELDS)
    elif isinstance(value, (dict, list)):
        problem = nested_text_problem(value)
    else:
        return value
    if problem is not None:
        raise PydanticCustomError("control_character", problem)
    return value


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _no_control_characters = field_validator("*", mode="before")(control_character_check)


def _age() -> Any:
    """An optional age in whole years, 0-120; a boolean is not a number."""
    return Field(default=None, strict=True, ge=MIN_AGE, le=MAX_AGE, description=f"years, {MIN_AGE}-{MAX_AGE}")


def _check_answer_age(answers: dict[str, Any]) -> dict[str, Any]:
    """The ``age`` answer, when it is a number, is an age (0-120); never a boolean."""
    if "age" in answers and (problem := answer_age_problem(answers["age"])) is not None:
        raise PydanticCustomError("age", problem)
    return answers


class LoginRequest(_Body):
    username: str = Field(min_length=1, max_length=63)
    password: str = Field(min_length=1, max_length=500)
    #: The 6 digits of the authenticator app, for an account with a second factor.
    totp_code: str | None = Field(default=None, max_length=10)


class PasswordChange(_Body):
    current_password: str = Field(min_length=1, max_length=500)
    new_password: str = Field(min_length=1, max_length=500)


class UserCreate(_Body):
    username: str = Field(min_length=1, max_length=63)
    password: str = Field(min_length=1, max_length=500)
    role: str
    staff_id: str | None = None


class CallCreate(_Body):
    lat: float = Field(strict=True, ge=-90, le=90, allow_inf_nan=False, description="latitude of the person in crisis (WGS84)")
    lon: float = Field(strict=True, ge=-180, le=180, allow_inf_nan=False)
    address: str = Field(default="", max_length=300)
    call_type: str = Field(default="", max_length=200, description="the agency's call-type string, e.g. 'EDP'")
    code: str | None = Field(default=None, max_length=40, description="APCO or MPDS code, e.g. '25-A-1'")
    narrative: str = Field(default="", max_length=20000)
    priority: int | None = Field(default=None, strict=True, ge=0, le=9)
    answers: dict[str, Any] = Field(default_factory=dict, description="call-taker answers keyed by protocol question id")
    caller_name: str = Field(default="", max_length=200)
    caller_phone: str = Field(default="", max_length=40)
    subject_description: str = Field(default="", max_length=2000)
    subject_age: int | None = _age()
    received_at: AwareDatetime | None = None
    outside_service_area: bool = Field(
        default=False,
        strict=True,
        description="a dispatcher takes a call outside the service area on purpose (recorded in the history and the audit)",
    )

    _answer_age = field_validator("answers")(_check_answer_age)


class TriageRequest(_Body):
    id: str = "adhoc"
    call_type: str = Field(default="", max_length=200)
    narrative: str = Field(default="", max_length=20000)
    code: str | None = Field(default=None, max_length=40)
    priority: int | None = Field(default=None, strict=True, ge=0, le=9)
    answers: dict[str, Any] = Field(default_factory=dict)

    _answer_age = field_validator("answers")(_check_answer_age)


class ConfirmTriageRequest(_Body):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"answers": {"weapon": "no", "violence": "no", "conscious_breathing": "yes"}}]},
    )
    answers: dict[str, Any] = Field(
        description="the three safety questions, each 'yes' or 'no': weapon (a weapon there or within reach?), "
        "violence (violent or threatening others?), conscious_breathing (awake and breathing normally?)"
    )


class StatusChangeRequest(_Body):
    status: str
    reason: str = Field(default="", max_length=1000)
    expected_version: int | None = Field(default=None, strict=True, ge=0, le=MAX_INT)


class AssignRequest(_Body):
    unit_id: str | None = Field(default=None, min_length=1, max_length=40, description="omit to send the recommended van")
    reason: str = Field(default="", max_length=1000)


class DestinationBody(_Body):
    type: str
    name: str = Field(default="", max_length=200)
    facility_id: str | None = None


class HoldBody(_Body):
    type: str = Field(description="'5150' (adult) or '5585' (minor)")
    placed_by: str = Field(description="staff id of the designated crew member who wrote the hold")
    placed_at: AwareDatetime
    first_detained_at: AwareDatetime
    criteria: list[str] = Field(min_length=1)
    could_be_served_without_detention: bool
    facts: str = Field(default="", max_length=5000)


class HoldWriterBody(_Body):
    agency: str = Field(min_length=1, max_length=200, description="e.g. 'LAPD Central', 'LAC+USC Medical Center'")
    name: str = Field(min_length=1, max_length=200)
    credential: str = Field(min_length=1, max_length=80, description="badge or licence number")
    kind: str = Field(description="pmrt_clinician, police_officer, ed_physician or other_designated")
    designation: str = Field(default="", max_length=300, description="the county designation, as written")


class PickupPlaceBody(_Body):
    kind: str = Field(description="emergency_department, police_station, street or other")
    name: str = Field(default="", max_length=200, description="the ED or station; may be empty on the street")
    address: str = Field(default="", max_length=300)
    lat: float = Field(strict=True, ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(strict=True, ge=-180, le=180, allow_inf_nan=False)


class HoldTransportCreate(_Body):
    hold_type: str = Field(description="'5150' (adult) or '5585' (minor)")
    writer: HoldWriterBody
    first_detained_at: AwareDatetime = Field(description="the 72 hours run from here")
    written_at: AwareDatetime
    criteria: list[str] = Field(min_length=1, max_length=3, description="as stated on the application")
    pickup: PickupPlaceBody
    destination_facility_id: str = Field(min_length=1, max_length=80, description="a facility that accepts holds")
    subject_age: int | None = _age()
    subject_description: str = Field(default="", max_length=2000)
    facts: str = Field(default="", max_length=5000)
    outside_service_area: bool = Field(default=False, strict=True)


class PickupVerificationBody(_Body):
    application_seen: bool = Field(strict=True, description="the written application (DHCS 1801) was seen")
    application_signed: bool = Field(strict=True, description="it is signed by its writer")
    person_matches: bool = Field(strict=True, description="the person is the one named on it")


class HandoverBody(_Body):
    received_by: str = Field(min_length=1, max_length=200, description="who at the destination took the person")


class Transfer988Create(_Body):
    centre: str = Field(min_length=1, max_length=200, description="the 988 centre that took the call")
    reference: str = Field(min_length=1, max_length=100, description="the centre's reference for the call")
    transferred_at: AwareDatetime | None = Field(default=None, description="when the call was handed over (default: now)")


class Result988Create(_Body):
    result: str = Field(description="resolved_by_phone or call_back (a team requested: use the handback)")
    note: str = Field(default="", max_length=2000)


class Handback988Create(_Body):
    narrative: str = Field(min_length=1, max_length=20000, description="what the 988 counsellor found and asks for")
    answers: dict[str, Any] = Field(default_factory=dict, description="protocol answers the counsellor gave")
    caller_phone: str = Field(default="", max_length=40)

    _answer_age = field_validator("answers")(_check_answer_age)


class OutcomeCreate(_Body):
    disposition: str
    destination: DestinationBody | None = None
    hold: HoldBody | None = None
    subject_age: int | None = _age()
    referrals: list[str] = Field(default_factory=list)
    summary: str = Field(default="", max_length=5000)
    care_referral: bool = Field(
        default=False, description="also referred to CARE Court (recordable with any disposition, a hold included)"
    )


class CloseRequest(_Body):
    reason: str = Field(default="", max_length=1000)


class NoteCreate(_Body):
    text: str = Field(min_length=1, max_length=10000)


class UnitStatusRequest(_Body):
    status: str
    reason: str = Field(default="", max_length=1000)


class CrewAssignment(_Body):
    staff_id: str
    role: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class StaffCreate(_Body):
    name: str = Field(min_length=1, max_length=200)
    roles: list[str] = Field(min_length=1)
    qualifications: list[str] = Field(default_factory=list)


class BedUpdate(_Body):
    beds_available: int = Field(strict=True, ge=0, le=MAX_INT)
    beds_total: int | None = Field(default=None, strict=True, ge=0, le=MAX_INT)


class DestinationQuery(_Body):
    assessment: dict[str, Any] = Field(
        default_factory=dict,
        description="what the crew recorded: age, heart_rate, resp_rate, spo2, sbp, gcs, glucose, flags "
        "(alcohol_intoxication, ambulatory, cooperative, ...) and consent (voluntary, hold_5150, hold_5585, implied)",
    )
    k: int = Field(default=5, strict=True, ge=1, le=20)


class LocationPlace(_Body):
    """A dispatcher places (or moves) an incident: coordinates, and the address if it changes."""

    lat: float = Field(strict=True, ge=-90, le=90, allow_inf_nan=False, description="latitude (WGS84)")
    lon: float = Field(strict=True, ge=-180, le=180, allow_inf_nan=False)
    address: str | None = Field(default=None, max_length=300, description="omit to keep the address the incident has")
    reason: str = Field(default="", max_length=500)


class SubscriptionCreate(_Body):
    url: str = Field(max_length=500, description="the CAD endpoint that receives EIDO updates (http or https)")
    secret: str = Field(min_length=16, max_length=200, description="shared secret of the HMAC-SHA256 signature")
    events: list[str] | None = Field(default=None, description="assigned, status, screened_out, closed (default: all)")


class SubscriptionUpdate(_Body):
    url: str | None = Field(default=None, max_length=500)
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    events: list[str] | None = None
    active: bool | None = Field(default=None, strict=True)


class DisclosureCreate(_Body):
    """To one police liaison by name (``to_user``) or to every police liaison (``to_role``)."""

    reason: str = Field(
        min_length=1,
        max_length=1000,
        description='why police must know, e.g. "imperative threat: he said he will hurt his neighbour tonight"',
    )
    to_user: str | None = Field(default=None, min_length=1, max_length=63, description="a police liaison's username")
    to_role: Literal["police_liaison"] | None = Field(default=None, description="every police liaison")
