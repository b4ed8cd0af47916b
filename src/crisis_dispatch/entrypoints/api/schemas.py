"""Request bodies of the API: separate from domain objects and tables."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LoginRequest(_Body):
    username: str = Field(min_length=1, max_length=63)
    password: str = Field(min_length=1, max_length=500)


class PasswordChange(_Body):
    current_password: str = Field(min_length=1, max_length=500)
    new_password: str = Field(min_length=1, max_length=500)


class UserCreate(_Body):
    username: str
    password: str
    role: str
    staff_id: str | None = None


class CallCreate(_Body):
    lat: float = Field(ge=-90, le=90, description="latitude of the person in crisis (WGS84)")
    lon: float = Field(ge=-180, le=180)
    address: str = Field(default="", max_length=300)
    call_type: str = Field(default="", max_length=200, description="the agency's call-type string, e.g. 'EDP'")
    code: str | None = Field(default=None, max_length=40, description="APCO or MPDS code, e.g. '25-A-1'")
    narrative: str = Field(default="", max_length=20000)
    priority: int | None = Field(default=None, ge=0, le=9)
    answers: dict[str, Any] = Field(default_factory=dict, description="call-taker answers keyed by protocol question id")
    caller_name: str = Field(default="", max_length=200)
    caller_phone: str = Field(default="", max_length=40)
    subject_description: str = Field(default="", max_length=2000)
    subject_age: int | None = Field(default=None, ge=0, le=130)
    received_at: AwareDatetime | None = None


class TriageRequest(_Body):
    id: str = "adhoc"
    call_type: str = Field(default="", max_length=200)
    narrative: str = Field(default="", max_length=20000)
    code: str | None = Field(default=None, max_length=40)
    priority: int | None = Field(default=None, ge=0, le=9)
    answers: dict[str, Any] = Field(default_factory=dict)


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
    expected_version: int | None = None


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


class OutcomeCreate(_Body):
    disposition: str
    destination: DestinationBody | None = None
    hold: HoldBody | None = None
    subject_age: int | None = Field(default=None, ge=0, le=130)
    referrals: list[str] = Field(default_factory=list)
    summary: str = Field(default="", max_length=5000)


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
    beds_available: int = Field(ge=0)
    beds_total: int | None = Field(default=None, ge=0)


class DestinationQuery(_Body):
    assessment: dict[str, Any] = Field(
        default_factory=dict,
        description="what the crew recorded: age, heart_rate, resp_rate, spo2, sbp, gcs, glucose, flags "
        "(alcohol_intoxication, ambulatory, cooperative, ...) and consent (voluntary, hold_5150, hold_5585, implied)",
    )
    k: int = Field(default=5, ge=1, le=20)
