"""Repositories: the only place that writes queries. Services see these narrow methods."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import JSON, ColumnElement, delete, exists, func, insert, or_, select, type_coerce, update
from sqlalchemy.orm import Session

from crisis_dispatch.domain import audit_chain
from crisis_dispatch.domain.clock import ensure_aware
from crisis_dispatch.domain.disclosures import POLICE_DISPOSITIONS, POLICE_TIERS, Disclosure, PoliceScope
from crisis_dispatch.domain.errors import NotFound
from crisis_dispatch.domain.history import StatusChange, Subject
from crisis_dispatch.domain.incident import Incident, IncidentStatus
from crisis_dispatch.domain.limits import MAX_INT
from crisis_dispatch.domain.station import Facility, Station
from crisis_dispatch.domain.unit import Shift, Staff, Unit
from crisis_dispatch.domain.users import AuditRecord, User

from . import orm
from .care_repository import care_matter

T = TypeVar("T")


class _Repo(Generic[T]):
    model: type[T]
    label: str

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, obj: T) -> T:
        self.session.add(obj)
        return obj

    def find(self, ident: str) -> T | None:
        return self.session.get(self.model, ident)

    def get(self, ident: str) -> T:
        obj = self.find(ident)
        if obj is None:
            raise NotFound(f"{self.label} '{ident}' not found")
        return obj

    def list(self) -> list[T]:
        return list(self.session.scalars(select(self.model)))


class StationRepository(_Repo[Station]):
    model, label = Station, "station"

    def list(self) -> list[Station]:
        return list(self.session.scalars(select(Station).order_by(orm.stations.c.id)))


class FacilityRepository(_Repo[Facility]):
    model, label = Facility, "facility"

    def list(self) -> list[Facility]:
        return list(self.session.scalars(select(Facility).order_by(orm.facilities.c.type, orm.facilities.c.name)))


class StaffRepository(_Repo[Staff]):
    model, label = Staff, "staff member"

    def list(self) -> list[Staff]:
        return list(self.session.scalars(select(Staff).order_by(orm.staff.c.name)))

    def by_ids(self, ids: Iterable[str]) -> dict[str, Staff]:
        ids = list(set(ids))
        if not ids:
            return {}
        return {s.id: s for s in self.session.scalars(select(Staff).where(orm.staff.c.id.in_(ids)))}


class ShiftRepository(_Repo[Shift]):
    model, label = Shift, "shift"

    def covering(self, now: datetime, unit_ids: Sequence[str] | None = None) -> list[Shift]:
        t = orm.shifts.c
        q = select(Shift).where(t.starts_at <= now, t.ends_at > now)
        if unit_ids is not None:
            q = q.where(t.unit_id.in_(list(unit_ids)))
        return list(self.session.scalars(q.order_by(t.starts_at, t.id)))

    def in_window(
        self, start: datetime, end: datetime, *, unit_id: str | None = None, staff_id: str | None = None
    ) -> list[Shift]:
        t = orm.shifts.c
        q = select(Shift).where(t.starts_at < end, t.ends_at > start)
        if unit_id is not None:
            q = q.where(t.unit_id == unit_id)
        if staff_id is not None:
            q = q.where(t.staff_id == staff_id)
        return list(self.session.scalars(q.order_by(t.starts_at, t.id)))

    def current_unit_for_staff(self, staff_id: str, now: datetime) -> str | None:
        t = orm.shifts.c
        return self.session.scalar(
            select(t.unit_id).where(t.staff_id == staff_id, t.starts_at <= now, t.ends_at > now).order_by(t.starts_at).limit(1)
        )


class UnitRepository(_Repo[Unit]):
    model, label = Unit, "unit"

    def list(self) -> list[Unit]:
        return list(self.session.scalars(select(Unit).order_by(orm.units.c.call_sign)))

    def by_call_sign(self, call_sign: str) -> Unit | None:
        return self.session.scalar(select(Unit).where(orm.units.c.call_sign == call_sign))

    def get(self, ident: str) -> Unit:
        unit = self.find(ident) or self.by_call_sign(ident)
        if unit is None:
            raise NotFound(f"unit '{ident}' not found")
        return unit


class IncidentRepository(_Repo[Incident]):
    model, label = Incident, "incident"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        #: The ids of the incidents added in this unit of work (new rows, not yet committed).
        self.created: builtins.set[str] = builtins.set()

    def add(self, obj: Incident) -> Incident:
        self.created.add(obj.id)
        return super().add(obj)

    def find(self, ident: str) -> Incident | None:
        return self.session.scalar(select(Incident).where(orm.incidents.c.id == ident))

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
    ) -> list[Incident]:
        t = orm.incidents.c
        q = select(Incident)
        if police is not None:
            q = q.where(police_can_see(police))
        if dispositions is not None:
            q = q.where(_disposition().in_(list(dispositions)))
        if care_matters:
            q = q.where(care_matter())
        if statuses:
            q = q.where(t.status.in_([s.value for s in statuses]))
        if unit_id is not None:
            q = q.where(t.unit_id == unit_id)
        if ids is not None:
            q = q.where(t.id.in_(list(ids)))
        if triaged_before is not None:
            q = q.where(t.triaged_at <= triaged_before)
        q = q.order_by(t.received_at.desc(), t.seq.desc()).limit(limit).offset(offset)
        return list(self.session.scalars(q))

    # In this class body `list` is the method above, so annotations below it name the builtin.
    def police_visible_ids(self, police: PoliceScope, ids: Iterable[str]) -> builtins.set[str]:
        """Which of ``ids`` the police liaison may see (one query)."""
        wanted = builtins.list(builtins.set(ids))
        if not wanted:
            return builtins.set()
        t = orm.incidents.c
        return builtins.set(self.session.scalars(select(t.id).where(t.id.in_(wanted), police_can_see(police))))

    def care_matter_ids(self, ids: Iterable[str]) -> builtins.set[str]:
        """Which of ``ids`` are CARE matters (court liaisons see those only)."""
        t = orm.incidents.c
        return builtins.set(self.session.scalars(select(t.id).where(t.id.in_(builtins.list(ids)), care_matter())))

    def received_between(self, start: datetime, end: datetime) -> builtins.list[Incident]:
        t = orm.incidents.c
        q = select(Incident).where(t.received_at >= start, t.received_at < end).order_by(t.received_at, t.seq)
        return list(self.session.scalars(q))


def police_can_see(police: PoliceScope) -> ColumnElement[bool]:
    """SQL for ``domain.disclosures``: police are in the response (a police tier, or an outcome
    that escalated to police), or the incident was disclosed to this user or to their role."""
    t, d = orm.incidents.c, orm.disclosures.c
    disclosed = exists().where(d.incident_id == t.id, or_(d.to_username == police.username, d.to_role == police.role))
    return or_(t.tier.in_(sorted(POLICE_TIERS)), _disposition().in_(sorted(POLICE_DISPOSITIONS)), disclosed)


def _disposition() -> ColumnElement[str]:
    """The outcome's disposition, read from its JSON in the database (NULL without an outcome)."""
    return type_coerce(orm.incidents.c.outcome, JSON)["disposition"].as_string()


