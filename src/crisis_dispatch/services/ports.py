"""The ports of the service layer: what a use case needs from storage, stated as protocols.

A use case talks to a :class:`UnitOfWork` (one transaction) and to the repositories it
carries; it never sees SQLAlchemy. The composition root hands over the SQLAlchemy
implementations (``adapters.uow``, ``adapters.repositories``); the unit tests hand over the
in-memory fakes of ``tests/unit/fakes.py``. A storage failure that means something to a use
case arrives as a domain error: a duplicate key as :class:`~crisis_dispatch.domain.errors.DuplicateKey`,
a lost concurrent update as :class:`~crisis_dispatch.domain.errors.Conflict`.

(Protocol classes name a method ``list``; inside their bodies the builtin is ``builtins.list``.)
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from crisis_dispatch.domain.care import CarePetition
from crisis_dispatch.domain.disclosures import Disclosure, PoliceScope
from crisis_dispatch.domain.follow_ups import FollowUpTask, HandOff, TaskStatus
from crisis_dispatch.domain.history import StatusChange
from crisis_dispatch.domain.incident import Incident, IncidentStatus
from crisis_dispatch.domain.persons import Person
from crisis_dispatch.domain.station import Facility, Station
from crisis_dispatch.domain.unit import Shift, Staff, Unit
from crisis_dispatch.domain.users import AuditRecord, User

T = TypeVar("T")


class Repository(Protocol[T]):
    """Records with a string id: add one, find one (None), get one (NotFound), list them all."""

    def add(self, obj: T) -> T: ...

    def find(self, ident: str) -> T | None: ...

    def get(self, ident: str) -> T: ...

    def list(self) -> builtins.list[T]: ...


class StationRepository(Repository[Station], Protocol):
    """Stations, by id."""


class FacilityRepository(Repository[Facility], Protocol):
    """Facilities, by type then name."""


class StaffRepository(Repository[Staff], Protocol):
    def by_ids(self, ids: Iterable[str]) -> dict[str, Staff]: ...


class ShiftRepository(Repository[Shift], Protocol):
    def covering(self, now: datetime, unit_ids: Sequence[str] | None = None) -> builtins.list[Shift]: ...

    def in_window(
        self, start: datetime, end: datetime, *, unit_id: str | None = None, staff_id: str | None = None
    ) -> builtins.list[Shift]: ...

    def current_unit_for_staff(self, staff_id: str, now: datetime) -> str | None: ...


class UnitRepository(Repository[Unit], Protocol):
    """Units; ``get`` takes an id or a call sign."""

    def by_call_sign(self, call_sign: str) -> Unit | None: ...


class IncidentRepository(Protocol):
    @property
    def created(self) -> builtins.set[str]:
        """The ids of the incidents added in this unit of work."""
        ...

    def add(self, obj: Incident) -> Incident: ...

    def find(self, ident: str) -> Incident | None: ...

    def get(self, ident: str) -> Incident: ...

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
        """Newest received first; ``triaged_before``: only those triaged at or before it."""
        ...

    def police_visible_ids(self, police: PoliceScope, ids: Iterable[str]) -> builtins.set[str]: ...

    def care_matter_ids(self, ids: Iterable[str]) -> builtins.set[str]:
        """Which of ``ids`` are CARE matters: a CARE referral in the outcome, or a petition."""
        ...

    def received_between(self, start: datetime, end: datetime) -> builtins.list[Incident]:
        """Oldest received first."""
        ...


class DisclosureRepository(Protocol):
    """Insert and read only."""

    def add(self, disclosure: Disclosure) -> None: ...

    def list(self, *, incident_id: str | None = None, recipient: PoliceScope | None = None) -> builtins.list[Disclosure]: ...


class HistoryRepository(Protocol):
    #: The changes added in this unit of work (what the outbox reports at commit).
    added: builtins.list[StatusChange]

    def add(self, change: StatusChange) -> None: ...

    def add_all(self, changes: Iterable[StatusChange]) -> None: ...

    def for_incidents(self, incident_ids: Sequence[str], *, chunk: int = 500) -> builtins.list[StatusChange]: ...

    def units_between(self, start: datetime, end: datetime) -> builtins.list[StatusChange]: ...

    def unit_states_before(self, moment: datetime) -> dict[str, str]: ...

    def latest_id(self) -> int: ...

    def latest_at(self) -> datetime | None: ...

    def after(self, after_id: int, limit: int) -> builtins.list[StatusChange]: ...

    def for_incident(self, incident_id: str) -> builtins.list[StatusChange]: ...


class UserRepository(Repository[User], Protocol):
    def by_username(self, username: str) -> User | None: ...

    def by_token(self, token_hash: str, now: datetime) -> User | None: ...

    def count_failed_login(self, user_id: str) -> int: ...

    def set_lock(self, user_id: str, locked_until: datetime | None, *, reset_failures: bool = True) -> None: ...

    def set_password_hash(self, user_id: str, password_hash: str) -> None: ...

    def set_totp(self, user_id: str, **values: str | int | None) -> None:
        """Set the second factor's columns (``totp_secret``, ``totp_pending``, ``totp_last_step``)."""
        ...

    def use_totp_step(self, user_id: str, step: int) -> bool:
        """Record that time step ``step`` was used unless it or a later one was: True when recorded."""
        ...


