"""In-memory fakes of the service layer's ports (``services.ports``), for fast tests of the
use cases' rules (cosmicpython's shape).

A :class:`FakeDatabase` holds what is committed. Each :class:`FakeUnitOfWork` works on its
own copy of it, so that, as with the real database, what a use case changes is seen by
others only once it commits, and an error before the commit leaves nothing behind. On
commit, an incident or a unit that changed since the unit of work read it, and that someone
else committed meanwhile, is refused with :class:`Conflict` (the version check SQLAlchemy
does with ``version_id_col``); a duplicate key raises :class:`DuplicateKey`.

``tests/unit/services/test_fakes_contract.py`` runs the same repository behaviours against
these fakes and against SQLite, so the fakes cannot drift from the real thing unseen.
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Generic, TypeVar

from crisis_dispatch.domain import audit_chain
from crisis_dispatch.domain.care import CarePetition
from crisis_dispatch.domain.clock import Clock
from crisis_dispatch.domain.disclosures import Disclosure, PoliceScope, police_in_response
from crisis_dispatch.domain.errors import Conflict, DuplicateKey, NotFound
from crisis_dispatch.domain.follow_ups import FollowUpTask, HandOff, TaskStatus
from crisis_dispatch.domain.history import StatusChange, Subject
from crisis_dispatch.domain.incident import Incident, IncidentStatus
from crisis_dispatch.domain.outcomes import Disposition
from crisis_dispatch.domain.persons import Person, canonical
from crisis_dispatch.domain.station import Facility, Station
from crisis_dispatch.domain.unit import Shift, Staff, Unit
from crisis_dispatch.domain.users import AuditRecord, User
from crisis_dispatch.services.context import EtaFunction, ServiceContext, Triager

T = TypeVar("T")


def clone(value: Any) -> Any:
    """A deep copy of a domain object built through its own constructor (so it is valid both
    with and without the ORM's instrumentation); frozen values are shared."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__dataclass_params__.frozen:
            return value
        fields = dataclasses.fields(value)
        made = type(value)(**{f.name: clone(getattr(value, f.name)) for f in fields if f.init})
        for f in fields:
            if not f.init:
                setattr(made, f.name, clone(getattr(value, f.name)))
        return made
    if isinstance(value, list):
        return [clone(v) for v in value]
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, set):
        return {clone(v) for v in value}
    return value


def plain(value: Any) -> Any:
    """A comparable picture of a value (domain dataclasses compare by identity)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple(plain(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, list | tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), plain(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return tuple(sorted(repr(plain(v)) for v in value))
    return value


#: The tables whose records are objects with a string id, and whether they carry a version.
ENTITIES = {
    "incidents": True,
    "units": True,
    "staff": False,
    "shifts": False,
    "stations": False,
    "facilities": False,
    "users": False,
}


@dataclass
class FakeDatabase:
    """What is committed. Objects in here are never changed in place: a commit replaces them."""

    tables: dict[str, dict[str, Any]] = field(default_factory=lambda: {name: {} for name in ENTITIES})
    history: list[StatusChange] = field(default_factory=list)
    audit: list[AuditRecord] = field(default_factory=list)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    login_failures: list[dict[str, Any]] = field(default_factory=list)
    idempotency: dict[str, dict[str, Any]] = field(default_factory=dict)
    disclosures: list[Disclosure] = field(default_factory=list)
    eido_links: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    outbox: dict[int, dict[str, Any]] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    person_links: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_events: list[dict[str, Any]] = field(default_factory=list)
    care: dict[str, CarePetition] = field(default_factory=dict)
    follow_ups: dict[str, FollowUpTask] = field(default_factory=dict)
    hand_offs: dict[str, HandOff] = field(default_factory=dict)
    incident_seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    commits: int = 0


class _Work:
    """One unit of work's copy of the database."""

    def __init__(self, db: FakeDatabase) -> None:
        self.base = {name: dict(rows) for name, rows in db.tables.items()}
        self.tables = {name: {k: clone(v) for k, v in rows.items()} for name, rows in db.tables.items()}
        self.history: list[StatusChange] = []
        self.audit: list[AuditRecord] = []
        self.tokens = copy.deepcopy(db.tokens)
        self.login_failures = copy.deepcopy(db.login_failures)
        self.idempotency = copy.deepcopy(db.idempotency)
        self.new_idempotency: list[str] = []
        self.disclosures: list[Disclosure] = []
        self.eido_links = copy.deepcopy(db.eido_links)
        self.subscriptions = copy.deepcopy(db.subscriptions)
        self.outbox = copy.deepcopy(db.outbox)
        self.persons = dict(db.persons)
        self.person_links = copy.deepcopy(db.person_links)
        self.person_events = copy.deepcopy(db.person_events)
        self.care = dict(db.care)
        self.follow_ups = dict(db.follow_ups)
        self.hand_offs = dict(db.hand_offs)
        self.added: dict[str, list[str]] = {name: [] for name in ENTITIES}