class DisclosureRepository:
    """Insert and read only: a disclosure is never changed or withdrawn."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, disclosure: Disclosure) -> None:
        self.session.execute(insert(orm.disclosures).values(**asdict(disclosure)))

    def list(self, *, incident_id: str | None = None, recipient: PoliceScope | None = None) -> builtins.list[Disclosure]:
        """Oldest first; ``recipient``: those made to that user by name or to their role."""
        d = orm.disclosures.c
        q = select(orm.disclosures)
        if incident_id is not None:
            q = q.where(d.incident_id == incident_id)
        if recipient is not None:
            q = q.where(or_(d.to_username == recipient.username, d.to_role == recipient.role))
        return [Disclosure(**row._mapping) for row in self.session.execute(q.order_by(d.at, d.id))]


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        #: The changes added in this unit of work (what the outbox reports at commit).
        self.added: list[StatusChange] = []

    def add(self, change: StatusChange) -> None:
        self.session.add(change)
        self.added.append(change)

    def add_all(self, changes: Iterable[StatusChange]) -> None:
        changes = list(changes)
        self.session.add_all(changes)
        self.added.extend(changes)

    def for_incidents(self, incident_ids: Sequence[str], *, chunk: int = 500) -> list[StatusChange]:
        t = orm.status_history.c
        out: list[StatusChange] = []
        for i in range(0, len(incident_ids), chunk):
            part = list(incident_ids[i : i + chunk])
            out += self.session.scalars(
                select(StatusChange).where(t.subject == Subject.INCIDENT.value, t.incident_id.in_(part)).order_by(t.id)
            )
        return out

    def units_between(self, start: datetime, end: datetime) -> list[StatusChange]:
        t = orm.status_history.c
        q = select(StatusChange).where(t.subject == Subject.UNIT.value, t.at >= start, t.at < end).order_by(t.id)
        return list(self.session.scalars(q))

    def unit_states_before(self, moment: datetime) -> dict[str, str]:
        """Each unit's status just before ``moment``: the ``to_status`` of its last row before it."""
        t = orm.status_history.c
        last = (
            select(func.max(t.id))
            .where(t.subject == Subject.UNIT.value, t.at < moment, t.from_status != t.to_status)
            .group_by(t.subject_id)
            .scalar_subquery()
        )
        rows = self.session.execute(select(t.subject_id, t.to_status).where(t.id.in_(last)))
        return {subject_id: status for subject_id, status in rows}

    def latest_id(self) -> int:
        """The id of the newest row (0 when there is none)."""
        return int(self.session.scalar(select(func.max(orm.status_history.c.id))) or 0)

    def latest_at(self) -> datetime | None:
        """When the newest change happened (None when there is none)."""
        moment = self.session.scalar(select(func.max(orm.status_history.c.at)))
        return moment if moment is None else ensure_aware(moment)

    def after(self, after_id: int, limit: int) -> list[StatusChange]:
        """Rows newer than ``after_id``, oldest first (the live feed's read)."""
        if after_id >= MAX_INT and self.session.get_bind().dialect.name == "postgresql":
            # The id column is a 32-bit INTEGER there: no row is newer, and PostgreSQL would
            # refuse the comparison ("integer out of range") rather than answer it.
            return []
        t = orm.status_history.c
        return list(self.session.scalars(select(StatusChange).where(t.id > after_id).order_by(t.id).limit(limit)))

    def for_incident(self, incident_id: str) -> list[StatusChange]:
        t = orm.status_history.c
        return list(self.session.scalars(select(StatusChange).where(t.incident_id == incident_id).order_by(t.id)))