class LoginFailureRepository(Protocol):
    def add(self, at: datetime, username: str, address: str) -> None: ...

    def times(self, since: datetime, *, username: str | None = None, address: str | None = None) -> builtins.list[datetime]: ...

    def forget(self, *, username: str | None = None, before: datetime | None = None) -> None: ...


class TokenRepository(Protocol):
    def add(self, token_hash: str, user_id: str, created_at: datetime, expires_at: datetime) -> None: ...

    def remove(self, token_hash: str) -> None: ...

    def remove_all_of(self, user_id: str) -> int: ...


class AuditRepository(Protocol):
    """Insert-only and hash-chained: records added are chained and written at commit."""

    def add(self, record: AuditRecord) -> None: ...

    def list(
        self, *, object_type: str | None = None, object_id: str | None = None, limit: int = 500
    ) -> builtins.list[AuditRecord]: ...

    def page(self, after_id: int, size: int) -> builtins.list[AuditRecord]: ...

    def locate(self, row_hash: str) -> int | None: ...


class IdempotencyRepository(Protocol):
    def find(self, key: str) -> dict[str, Any] | None: ...

    def add(self, key: str, request_hash: str, incident_id: str, created_at: datetime) -> None:
        """A key already stored raises :class:`~crisis_dispatch.domain.errors.DuplicateKey` at
        flush or commit."""
        ...


class EidoLinkRepository(Protocol):
    @property
    def linked(self) -> builtins.set[str]:
        """The incidents given an EIDO link in this unit of work."""
        ...

    def find(self, eido_id: str) -> dict[str, Any] | None: ...

    def for_incident(self, incident_id: str) -> dict[str, Any] | None: ...

    def add(self, **values: Any) -> None: ...

    def update(self, eido_id: str, **values: Any) -> None: ...


class SubscriptionRepository(Protocol):
    def add(self, **values: Any) -> None: ...

    def get(self, subscription_id: str) -> dict[str, Any]: ...

    def list(self, *, active_only: bool = False) -> builtins.list[dict[str, Any]]: ...

    def update(self, subscription_id: str, **values: Any) -> None: ...


class OutboxRepository(Protocol):
    def add(self, **values: Any) -> None: ...

    def get(self, row_id: int) -> dict[str, Any]: ...

    def due(self, now: datetime, limit: int) -> builtins.list[dict[str, Any]]: ...

    def list(self, *, state: str | None = None, limit: int = 200) -> builtins.list[dict[str, Any]]: ...

    def set(self, row_id: int, **values: Any) -> None: ...

    def claim(self, row_id: int, seen_next_attempt_at: datetime, until: datetime) -> bool: ...


