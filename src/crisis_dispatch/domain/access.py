"""Who may do what, and which incidents each role may see (minimum necessary, DOMAIN.md §5).

The API asks :func:`allowed` before every use case. What each role sees of an incident is an
allow-list read model per role (``services/read_models.py``), not a redaction of a full one.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

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
    #: A machine: the 911 centre's CAD, logging in by API key (``users create-cad``). It sends
    #: EIDO documents and reads its incidents back as EIDO; it sees nothing clinical.
    CAD = "cad"


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
    EIDO_RECEIVE = "eido:receive"
    EIDO_READ = "eido:read"
    SUBSCRIPTION_MANAGE = "subscription:manage"
    EXPORT_NEMSIS = "export:nemsis"
    #: Disclose an incident to police under the imminent-threat exception (recorded).
    INCIDENT_DISCLOSE = "incident:disclose"
    #: Read the disclosures made (police liaisons: those made to them).
    DISCLOSURE_READ = "disclosure:read"
    #: The person index (issue 14 item 2, docs/after-the-call.md): search for suggested matches,
    #: create a person and link or unlink an incident, read a person's encounters, merge records.
    PERSON_SEARCH = "person:search"
    PERSON_LINK = "person:link"
    PERSON_READ = "person:read"
    PERSON_MERGE = "person:merge"
    #: Prepare a CARE Court petition from an encounter: the team's clinicians (WIC 5974).
    CARE_PREPARE = "care:prepare"
    #: Read CARE petitions (crew: those they prepared; court liaisons: every CARE matter).
    CARE_READ = "care:read"
    #: Record a stage of a CARE matter (filed, the court's findings and orders, the end).
    CARE_STAGE = "care:stage"
    #: Follow-up tasks after an encounter: list, assign, record what came of them (issue 14).
    FOLLOW_UP_WORK = "follow_up:work"
    #: Warm hand-offs to a named provider, and the provider directory.
    HAND_OFF_RECORD = "hand_off:record"


P = Permission
#: Every person's role; the CAD machine account is not a person and reads only EIDO.
_EVERYONE = frozenset(UserRole) - {R.CAD}

PERMISSIONS: Mapping[Permission, frozenset[UserRole]] = {
    P.CALL_CREATE: frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    P.TRIAGE_EVALUATE: frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ANALYST, R.ADMIN}),
    # Answering the safety questions of a text-only decision (issue 10): those who take calls.
    P.TRIAGE_CONFIRM: frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    # Crew read only their own assignment; court liaisons only CARE Court referrals; police
    # liaisons only incidents with police in the response or disclosed to them. Each role
    # gets its own read model (services/read_models.py).
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
    # Exchange with the 911 CAD (issue 13): those who take calls, and the CAD itself.
    P.EIDO_RECEIVE: frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN, R.CAD}),
    P.EIDO_READ: frozenset({R.CALL_TAKER, R.DISPATCHER, R.SUPERVISOR, R.ADMIN, R.CAD}),
    P.SUBSCRIPTION_MANAGE: frozenset({R.ADMIN}),
    P.EXPORT_NEMSIS: frozenset({R.SUPERVISOR, R.ADMIN}),
    P.INCIDENT_DISCLOSE: frozenset({R.SUPERVISOR, R.ADMIN}),
    P.DISCLOSURE_READ: frozenset({R.SUPERVISOR, R.ADMIN, R.POLICE_LIAISON}),
    # The person index is clinical: those who care for the person (crew: for their own
    # incident only), never police, analysts, court liaisons or the CAD. Call-takers may
    # search (a caller names someone) but not read a history nor link.
    P.PERSON_SEARCH: frozenset({R.CALL_TAKER, R.DISPATCHER, R.CREW, R.SUPERVISOR, R.ADMIN}),
    P.PERSON_LINK: frozenset({R.DISPATCHER, R.CREW, R.SUPERVISOR, R.ADMIN}),
    P.PERSON_READ: frozenset({R.DISPATCHER, R.CREW, R.SUPERVISOR, R.ADMIN}),
    P.PERSON_MERGE: frozenset({R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    # CARE Court (docs/after-the-call.md): the petitioner is a clinician of the mobile crisis
    # team, so dispatchers and call-takers do not prepare petitions; court liaisons follow
    # the matters and record the court's stages; police, analysts and the CAD see none.
    P.CARE_PREPARE: frozenset({R.CREW, R.SUPERVISOR, R.ADMIN}),
    P.CARE_READ: frozenset({R.CREW, R.SUPERVISOR, R.ADMIN, R.COURT_LIAISON}),
    P.CARE_STAGE: frozenset({R.CREW, R.SUPERVISOR, R.ADMIN, R.COURT_LIAISON}),
    # Clinical follow-up: those who work the calls; never police, court, analysts or the CAD.
    P.FOLLOW_UP_WORK: frozenset({R.CREW, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
    P.HAND_OFF_RECORD: frozenset({R.CREW, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}),
}

#: Roles that only see incidents they are tied to.
SCOPED_TO_OWN_UNIT = frozenset({R.CREW})
SCOPED_TO_CARE_COURT = frozenset({R.COURT_LIAISON})

#: Police liaisons see only incidents whose response includes police, or that a supervisor
#: disclosed to them (``domain/disclosures.py``; the query is ``IncidentRepository``'s).
SCOPED_TO_POLICE_RESPONSE = frozenset({R.POLICE_LIAISON})
#: Triage flags that police may see, by name only: the dangers police are sent for, and a scene
#: not safe to approach; nothing clinical. (Not ``triage.flags.SAFETY_FLAGS``, which adds the
#: medical dangers.)
POLICE_VISIBLE_FLAGS: frozenset[str] = NEEDS_POLICE | {UNSAFE_LOCATION}


#: Roles that log in by API key, never by password.
MACHINE_ROLES = frozenset({R.CAD})


def allowed(role: UserRole | str, permission: Permission) -> bool:
    return UserRole(role) in PERMISSIONS[permission]