class UserRepository(_Repo[User]):
    model, label = User, "user"

    def by_username(self, username: str) -> User | None:
        return self.session.scalar(select(User).where(orm.users.c.username == username))

    def by_token(self, token_hash: str, now: datetime) -> User | None:
        """The user a session token belongs to while it is valid, in one query (every
        request asks it)."""
        t = orm.auth_tokens.c
        return self.session.scalar(
            select(User).join(orm.auth_tokens, t.user_id == orm.users.c.id).where(t.token_hash == token_hash, t.expires_at > now)
        )

    def list(self) -> list[User]:
        return list(self.session.scalars(select(User).order_by(orm.users.c.username)))

    def count_failed_login(self, user_id: str) -> int:
        """Add one to the user's consecutive failed logins, in the database (two server
        processes never lose a count); the new count."""
        t = orm.users.c
        self.session.execute(
            update(orm.users).where(t.id == user_id).values(failed_logins=t.failed_logins + 1),
            execution_options={"synchronize_session": False},
        )
        return int(self.session.scalar(select(t.failed_logins).where(t.id == user_id)) or 0)

    def set_lock(self, user_id: str, locked_until: datetime | None, *, reset_failures: bool = True) -> None:
        t = orm.users.c
        values: dict[str, Any] = {"locked_until": locked_until}
        if reset_failures:
            values["failed_logins"] = 0
        self.session.execute(
            update(orm.users).where(t.id == user_id).values(**values), execution_options={"synchronize_session": False}
        )

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        t = orm.users.c
        self.session.execute(
            update(orm.users).where(t.id == user_id).values(password_hash=password_hash),
            execution_options={"synchronize_session": False},
        )

    def set_totp(self, user_id: str, **values: str | int | None) -> None:
        """Set the second factor's columns (``totp_secret``, ``totp_pending``, ``totp_last_step``)."""
        assert set(values) <= {"totp_secret", "totp_pending", "totp_last_step"}, values
        self.session.execute(
            update(orm.users).where(orm.users.c.id == user_id).values(**values), execution_options={"synchronize_session": False}
        )

    def use_totp_step(self, user_id: str, step: int) -> bool:
        """Record that the code of time step ``step`` was used, unless that step or a later one
        already was: one conditional UPDATE, so two server processes given the same code at
        once accept it only once. True when it was recorded (the code may be accepted)."""
        t = orm.users.c
        result = self.session.execute(
            update(orm.users)
            .where(t.id == user_id, or_(t.totp_last_step.is_(None), t.totp_last_step < step))
            .values(totp_last_step=step),
            execution_options={"synchronize_session": False},
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1


class LoginFailureRepository:
    """Failed logins within the throttling window (older rows are pruned as logins happen)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, at: datetime, username: str, address: str) -> None:
        self.session.execute(insert(orm.login_failures).values(at=at, username=username, address=address))

    def times(self, since: datetime, *, username: str | None = None, address: str | None = None) -> builtins.list[datetime]:
        t = orm.login_failures.c
        q = select(t.at).where(t.at > since)
        if username is not None:
            q = q.where(t.username == username)
        if address is not None:
            q = q.where(t.address == address)
        return list(self.session.scalars(q.order_by(t.at.desc())))

    def forget(self, *, username: str | None = None, before: datetime | None = None) -> None:
        t = orm.login_failures.c
        q = delete(orm.login_failures)
        if username is not None:
            q = q.where(t.username == username)
        if before is not None:
            q = q.where(t.at <= before)
        self.session.execute(q)


class TokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token_hash: str, user_id: str, created_at: datetime, expires_at: datetime) -> None:
        self.session.execute(
            insert(orm.auth_tokens).values(token_hash=token_hash, user_id=user_id, created_at=created_at, expires_at=expires_at)
        )

    def remove(self, token_hash: str) -> None:
        self.session.execute(delete(orm.auth_tokens).where(orm.auth_tokens.c.token_hash == token_hash))

    def remove_all_of(self, user_id: str) -> int:
        """End every session of the user (a password change); how many there were."""
        result = self.session.execute(delete(orm.auth_tokens).where(orm.auth_tokens.c.user_id == user_id))
        return int(getattr(result, "rowcount", 0) or 0)


#: The PostgreSQL advisory lock that serialises appends to the audit chain ("audit" in ASCII).
AUDIT_CHAIN_LOCK = 0x6175646974
#: The lock that lets one server process at a time check the response-time clocks ("clocks").
CLOCK_CHECK_LOCK = 0x636C6F636B73


#: The named turns of :meth:`UnitOfWork.take_turns`.
TURN_LOCKS = {"clock-check": CLOCK_CHECK_LOCK}


def lock_for_transaction(session: Session, key: int) -> None:
    """Hold ``key`` until the transaction ends, so that server processes sharing one
    PostgreSQL take turns (SQLite needs nothing: a writing transaction holds the file's
    write lock from its start)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(key)))