class _EntityRepo(Generic[T]):
    table: str
    label: str

    def __init__(self, work: _Work, db: FakeDatabase) -> None:
        self.work, self.db = work, db

    @property
    def rows(self) -> dict[str, Any]:
        return self.work.tables[self.table]

    def add(self, obj: T) -> T:
        ident = obj.id
        if ident in self.rows or ident in self.work.added[self.table]:
            raise DuplicateKey(f"{self.label} '{ident}' exists")
        self.rows[ident] = obj
        self.work.added[self.table].append(ident)
        return obj

    def find(self, ident: str) -> T | None:
        found: T | None = self.rows.get(ident)
        return found

    def get(self, ident: str) -> T:
        obj = self.find(ident)
        if obj is None:
            raise NotFound(f"{self.label} '{ident}' not found")
        return obj

    def list(self) -> builtins.list[T]:
        return builtins.list(self.rows.values())


class FakeStations(_EntityRepo[Station]):
    table, label = "stations", "station"

    def list(self) -> builtins.list[Station]:
        return sorted(self.rows.values(), key=lambda s: s.id)


class FakeFacilities(_EntityRepo[Facility]):
    table, label = "facilities", "facility"

    def list(self) -> builtins.list[Facility]:
        return sorted(self.rows.values(), key=lambda f: (f.type.value, f.name))


class FakeStaff(_EntityRepo[Staff]):
    table, label = "staff", "staff member"

    def list(self) -> builtins.list[Staff]:
        return sorted(self.rows.values(), key=lambda s: s.name)

    def by_ids(self, ids: Iterable[str]) -> dict[str, Staff]:
        return {i: self.rows[i] for i in set(ids) if i in self.rows}


class FakeShifts(_EntityRepo[Shift]):
    table, label = "shifts", "shift"

    def _sorted(self, shifts: Iterable[Shift]) -> builtins.list[Shift]:
        return sorted(shifts, key=lambda s: (s.starts_at, s.id))

    def covering(self, now: datetime, unit_ids: Sequence[str] | None = None) -> builtins.list[Shift]:
        return self._sorted(
            s for s in self.rows.values() if s.starts_at <= now < s.ends_at and (unit_ids is None or s.unit_id in unit_ids)
        )

    def in_window(
        self, start: datetime, end: datetime, *, unit_id: str | None = None, staff_id: str | None = None
    ) -> builtins.list[Shift]:
        return self._sorted(
            s
            for s in self.rows.values()
            if s.starts_at < end
            and s.ends_at > start
            and (unit_id is None or s.unit_id == unit_id)
            and (staff_id is None or s.staff_id == staff_id)
        )

    def current_unit_for_staff(self, staff_id: str, now: datetime) -> str | None:
        found = [s for s in self.covering(now) if s.staff_id == staff_id]
        return found[0].unit_id if found else None


class FakeUnits(_EntityRepo[Unit]):
    table, label = "units", "unit"

    def list(self) -> builtins.list[Unit]:
        return sorted(self.rows.values(), key=lambda u: u.call_sign)

    def by_call_sign(self, call_sign: str) -> Unit | None:
        return next((u for u in self.rows.values() if u.call_sign == call_sign), None)

    def get(self, ident: str) -> Unit:
        unit = self.find(ident) or self.by_call_sign(ident)
        if unit is None:
            raise NotFound(f"unit '{ident}' not found")
        return unit


