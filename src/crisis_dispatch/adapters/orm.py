"""Tables and the imperative mapping of the domain classes (which carry no table metadata).

``start_mappers()`` is idempotent and is called by the composition root, never at import.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import composite, registry, relationship

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.history import StatusChange, Subject
from crisis_dispatch.domain.hold_transport import HoldTransport
from crisis_dispatch.domain.incident import Call, Incident, IncidentStatus, Location, Note
from crisis_dispatch.domain.outcomes import DestinationType, Outcome
from crisis_dispatch.domain.phone_988 import Transfer988
from crisis_dispatch.domain.station import Facility, Station
from crisis_dispatch.domain.triage.model import TriageResult
from crisis_dispatch.domain.unit import Qualification, Role, Shift, Staff, Unit, UnitStatus
from crisis_dispatch.domain.users import User

from .types import EnumSet, EnumString, JsonType, Serialized, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)
mapper_registry = registry(metadata=metadata)

stations = Table(
    "stations",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("address", String(300), nullable=False),
)

facilities = Table(
    "facilities",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("type", EnumString(DestinationType), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("address", String(300), nullable=False),
    Column("accepts", String(40), nullable=False),
    Column("capabilities", EnumSet(), nullable=False),
    Column("beds_available", Integer, nullable=True),
    Column("beds_total", Integer, nullable=True),
)

units = Table(
    "units",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("call_sign", String(40), nullable=False, unique=True),
    Column("station_id", String(40), ForeignKey("stations.id"), nullable=False),
    Column("capabilities", EnumSet(), nullable=False),
    Column("status", EnumString(UnitStatus), nullable=False),
    Column("incident_id", String(40), nullable=True),
    Column("status_since", UTCDateTime(), nullable=True),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("version", Integer, nullable=False),
)

staff = Table(
    "staff",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("roles", EnumSet(Role), nullable=False),
    Column("qualifications", EnumSet(Qualification), nullable=False),
    Column("active", Boolean, nullable=False),
)

shifts = Table(
    "shifts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("unit_id", String(40), ForeignKey("units.id"), nullable=False),
    Column("staff_id", String(40), ForeignKey("staff.id"), nullable=False),
    Column("role", EnumString(Role), nullable=False),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Index("ix_shifts_unit_window", "unit_id", "starts_at", "ends_at"),
    Index("ix_shifts_staff_window", "staff_id", "starts_at"),
)

incidents = Table(
    "incidents",
    metadata,
    # seq orders incidents received at the same instant (queue order is priority, received, seq).
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("status", EnumString(IncidentStatus), nullable=False),
    # Both NULL: a location to confirm (a civic address from a CAD we could not place).
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("address", String(300), nullable=False),
    Column("tier", String(40), nullable=True),
    Column("priority", Integer, nullable=True),
    Column("determinant", String(40), nullable=True),
    Column("triage", Serialized(TriageResult), nullable=True),
    Column("screened_out_reason", String(80), nullable=True),
    Column("triage_confirmed_by", String(80), nullable=True),
    Column("triage_confirmed_at", UTCDateTime(), nullable=True),
    Column("subject_description", Text, nullable=False),
    Column("subject_age", Integer, nullable=True),
    Column("unit_id", String(40), ForeignKey("units.id"), nullable=True),
    Column("outcome", Serialized(Outcome), nullable=True),
    Column("hold_transport", Serialized(HoldTransport), nullable=True),
    Column("phone_988", Serialized(Transfer988), nullable=True),
    Column("handed_back_from", String(40), nullable=True),
    Column("version", Integer, nullable=False),
    Column("last_change_at", UTCDateTime(), nullable=True),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("triaged_at", UTCDateTime(), nullable=True),
    Column("queued_at", UTCDateTime(), nullable=True),
    Column("dispatched_at", UTCDateTime(), nullable=True),
    Column("en_route_at", UTCDateTime(), nullable=True),
    Column("on_scene_at", UTCDateTime(), nullable=True),
    Column("transporting_at", UTCDateTime(), nullable=True),
    Column("at_destination_at", UTCDateTime(), nullable=True),
    Column("closed_at", UTCDateTime(), nullable=True),
    Column("cancelled_at", UTCDateTime(), nullable=True),
    Index("ix_incidents_status_received", "status", "received_at"),
)

calls = Table(
    "calls",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False, index=True),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("call_type", String(200), nullable=False),
    Column("code", String(40), nullable=True),
    Column("narrative", Text, nullable=False),
    Column("caller_phone", String(40), nullable=False),
    Column("caller_name", String(200), nullable=False),
    Column("answers", JsonType, nullable=False),
    Column("idempotency_key", String(200), nullable=True, unique=True),
)

notes = Table(
    "notes",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False, index=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("by", String(80), nullable=False),
    Column("text", Text, nullable=False),
)

status_history = Table(
    "status_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", EnumString(Subject), nullable=False),
    Column("subject_id", String(40), nullable=False),
    Column("from_status", String(40), nullable=True),
    Column("to_status", String(40), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("by", String(80), nullable=False),
    Column("reason", Text, nullable=False),
    Column("incident_id", String(40), nullable=True),
    Column("unit_id", String(40), nullable=True),
    Column("event", String(60), nullable=False, server_default="status"),
    Index("ix_status_history_subject", "subject", "subject_id", "id"),
    Index("ix_status_history_incident", "incident_id"),
)

users = Table(
    "users",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("username", String(63), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", EnumString(UserRole), nullable=False),
    Column("staff_id", String(40), ForeignKey("staff.id"), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime(), nullable=True),
    # The second factor: the TOTP secret encrypted (adapters/totp.py), one being enrolled,
    # and the time step of the last code used (no replay).
    Column("totp_secret", String(300), nullable=True),
    Column("totp_pending", String(300), nullable=True),
    Column("totp_last_step", BigInteger, nullable=True),
)

login_failures = Table(
    "login_failures",
    metadata,
    # One row per failed login, kept for the throttling window: what two server processes
    # and a restarted one count (per account name as typed, and per client address).
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False, index=True),
    Column("username", String(63), nullable=False),
    Column("address", String(64), nullable=False),
    Index("ix_login_failures_username_at", "username", "at"),
    Index("ix_login_failures_address_at", "address", "at"),
)

auth_tokens = Table(
    "auth_tokens",
    metadata,
    # Only a keyed hash of the token is stored: a database leak yields no usable token.
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(40), ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

# Insert-only and hash-chained (domain/audit_chain.py): ids are given by the appender, in
# chain order; AuditRecord is deliberately not mapped, so no session can flush a change to it.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("user_id", String(40), nullable=True),
    Column("username", String(63), nullable=False),
    Column("role", String(40), nullable=False),
    Column("action", String(40), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_id", String(80), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("row_hash", String(64), nullable=False),
    Index("ix_audit_log_object", "object_type", "object_id"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# ------------------------------------------------------------------ exchange with the 911 CAD
eido_links = Table(
    "eido_links",
    metadata,
    # One row per EIDO incident ($id) a CAD sent: the CAD reference of our incident, and
    # what the last accepted document said (replays, updates and older documents are told apart).
    Column("eido_id", String(300), primary_key=True),
    Column("agency", String(300), nullable=False),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False, unique=True),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("document_hash", String(64), nullable=False),
    Column("note_ids", JsonType, nullable=False),
    Column("location", JsonType, nullable=True),
    Column("received_at", UTCDateTime(), nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    # A CAD endpoint that receives EIDO updates. The secret signs each delivery (HMAC-SHA256),
    # so it is kept as given: it is a shared key, not a password.
    Column("id", String(40), primary_key=True),
    Column("url", String(500), nullable=False),
    Column("secret", String(200), nullable=False),
    Column("events", JsonType, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(80), nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    # Written in the same transaction as the change it reports; delivered by the outbox worker.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(40), nullable=False, unique=True),
    Column("subscription_id", String(40), ForeignKey("subscriptions.id"), nullable=False),
    Column("incident_id", String(40), nullable=False),
    Column("event", String(40), nullable=False),
    Column("payload", JsonType, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("dead_at", UTCDateTime(), nullable=True),
    Column("last_error", Text, nullable=True),
    Index("ix_outbox_pending", "delivered_at", "dead_at", "next_attempt_at"),
    Index("ix_outbox_incident", "subscription_id", "incident_id", "id"),
)

# Insert-only, like the audit log: a disclosure once made is history (Disclosure is not
# mapped; the repository reads and inserts rows with Core).
disclosures = Table(
    "disclosures",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("by", String(80), nullable=False),
    Column("reason", Text, nullable=False),
    Column("to_username", String(63), nullable=True),
    Column("to_role", String(40), nullable=True),
    Index("ix_disclosures_incident", "incident_id"),
    Index("ix_disclosures_to_username", "to_username"),
)

# ------------------------------------------------------------------ the person index (issue 14 item 2)
# Plain rows through Core (domain/persons.py's Person is a frozen value; the repository builds it).
persons = Table(
    "persons",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("names", JsonType, nullable=False),
    # "YYYY", "YYYY-MM" or "YYYY-MM-DD": as much of the date of birth as is known.
    Column("dob", String(10), nullable=True),
    Column("phones", JsonType, nullable=False),
    Column("description", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(80), nullable=False),
    # A merged record is kept (an unmerge restores it); it keeps its own links.
    Column("merged_into", String(40), ForeignKey("persons.id"), nullable=True),
    Column("merged_at", UTCDateTime(), nullable=True),
    Column("merged_by", String(80), nullable=True),
    Index("ix_persons_merged_into", "merged_into"),
)

# One person per incident (an encounter); a row exists only while the link does.
person_links = Table(
    "person_links",
    metadata,
    Column("incident_id", String(40), ForeignKey("incidents.id"), primary_key=True),
    Column("person_id", String(40), ForeignKey("persons.id"), nullable=False),
    Column("linked_at", UTCDateTime(), nullable=False),
    Column("linked_by", String(80), nullable=False),
    Index("ix_person_links_person", "person_id"),
)

# Insert-only: every create, link, unlink, merge and unmerge, with who, when and why.
person_events = Table(
    "person_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("by", String(80), nullable=False),
    Column("action", String(20), nullable=False),
    Column("person_id", String(40), nullable=False),
    Column("other_person_id", String(40), nullable=True),
    Column("incident_id", String(40), nullable=True),
    # A merge: the absorbed record's incidents at that moment; an unmerge: those it takes back.
    Column("incidents", JsonType, nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_person_events_person", "person_id", "id"),
)

# CARE Court petitions (docs/after-the-call.md): the petition, its stages and evidence as one
# JSON record (CarePetition is not mapped; adapters/care_repository.py reads and writes rows).
care_petitions = Table(
    "care_petitions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False),
    Column("prepared_at", UTCDateTime(), nullable=False),
    Column("prepared_by", String(80), nullable=False),
    Column("stage", String(40), nullable=False),
    Column("record", JsonType, nullable=False),
    Index("ix_care_petitions_incident", "incident_id"),
)

# Follow-up tasks and warm hand-offs (issue 14 item 3; domain/follow_ups.py): plain rows
# through Core, built into the domain's frozen objects by the repository.
follow_up_tasks = Table(
    "follow_up_tasks",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False),
    Column("rule_id", String(60), nullable=False),
    Column("disposition", String(40), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("description", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("due_at", UTCDateTime(), nullable=False),
    Column("owner_role", String(40), nullable=False),
    Column("owner", String(63), nullable=True),
    Column("attempt", Integer, nullable=False),
    Column("attempts_allowed", Integer, nullable=False),
    Column("retry_after_minutes", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("result", String(20), nullable=True),
    Column("done_at", UTCDateTime(), nullable=True),
    Column("done_by", String(80), nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("cancel_reason", Text, nullable=False, default=""),
    Column("retry_of", String(40), nullable=True),
    Index("ix_follow_up_tasks_status_due", "status", "due_at"),
    Index("ix_follow_up_tasks_incident", "incident_id"),
)

hand_offs = Table(
    "hand_offs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False),
    Column("provider_id", String(120), nullable=False),
    Column("provider_name", String(200), nullable=False),
    Column("contact", Text, nullable=False),
    Column("offered_at", UTCDateTime(), nullable=False),
    Column("offered_by", String(80), nullable=False),
    Column("status", String(20), nullable=False),
    Column("responded_at", UTCDateTime(), nullable=True),
    Column("responder_name", String(200), nullable=False, default=""),
    Column("recorded_by", String(80), nullable=True),
    Column("note", Text, nullable=False, default=""),
    Index("ix_hand_offs_incident", "incident_id"),
)

_started = False


def start_mappers() -> None:
    """Map the domain classes onto the tables (once per process)."""
    global _started
    if _started:
        return
    _started = True
    r = mapper_registry
    r.map_imperatively(Station, stations)
    r.map_imperatively(Facility, facilities)
    r.map_imperatively(Unit, units, version_id_col=units.c.version)
    r.map_imperatively(Staff, staff)
    r.map_imperatively(Shift, shifts)
    r.map_imperatively(Call, calls)
    r.map_imperatively(Note, notes)
    r.map_imperatively(
        Incident,
        incidents,
        version_id_col=incidents.c.version,
        properties={
            "location": composite(Location, incidents.c.lat, incidents.c.lon, incidents.c.address),
            "calls": relationship(Call, order_by=calls.c.received_at, lazy="selectin", cascade="all, delete-orphan"),
            "notes": relationship(Note, order_by=notes.c.at, lazy="selectin", cascade="all, delete-orphan"),
        },
    )
    r.map_imperatively(StatusChange, status_history)
    r.map_imperatively(User, users)
    # AuditRecord stays unmapped: the audit repository reads and inserts rows with Core only.