class AuditRepository:
    """The audit log: insert-only and hash-chained. No method changes or removes a row.

    ``add`` keeps records until the unit of work commits; ``append_pending`` then chains them
    after the newest row and inserts them, under a lock held until the commit (PostgreSQL: a
    transaction advisory lock; SQLite: the write lock every transaction takes with BEGIN
    IMMEDIATE), so two transactions never chain onto the same row. Ids are given here, one
    after the newest, so a chain that somehow forked would also collide on the primary key.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._pending: builtins.list[AuditRecord] = []

    def add(self, record: AuditRecord) -> None:
        self._pending.append(record)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def append_pending(self) -> None:
        """Chain and insert the records added since the last call (the caller commits)."""
        if not self._pending:
            return
        self._lock_chain()
        head_id, head_hash = self._head()
        rows = []
        for record in self._pending:
            head_id += 1
            row = replace(record, id=head_id, prev_hash=head_hash)
            head_hash = audit_chain.row_hash(row, head_hash)
            rows.append({**_audit_values(row), "row_hash": head_hash})
        self.session.execute(insert(orm.audit_log), rows)
        self._pending.clear()

    def _lock_chain(self) -> None:
        lock_for_transaction(self.session, AUDIT_CHAIN_LOCK)

    def _head(self) -> tuple[int, str]:
        """The newest row's id and hash (0 and the genesis hash for an empty log)."""
        t = orm.audit_log.c
        row = self.session.execute(select(t.id, t.row_hash).order_by(t.id.desc()).limit(1)).first()
        return (0, audit_chain.GENESIS) if row is None else (row.id, row.row_hash)

    def list(
        self, *, object_type: str | None = None, object_id: str | None = None, limit: int = 500
    ) -> builtins.list[AuditRecord]:
        t = orm.audit_log.c
        q = select(orm.audit_log)
        if object_type:
            q = q.where(t.object_type == object_type)
        if object_id:
            q = q.where(t.object_id == object_id)
        return [_audit_record(row) for row in self.session.execute(q.order_by(t.id.desc()).limit(limit))]

    def page(self, after_id: int, size: int) -> builtins.list[AuditRecord]:
        """Up to ``size`` rows with ids above ``after_id``, oldest first."""
        t = orm.audit_log.c
        q = select(orm.audit_log).where(t.id > after_id).order_by(t.id).limit(size)
        return [_audit_record(row) for row in self.session.execute(q)]

    def locate(self, row_hash: str) -> int | None:
        """The id of the row whose stored hash is ``row_hash``, if any."""
        t = orm.audit_log.c
        return self.session.scalar(select(t.id).where(t.row_hash == row_hash).order_by(t.id).limit(1))


def _audit_values(record: AuditRecord) -> dict[str, Any]:
    return {c.name: getattr(record, c.name) for c in orm.audit_log.columns}


def _audit_record(row: Any) -> AuditRecord:
    return AuditRecord(**{c.name: row._mapping[c] for c in orm.audit_log.columns})


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, key: str) -> dict[str, Any] | None:
        t = orm.idempotency_keys.c
        row = self.session.execute(select(t.request_hash, t.incident_id).where(t.key == key)).first()
        return None if row is None else {"request_hash": row.request_hash, "incident_id": row.incident_id}

    def add(self, key: str, request_hash: str, incident_id: str, created_at: datetime) -> None:
        self.session.execute(
            insert(orm.idempotency_keys).values(
                key=key, request_hash=request_hash, incident_id=incident_id, created_at=created_at
            )
        )