class PersonRepository(Protocol):
    """The person index: records (frozen values), links of incidents to them, and the
    insert-only trail of what was done."""

    def add(self, person: Person) -> None: ...

    def find(self, person_id: str) -> Person | None: ...

    def get(self, person_id: str) -> Person: ...

    def set_merge(self, person: Person) -> None: ...

    def not_merged(self) -> builtins.list[Person]: ...

    def merges(self) -> dict[str, str | None]: ...

    def by_ids(self, ids: Iterable[str]) -> dict[str, Person]: ...

    def link(self, incident_id: str, person_id: str, *, at: datetime, by: str) -> None: ...

    def unlink(self, incident_id: str) -> None: ...

    def link_of(self, incident_id: str) -> dict[str, Any] | None: ...

    def links_of(self, person_ids: Iterable[str]) -> builtins.list[dict[str, Any]]: ...

    def all_links(self) -> dict[str, str]: ...

    def persons_of_incidents(self, incident_ids: Iterable[str]) -> dict[str, str]: ...

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
    ) -> None: ...

    def events(self, person_ids: Iterable[str]) -> builtins.list[dict[str, Any]]: ...


class CarePetitionRepository(Protocol):
    def add(self, petition: CarePetition) -> None: ...

    def save(self, petition: CarePetition) -> None: ...

    def find(self, petition_id: str) -> CarePetition | None: ...

    def get(self, petition_id: str) -> CarePetition: ...

    def list(
        self, *, incident_ids: Sequence[str] | None = None, prepared_by: str | None = None, limit: int = 500
    ) -> builtins.list[CarePetition]:
        """Newest prepared first."""
        ...


class FollowUpRepository(Protocol):
    def add_all(self, tasks: builtins.list[FollowUpTask]) -> None: ...

    def get(self, task_id: str) -> FollowUpTask: ...

    def save(self, task: FollowUpTask) -> None: ...

    def list(
        self,
        *,
        status: TaskStatus | None = None,
        due_before: datetime | None = None,
        owner: str | None = None,
        incident_id: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> builtins.list[FollowUpTask]:
        """Soonest due first."""
        ...

    def due_between(self, start: datetime, end: datetime) -> builtins.list[FollowUpTask]: ...

    def count_for_incident(self, incident_id: str) -> int: ...


class HandOffRepository(Protocol):
    def add(self, hand_off: HandOff) -> None: ...

    def get(self, hand_off_id: str) -> HandOff: ...

    def save(self, hand_off: HandOff) -> None: ...

    def for_incident(self, incident_id: str) -> builtins.list[HandOff]:
        """Oldest offered first."""
        ...


class UnitOfWork(Protocol):
    """One transaction around one use case: ``with ctx.uow() as uow: ...; uow.commit()``.
    Whatever is not committed when the block ends is rolled back."""

    # Read-only here (properties), so that an implementation may hold its own repository classes.
    @property
    def incidents(self) -> IncidentRepository: ...

    @property
    def units(self) -> UnitRepository: ...

    @property
    def staff(self) -> StaffRepository: ...

    @property
    def shifts(self) -> ShiftRepository: ...

    @property
    def stations(self) -> StationRepository: ...

    @property
    def facilities(self) -> FacilityRepository: ...

    @property
    def history(self) -> HistoryRepository: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def login_failures(self) -> LoginFailureRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    @property
    def eido_links(self) -> EidoLinkRepository: ...

    @property
    def subscriptions(self) -> SubscriptionRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def disclosures(self) -> DisclosureRepository: ...

    @property
    def persons(self) -> PersonRepository: ...

    @property
    def care(self) -> CarePetitionRepository: ...

    @property
    def follow_ups(self) -> FollowUpRepository: ...

    @property
    def hand_offs(self) -> HandOffRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None: ...

    def flush(self) -> None:
        """Write pending changes now (a lost concurrent update: Conflict; a duplicate key: DuplicateKey)."""
        ...

    def commit(self) -> None: ...

    def take_turns(self, what: str) -> None:
        """Only one transaction at a time, across server processes, gets past this for ``what``."""
        ...

    def read_once(self) -> None:
        """This unit of work makes one read and no change: no transaction is opened around
        it (called first, before anything is read; on PostgreSQL the read runs in autocommit,
        which saves the BEGIN and ROLLBACK round trips of every request's token check)."""
        ...
