"""Who may do what, and what each role may see (minimum necessary, DOMAIN.md §5).

The API asks :func:`allowed` before every use case; read models pass through
:func:`redact_incident` so that police roles never receive clinical fields and analysts
never receive live personal data.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from .triage.flags import NEEDS_POLICE, UNSAFE_LOCATION


class UserRole(StrEnum):
    CALL_TAKER = "call_taker"
    DISPATCHER = "dispatcher"
    CREW = "crew"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    POLICE_LIAISON = "police_liaison"
    COURT_LIAISON = "court_liaison"
    ADMIN = "admin"


R = UserRole


class Permission(StrEnum):
    CALL_CREATE = "call:create"
    TRIAGE_EVALUATE = "triage:evaluate"
    TRIAGE_CONFIRM = "triage:confirm"
    INCIDENT_READ = "incident:read"
    QUEUE_READ = "queue:read"
    INCIDENT_STATUS = "incident:status"
    INCIDENT_ASSIGN = "incident:assign"
    INCIDENT_OUTCOME = "incident:outcome"
    INCIDENT_NOTE = "incident:note"
    UNIT_READ = "unit:read"
    UNIT_STATUS = "unit:status"
    CREW_MANAGE = "crew:manage"
    STAFF_READ = "staff:read"
    REFERENCE_READ = "reference:read"
    FACILITY_UPDATE = "facility:update"
    USER_MANAGE = "user:manage"
    AUDIT_READ = "audit:read"
    REPORT_READ = "report:read"


P = Permission
_EVERYONE = frozenset(UserRole)

PERMISSIONS: Mapping[Permission, frozenset[UserRole]] = {
    P.CALL_CREATE: frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    P.TRIAGE_EVALUATE: frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ANALYST, R.ADMIN}),
    # Answering the safety questions of a text-only decision (issue 10): those who take calls.
    P.TRIAGE_CONFIRM: frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    # Crew read only their own assignment; court liaisons only CARE Court referrals;
    # police liaisons and analysts get redacted views (see redact_incident).
    P.INCIDENT_READ: _EVERYONE,
    P.QUEUE_READ: frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    P.INCIDENT_STATUS: frozenset({R.DISPATCHER, R.SUPERVISOR, R.CREW, R.ADMIN}),
    P.INCIDENT_ASSIGN: frozenset({R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    P.INCIDENT_OUTCOME: frozenset({R.CREW, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    P.INCIDENT_NOTE: frozenset({R.CREW, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    P.UNIT_READ: frozenset({R.CALL_TAKER, R.DISPATCHER, R.CREW, R.SUPERVISOR, R.ANALYST, R.POLICE_LIAISON, R.ADMIN}),
    P.UNIT_STATUS: frozenset({R.DISPATCHER, R.SUPERVISOR, R.CREW, R.ADMIN}),
    P.CREW_MANAGE: frozenset({R.SUPERVISOR, R.ADMIN}),
    P.STAFF_READ: frozenset({R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    P.REFERENCE_READ: _EVERYONE,
    P.FACILITY_UPDATE: frozenset({R.SUPERVISOR, R.CREW, R.DISPATCHER, R.ADMIN}),
    P.USER_MANAGE: frozenset({R.ADMIN}),
    P.AUDIT_READ: frozenset({R.SUPERVISOR, R.ADMIN}),
    P.REPORT_READ: frozenset({R.ANALYST, R.SUPERVISOR, R.ADMIN}),
}

#: Roles that only see incidents they are tied to.
SCOPED_TO_OWN_UNIT = frozenset({R.CREW})
SCOPED_TO_CARE_COURT = frozenset({R.COURT_LIAISON})

#: Clinical fields of the incident read model: never sent to police roles.
CLINICAL_FIELDS = frozenset(
    {
        "outcome",
        "notes",
        "narrative",
        "calls",
        "triage",
        "subject_age",
        "screened_out_reason",
        "determinant",
        "nemsis",
        "hold_transport",
        "phone_988",
    }
)
#: Personal data: never sent to analysts (they get de-identified views).
PERSONAL_FIELDS = frozenset({"calls", "notes", "subject_description", "subject_age", "address", "hold_transport", "phone_988"})
#: Triage flags that police may see: the dangers police are sent for, and a scene not safe to
#: approach; nothing clinical. (Not ``triage.flags.SAFETY_FLAGS``, which adds the medical dangers.)
POLICE_VISIBLE_FLAGS: frozenset[str] = NEEDS_POLICE | {UNSAFE_LOCATION}
#: Who confirmed a triage decision and when: shown with the triage, but not to the roles that
#: did not see it before (analysts do not learn who acted; court liaisons need the person, not
#: the call-taker). Police liaisons get no triage at all.
TRIAGE_CONFIRMATION_FIELDS = frozenset({"confirmed_by", "confirmed_at"})


def allowed(role: UserRole | str, permission: Permission) -> bool:
    return UserRole(role) in PERMISSIONS[permission]


def redact_incident(view: dict[str, Any], role: UserRole | str) -> dict[str, Any]:
    """Return the incident view that ``role`` may see (a new dict; the input is untouched)."""
    role = UserRole(role)
    out = dict(view)
    if role is R.POLICE_LIAISON:
        triage = view.get("triage") or {}
        for key in CLINICAL_FIELDS:
            out.pop(key, None)
        out["safety_flags"] = [
            {"name": f.get("name"), "evidence": f.get("evidence")}
            for f in triage.get("flags", [])
            if f.get("name") in POLICE_VISIBLE_FLAGS
        ]
    elif role is R.COURT_LIAISON:
        # A CARE Court petition is about the person, not about who called 911.
        out["calls"] = [{k: v for k, v in c.items() if k not in ("caller_name", "caller_phone")} for c in view.get("calls", [])]
        if out.get("triage"):
            out["triage"] = {k: v for k, v in out["triage"].items() if k not in TRIAGE_CONFIRMATION_FIELDS}
    elif role is R.ANALYST:
        for key in PERSONAL_FIELDS:
            out.pop(key, None)
        if "location" in out and out["location"]:
            loc = out["location"]
            # About 1 km: enough for maps of demand, not enough to find a home.
            out["location"] = {"lat": round(loc["lat"], 2), "lon": round(loc["lon"], 2)}
        outcome = out.get("outcome")
        if outcome:
            out["outcome"] = {k: outcome.get(k) for k in ("disposition", "destination", "nemsis")}
        triage = out.get("triage")
        if triage:
            # Reasons and evidence quote what was typed about the call: personal data.
            hidden = {"flags", "reasons"} | TRIAGE_CONFIRMATION_FIELDS
            out["triage"] = {k: v for k, v in triage.items() if k not in hidden} | {
                "flags": [{"name": f.get("name")} for f in triage.get("flags", [])]
            }
    return out