class FakeIncidents(_EntityRepo[Incident]):
    table, label = "incidents", "incident"

    @property
    def created(self) -> builtins.set[str]:
        return set(self.work.added["incidents"])

    def _visible(self, incident: Incident, police: PoliceScope) -> bool:
        disposition = incident.outcome.disposition.value if incident.outcome is not None else None
        if police_in_response(incident.tier, disposition):
            return True
        return any(
            d.incident_id == incident.id and (d.to_username == police.username or d.to_role == police.role)
            for d in self.db.disclosures + self.work.disclosures
        )

    def list(
        self,
        *,
        statuses: Sequence[IncidentStatus] | None = None,
        unit_id: str | None = None,
        ids: Sequence[str] | None = None,
        police: PoliceScope | None = None,
        dispositions: Sequence[str] | None = None,
        care_matters: bool = False,
        triaged_before: datetime | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> builtins.list[Incident]:
        found = [
            i
            for i in self.rows.values()
            if (police is None or self._visible(i, police))
            and (dispositions is None or (i.outcome is not None and i.outcome.disposition.value in dispositions))
            and (not care_matters or self._care_matter(i))
            and (not statuses or i.status in statuses)
            and (unit_id is None or i.unit_id == unit_id)
            and (ids is None or i.id in ids)
            and (triaged_before is None or (i.triaged_at is not None and i.triaged_at <= triaged_before))
        ]
        found.sort(key=lambda i: (i.received_at, i.seq or 0), reverse=True)
        return found[offset : offset + limit]

    def _care_matter(self, incident: Incident) -> bool:
        outcome = incident.outcome
        referred = outcome is not None and (
            outcome.disposition is Disposition.CARE_COURT_PETITION_RECOMMENDED or outcome.care_referral
        )
        return referred or any(p.incident_id == incident.id for p in self.work.care.values())

    def care_matter_ids(self, ids: Iterable[str]) -> builtins.set[str]:
        return {i for i in set(ids) if i in self.rows and self._care_matter(self.rows[i])}

    def police_visible_ids(self, police: PoliceScope, ids: Iterable[str]) -> builtins.set[str]:
        return {i for i in set(ids) if i in self.rows and self._visible(self.rows[i], police)}

    def received_between(self, start: datetime, end: datetime) -> builtins.list[Incident]:
        found = [i for i in self.rows.values() if start <= i.received_at < end]
        return sorted(found, key=lambda i: (i.received_at, i.seq or 0))


class FakeUsers(_EntityRepo[User]):
    table, label = "users", "user"

    def by_username(self, username: str) -> User | None:
        return next((u for u in self.rows.values() if u.username == username), None)

    def by_token(self, token_hash: str, now: datetime) -> User | None:
        token = self.work.tokens.get(token_hash)
        if token is None or token["expires_at"] <= now:
            return None
        return self.find(token["user_id"])

    def list(self) -> builtins.list[User]:
        return sorted(self.rows.values(), key=lambda u: u.username)

    def count_failed_login(self, user_id: str) -> int:
        user = self.get(user_id)
        user.failed_logins += 1
        return user.failed_logins

    def set_lock(self, user_id: str, locked_until: datetime | None, *, reset_failures: bool = True) -> None:
        user = self.get(user_id)
        user.locked_until = locked_until
        if reset_failures:
            user.failed_logins = 0

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self.get(user_id).password_hash = password_hash

    def set_totp(self, user_id: str, **values: str | int | None) -> None:
        user = self.get(user_id)
        for name, value in values.items():
            setattr(user, name, value)

    def use_totp_step(self, user_id: str, step: int) -> bool:
        user = self.get(user_id)
        if user.totp_last_step is not None and user.totp_last_step >= step:
            return False
        user.totp_last_step = step
        return True


class FakeHistory:
    def __init__(self, work: _Work, db: FakeDatabase) -> None:
        self.work, self.db = work, db
        self.added: list[StatusChange] = []

    def add(self, change: StatusChange) -> None:
        self.work.history.append(change)
        self.added.append(change)

    def add_all(self, changes: Iterable[StatusChange]) -> None:
        for change in changes:
            self.add(change)

    def _rows(self) -> list[StatusChange]:
        return self.db.history + self.work.history

    def for_incidents(self, incident_ids: Sequence[str], *, chunk: int = 500) -> list[StatusChange]:
        wanted = set(incident_ids)
        return [c for c in self._rows() if c.subject is Subject.INCIDENT and c.incident_id in wanted]

    def units_between(self, start: datetime, end: datetime) -> list[StatusChange]:
        return [c for c in self._rows() if c.subject is Subject.UNIT and start <= c.at < end]

    def unit_states_before(self, moment: datetime) -> dict[str, str]:
        states: dict[str, str] = {}
        for c in self._rows():
            if c.subject is Subject.UNIT and c.at < moment and c.from_status != c.to_status:
                states[c.subject_id] = c.to_status
        return states

    def latest_id(self) -> int:
        return len(self.db.history)

    def latest_at(self) -> datetime | None:
        return max((c.at for c in self.db.history), default=None)

    def after(self, after_id: int, limit: int) -> list[StatusChange]:
        return self.db.history[after_id : after_id + limit]

    def for_incident(self, incident_id: str) -> list[StatusChange]:
        return [c for c in self._rows() if c.incident_id == incident_id]


class FakeTokens:
    def __init__(self, work: _Work) -> None:
        self.work = work

    def add(self, token_hash: str, user_id: str, created_at: datetime, expires_at: datetime) -> None:
        if token_hash in self.work.tokens:
            raise DuplicateKey("token exists")
        self.work.tokens[token_hash] = {"user_id": user_id, "created_at": created_at, "expires_at": expires_at}

    def remove(self, token_hash: str) -> None:
        self.work.tokens.pop(token_hash, None)

    def remove_all_of(self, user_id: str) -> int:
        mine = [h for h, t in self.work.tokens.items() if t["user_id"] == user_id]
        for h in mine:
            del self.work.tokens[h]
        return len(mine)


class FakeLoginFailures:
    def __init__(self, work: _Work) -> None:
        self.work = work

    def add(self, at: datetime, username: str, address: str) -> None:
        self.work.login_failures.append({"at": at, "username": username, "address": address})

    def times(self, since: datetime, *, username: str | None = None, address: str | None = None) -> list[datetime]:
        return sorted(
            (
                f["at"]
                for f in self.work.login_failures
                if f["at"] > since and username in (None, f["username"]) and address in (None, f["address"])
            ),
            reverse=True,
        )

    def forget(self, *, username: str | None = None, before: datetime | None = None) -> None:
        self.work.login_failures = [
            f
            for f in self.work.login_failures
            if not ((username is None or f["username"] == username) and (before is None or f["at"] <= before))
        ]


class FakeAudit:
    """Insert-only; chained at commit as the real log is."""

    def __init__(self, work: _Work, db: FakeDatabase) -> None:
        self.work, self.db = work, db

    def add(self, record: AuditRecord) -> None:
        self.work.audit.append(record)

    def list(self, *, object_type: str | None = None, object_id: str | None = None, limit: int = 500) -> list[AuditRecord]:
        rows = [
            r
            for r in reversed(self.db.audit)
            if object_type in (None, "", r.object_type) and object_id in (None, "", r.object_id)
        ]
        return rows[:limit]

    def page(self, after_id: int, size: int) -> list[AuditRecord]:
        return [r for r in self.db.audit if (r.id or 0) > after_id][:size]

    def locate(self, row_hash: str) -> int | None:
        return next((r.id for r in self.db.audit if r.row_hash == row_hash), None)


class FakeIdempotency:
    def __init__(self, work: _Work) -> None:
        self.work = work

    def find(self, key: str) -> dict[str, Any] | None:
        row = self.work.idempotency.get(key)
        return None if row is None else {"request_hash": row["request_hash"], "incident_id": row["incident_id"]}

    def add(self, key: str, request_hash: str, incident_id: str, created_at: datetime) -> None:
        if key in self.work.idempotency:
            raise DuplicateKey(f"idempotency key '{key}' exists")
        self.work.idempotency[key] = {"request_hash": request_hash, "incident_id": incident_id, "created_at": created_at}
        self.work.new_idempotency.append(key)


class FakeDisclosures:
    def __init__(self, work: _Work, db: FakeDatabase) -> None:
        self.work, self.db = work, db

    def add(self, disclosure: Disclosure) -> None:
        self.work.disclosures.append(disclosure)

    def list(self, *, incident_id: str | None = None, recipient: PoliceScope | None = None) -> list[Disclosure]:
        rows = [
            d
            for d in self.db.disclosures + self.work.disclosures
            if incident_id in (None, d.incident_id)
            and (recipient is None or d.to_username == recipient.username or d.to_role == recipient.role)
        ]
        return sorted(rows, key=lambda d: (d.at, d.id))


class FakePersons:
    """The person index in memory (frozen values: replaced, never changed in place)."""

    def __init__(self, work: _Work) -> None:
        self.work = work

    def add(self, person: Person) -> None:
        if person.id in self.work.persons:
            raise DuplicateKey(f"person '{person.id}' exists")
        self.work.persons[person.id] = person

    def find(self, person_id: str) -> Person | None:
        return self.work.persons.get(person_id)

    def get(self, person_id: str) -> Person:
        found = self.find(person_id)
        if found is None:
            raise NotFound(f"person '{person_id}' not found")
        return found

    def set_merge(self, person: Person) -> None:
        self.work.persons[person.id] = replace(
            self.get(person.id), merged_into=person.merged_into, merged_at=person.merged_at, merged_by=person.merged_by
        )

    def not_merged(self) -> list[Person]:
        return sorted((p for p in self.work.persons.values() if p.merged_into is None), key=lambda p: p.id)

    def merges(self) -> dict[str, str | None]:
        return {p.id: p.merged_into for p in self.work.persons.values() if p.merged_into is not None}

    def by_ids(self, ids: Iterable[str]) -> dict[str, Person]:
        return {i: self.work.persons[i] for i in set(ids) if i in self.work.persons}

    def link(self, incident_id: str, person_id: str, *, at: datetime, by: str) -> None:
        if incident_id in self.work.person_links:
            raise DuplicateKey(f"incident '{incident_id}' is linked")
        self.work.person_links[incident_id] = {
            "incident_id": incident_id,
            "person_id": person_id,
            "linked_at": at,
            "linked_by": by,
        }

    def unlink(self, incident_id: str) -> None:
        self.work.person_links.pop(incident_id, None)

    def link_of(self, incident_id: str) -> dict[str, Any] | None:
        row = self.work.person_links.get(incident_id)
        return None if row is None else dict(row)

    def links_of(self, person_ids: Iterable[str]) -> list[dict[str, Any]]:
        wanted = set(person_ids)
        rows = [dict(r) for r in self.work.person_links.values() if r["person_id"] in wanted]
        return sorted(rows, key=lambda r: (r["linked_at"], r["incident_id"]))

    def all_links(self) -> dict[str, str]:
        return {i: r["person_id"] for i, r in self.work.person_links.items()}

    def persons_of_incidents(self, incident_ids: Iterable[str]) -> dict[str, str]:
        merges = self.merges()
        links = self.work.person_links
        return {i: canonical(links[i]["person_id"], merges) for i in set(incident_ids) if i in links}

    def record(
        self,
        action: str,
        person_id: str,
        *,
        at: datetime,
        by: str,
        other_person_id: str | None = None,
        incident_id: str | None = None,
        incidents: Iterable[str] = (),
        reason: str = "",
    ) -> None:
        self.work.person_events.append(
            {
                "id": len(self.work.person_events) + 1,
                "at": at,
                "by": by,
                "action": action,
                "person_id": person_id,
                "other_person_id": other_person_id,
                "incident_id": incident_id,
                "incidents": sorted(incidents),
                "reason": reason,
            }
        )

    def events(self, person_ids: Iterable[str]) -> list[dict[str, Any]]:
        wanted = set(person_ids)
        return [dict(e) for e in self.work.person_events if e["person_id"] in wanted or e["other_person_id"] in wanted]


class FakeCare:
    """CARE petitions (frozen values) by id."""

    def __init__(self, work: _Work) -> None:
        self.work = work

    def add(self, petition: CarePetition) -> None:
        if petition.id in self.work.care:
            raise DuplicateKey(f"CARE petition '{petition.id}' exists")
        self.work.care[petition.id] = petition

    def save(self, petition: CarePetition) -> None:
        self.work.care[petition.id] = petition

    def find(self, petition_id: str) -> CarePetition | None:
        return self.work.care.get(petition_id)

    def get(self, petition_id: str) -> CarePetition:
        found = self.find(petition_id)
        if found is None:
            raise NotFound(f"CARE petition '{petition_id}' not found")
        return found

    def list(
        self, *, incident_ids: Sequence[str] | None = None, prepared_by: str | None = None, limit: int = 500
    ) -> list[CarePetition]:
        found = [
            p
            for p in self.work.care.values()
            if (incident_ids is None or p.incident_id in incident_ids) and prepared_by in (None, p.prepared_by)
        ]
        return sorted(found, key=lambda p: (p.prepared_at, p.id), reverse=True)[:limit]


class FakeFollowUps:
    def __init__(self, work: _Work) -> None:
        self.work = work

    def add_all(self, tasks: list[FollowUpTask]) -> None:
        for task in tasks:
            if task.id in self.work.follow_ups:
                raise DuplicateKey(f"follow-up '{task.id}' exists")
            self.work.follow_ups[task.id] = task

    def get(self, task_id: str) -> FollowUpTask:
        if task_id not in self.work.follow_ups:
            raise NotFound(f"follow-up '{task_id}' not found")
        return self.work.follow_ups[task_id]

    def save(self, task: FollowUpTask) -> None:
        if task.id in self.work.follow_ups:
            self.work.follow_ups[task.id] = task

    def list(
        self,
        *,
        status: TaskStatus | None = None,
        due_before: datetime | None = None,
        owner: str | None = None,
        incident_id: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[FollowUpTask]:
        found = [
            t
            for t in self.work.follow_ups.values()
            if status in (None, t.status)
            and (due_before is None or t.due_at < due_before)
            and owner in (None, t.owner)
            and incident_id in (None, t.incident_id)
        ]
        return sorted(found, key=lambda t: (t.due_at, t.id))[offset : offset + limit]

    def due_between(self, start: datetime, end: datetime) -> list[FollowUpTask]:
        return sorted((t for t in self.work.follow_ups.values() if start <= t.due_at < end), key=lambda t: (t.due_at, t.id))

    def count_for_incident(self, incident_id: str) -> int:
        return sum(t.incident_id == incident_id for t in self.work.follow_ups.values())


class FakeHandOffs:
    def __init__(self, work: _Work) -> None:
        self.work = work

    def add(self, hand_off: HandOff) -> None:
        if hand_off.id in self.work.hand_offs:
            raise DuplicateKey(f"hand-off '{hand_off.id}' exists")
        self.work.hand_offs[hand_off.id] = hand_off

    def get(self, hand_off_id: str) -> HandOff:
        if hand_off_id not in self.work.hand_offs:
            raise NotFound(f"hand-off '{hand_off_id}' not found")
        return self.work.hand_offs[hand_off_id]

    def save(self, hand_off: HandOff) -> None:
        if hand_off.id in self.work.hand_offs:
            self.work.hand_offs[hand_off.id] = hand_off

    def for_incident(self, incident_id: str) -> list[HandOff]:
        found = [h for h in self.work.hand_offs.values() if h.incident_id == incident_id]
        return sorted(found, key=lambda h: (h.offered_at, h.id))


class _Rows:
    """Plain rows by key (the exchange's records)."""

    def __init__(self, rows: dict[Any, dict[str, Any]], key: str, label: str) -> None:
        self.rows, self.key, self.label = rows, key, label

    def add(self, **values: Any) -> None:
        ident = values[self.key]
        if ident in self.rows:
            raise DuplicateKey(f"{self.label} '{ident}' exists")
        self.rows[ident] = dict(values)

    def _get(self, ident: Any) -> dict[str, Any]:
        if ident not in self.rows:
            raise NotFound(f"{self.label} '{ident}' not found")
        return dict(self.rows[ident])

    def _update(self, ident: Any, values: dict[str, Any]) -> None:
        if ident in self.rows:
            self.rows[ident].update(values)


class FakeEidoLinks(_Rows):
    @property
    def linked(self) -> set[str]:
        return {r["incident_id"] for r in self.rows.values() if r.get("incident_id")}

    def find(self, eido_id: str) -> dict[str, Any] | None:
        return dict(self.rows[eido_id]) if eido_id in self.rows else None

    def for_incident(self, incident_id: str) -> dict[str, Any] | None:
        return next((dict(r) for r in self.rows.values() if r.get("incident_id") == incident_id), None)

    def update(self, eido_id: str, **values: Any) -> None:
        self._update(eido_id, values)


class FakeSubscriptions(_Rows):
    def get(self, subscription_id: str) -> dict[str, Any]:
        return self._get(subscription_id)

    def list(self, *, active_only: bool = False) -> list[dict[str, Any]]:
        rows = sorted(self.rows.values(), key=lambda r: (r["created_at"], r["id"]))
        return [dict(r) for r in rows if r.get("active") or not active_only]

    def update(self, subscription_id: str, **values: Any) -> None:
        self._update(subscription_id, values)


class FakeOutbox(_Rows):
    def add(self, **values: Any) -> None:
        row_id = max(self.rows, default=0) + 1
        self.rows[row_id] = {"id": row_id, "delivered_at": None, "dead_at": None} | values

    def get(self, row_id: int) -> dict[str, Any]:
        return self._get(row_id)

    def _open(self, r: dict[str, Any]) -> bool:
        return r["delivered_at"] is None and r["dead_at"] is None

    def due(self, now: datetime, limit: int) -> list[dict[str, Any]]:
        out = []
        for r in sorted(self.rows.values(), key=lambda r: r["id"]):
            blocked = any(
                e["id"] < r["id"]
                and self._open(e)
                and (e["subscription_id"], e["incident_id"]) == (r["subscription_id"], r["incident_id"])
                for e in self.rows.values()
            )
            if self._open(r) and r["next_attempt_at"] <= now and not blocked:
                out.append(dict(r))
        return out[:limit]

    def list(self, *, state: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        wanted: dict[str | None, Callable[[dict[str, Any]], bool]] = {
            None: lambda r: True,
            "dead": lambda r: r["dead_at"] is not None,
            "pending": self._open,
            "delivered": lambda r: r["delivered_at"] is not None,
        }
        rows = sorted(self.rows.values(), key=lambda r: r["id"], reverse=True)
        return [dict(r) for r in rows if wanted.get(state, wanted[None])(r)][:limit]

    def set(self, row_id: int, **values: Any) -> None:
        self._update(row_id, values)

    def claim(self, row_id: int, seen_next_attempt_at: datetime, until: datetime) -> bool:
        r = self.rows.get(row_id)
        if r is None or not self._open(r) or r["next_attempt_at"] != seen_next_attempt_at:
            return False
        r["next_attempt_at"] = until
        return True


class FakeUnitOfWork:
    """The in-memory :class:`crisis_dispatch.services.ports.UnitOfWork`."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        work = self._work = _Work(self.db)
        self.incidents = FakeIncidents(work, self.db)
        self.units = FakeUnits(work, self.db)
        self.staff = FakeStaff(work, self.db)
        self.shifts = FakeShifts(work, self.db)
        self.stations = FakeStations(work, self.db)
        self.facilities = FakeFacilities(work, self.db)
        self.users = FakeUsers(work, self.db)
        self.history = FakeHistory(work, self.db)
        self.tokens = FakeTokens(work)
        self.login_failures = FakeLoginFailures(work)
        self.audit = FakeAudit(work, self.db)
        self.idempotency = FakeIdempotency(work)
        self.disclosures = FakeDisclosures(work, self.db)
        self.eido_links = FakeEidoLinks(work.eido_links, "eido_id", "EIDO link")
        self.subscriptions = FakeSubscriptions(work.subscriptions, "id", "subscription")
        self.outbox = FakeOutbox(work.outbox, "id", "outbox entry")
        self.persons = FakePersons(work)
        self.care = FakeCare(work)
        self.follow_ups = FakeFollowUps(work)
        self.hand_offs = FakeHandOffs(work)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        del self._work  # whatever was not committed is gone

    def take_turns(self, what: str) -> None:
        """One thread, one process: nobody else to take turns with."""

    def read_once(self) -> None:
        """No transactions to skip in memory."""

    def flush(self) -> None:
        """Numbers new incidents and versions what changed, as the database does at a flush."""
        work = self._work
        for incident in work.tables["incidents"].values():
            if incident.seq is None:
                incident.seq = next(self.db.incident_seq)
        for name, versioned in ENTITIES.items():
            if not versioned:
                continue
            for ident, obj in work.tables[name].items():
                before = work.base[name].get(ident)
                if before is None:
                    obj.version = obj.version or 1
                    continue
                mine, obj.version = obj.version, before.version
                obj.version = before.version + 1 if plain(obj) != plain(before) else mine
        for key in work.new_idempotency:
            if key in self.db.idempotency:
                raise DuplicateKey(f"idempotency key '{key}' exists")

    def commit(self) -> None:
        work, db = self._work, self.db
        self.flush()
        for name, versioned in ENTITIES.items():
            for ident, obj in work.tables[name].items():
                before = work.base[name].get(ident)
                if before is None:
                    if ident in db.tables[name]:
                        raise DuplicateKey(f"{name[:-1]} '{ident}' was stored by another request")
                elif plain(obj) == plain(before):
                    continue
                elif versioned and db.tables[name].get(ident) is not before:
                    raise Conflict("the record was changed by someone else; reload and try again")
                db.tables[name][ident] = clone(obj)
        for change in work.history:
            change.id = len(db.history) + 1
            db.history.append(change)
        head_id, head_hash = (db.audit[-1].id or 0, db.audit[-1].row_hash) if db.audit else (0, audit_chain.GENESIS)
        for record in work.audit:
            head_id += 1
            row = replace(record, id=head_id, prev_hash=head_hash)
            head_hash = audit_chain.row_hash(row, head_hash)
            db.audit.append(replace(row, row_hash=head_hash))
        db.tokens, db.login_failures, db.idempotency = work.tokens, work.login_failures, work.idempotency
        db.disclosures += work.disclosures
        db.eido_links, db.subscriptions, db.outbox = work.eido_links, work.subscriptions, work.outbox
        db.persons, db.person_links, db.person_events = work.persons, work.person_links, work.person_events
        db.care, db.follow_ups, db.hand_offs = work.care, work.follow_ups, work.hand_offs
        db.commits += 1
        self.committed = True
        self.__enter__()  # a fresh copy for whatever the block does after its commit


def straight_line(speed_kmh: float = 40.0) -> EtaFunction:
    """Driving seconds at ``speed_kmh`` on the great circle: travel times without a road graph."""
    from crisis_dispatch.routing.geometry import haversine_m

    def etas(origins: list[tuple[float, float]], to: tuple[float, float]) -> list[float | None]:
        return [float(haversine_m(lat, lon, to[0], to[1])) / (speed_kmh / 3.6) for lat, lon in origins]

    return etas


class Counter:
    """Ids ``PREFIX-000001``, ``PREFIX-000002``, ... in order: the same ids on every run."""

    def __init__(self) -> None:
        self.n = itertools.count(1)

    def __call__(self, prefix: str) -> str:
        return f"{prefix}-{next(self.n):06d}"


@dataclass
class FakeContainer:
    """What the integration tests' ``Container`` gives them, on fakes."""

    ctx: ServiceContext
    db: FakeDatabase


def fake_container(clock: Clock, triager: Triager, **context: Any) -> FakeContainer:
    db = FakeDatabase()
    ctx = ServiceContext(
        uow_factory=lambda: FakeUnitOfWork(db),
        clock=clock,
        new_id=Counter(),
        triage=triager,
        token_secret=b"fake-secret-for-tests",
        token_ttl=timedelta(hours=12),
        travel=straight_line(),
        fallback_travel=straight_line(30.0),
        **context,
    )
    return FakeContainer(ctx, db)
