"""Follow-up after the encounter, and warm hand-offs to named providers (issue 14 item 3).

Closing an encounter with an outcome creates follow-up tasks by rule (the rules are data,
``data/follow_up_rules.yaml``): e.g. treated and released → a phone call within 72 hours.
A task is open until someone records what came of it (reached, not reached, linked to care,
declined) or cancels it with a reason; "not reached" opens a retry while attempts remain. A
task is overdue when it is open and past due at the clock's now. A warm hand-off names a
provider the person is handed to, and records whether the provider accepted, when, and who.

Nothing here decides care: the rules say *when somebody calls*, never what they say or whether
the person must accept; a provider's acceptance is recorded as told, never inferred.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .access import UserRole
from .clock import ensure_aware
from .errors import InvalidInput
from .outcomes import Disposition

#: Roles a task may be given to by rule (those who work the calls and may read a person's record).
OWNER_ROLES = frozenset({UserRole.CREW, UserRole.DISPATCHER, UserRole.SUPERVISOR})
#: Longest due offset or retry interval a rule may state (30 days).
MAX_OFFSET = timedelta(days=30)
#: Most attempts a rule may allow.
MAX_ATTEMPTS = 10


class TaskKind(StrEnum):
    PHONE_CALL = "phone_call"
    FACILITY_CHECK = "facility_check"
    OUTREACH_VISIT = "outreach_visit"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class TaskResult(StrEnum):
    REACHED = "reached"
    NOT_REACHED = "not_reached"
    LINKED_TO_CARE = "linked_to_care"
    DECLINED = "declined"


@dataclass(frozen=True)
class FollowUpRule:
    """One task a closing disposition creates: what, due how long after the close, whose,
    how many attempts in all, and how long after a "not reached" the retry is due."""

    id: str
    disposition: Disposition
    kind: TaskKind
    due_after: timedelta
    owner_role: UserRole
    attempts: int
    retry_after: timedelta
    description: str

    def validate(self) -> None:
        if not self.id.strip():
            raise InvalidInput("a follow-up rule needs an id")
        for what, offset in (("due_after", self.due_after), ("retry_after", self.retry_after)):
            if not timedelta(0) < offset <= MAX_OFFSET:
                raise InvalidInput(f"rule {self.id}: {what} must be more than 0 and at most 30 days")
        if not 1 <= self.attempts <= MAX_ATTEMPTS:
            raise InvalidInput(f"rule {self.id}: attempts must be from 1 to {MAX_ATTEMPTS}")
        if self.owner_role not in OWNER_ROLES:
            owners = ", ".join(sorted(r.value for r in OWNER_ROLES))
            raise InvalidInput(f"rule {self.id}: owner_role must be one of {owners}")


@dataclass(frozen=True)
class FollowUpRules:
    version: str
    rules: tuple[FollowUpRule, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for rule in self.rules:
            rule.validate()
            if rule.id in seen:
                raise InvalidInput(f"rule id '{rule.id}' is used twice")
            seen.add(rule.id)

    def for_disposition(self, disposition: Disposition) -> tuple[FollowUpRule, ...]:
        return tuple(r for r in self.rules if r.disposition is disposition)

    def get(self, rule_id: str) -> FollowUpRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True)
class FollowUpTask:
    id: str
    incident_id: str
    rule_id: str
    disposition: Disposition
    kind: TaskKind
    description: str
    created_at: datetime
    due_at: datetime
    owner_role: UserRole
    #: Attempt number (1 = the first); a retry carries the next one.
    attempt: int
    attempts_allowed: int
    retry_after: timedelta
    status: TaskStatus = TaskStatus.OPEN
    owner: str | None = None
    result: TaskResult | None = None
    done_at: datetime | None = None
    done_by: str | None = None
    note: str = ""
    cancel_reason: str = ""
    #: The task this one retries (None for a first attempt).
    retry_of: str | None = None

    def overdue(self, now: datetime) -> bool:
        return self.status is TaskStatus.OPEN and ensure_aware(now) > ensure_aware(self.due_at)

    def on_time(self) -> bool | None:
        """Done by its due time (None while not done)."""
        if self.done_at is None:
            return None
        return ensure_aware(self.done_at) <= ensure_aware(self.due_at)

    def _check_open(self) -> None:
        if self.status is not TaskStatus.OPEN:
            raise InvalidInput(f"follow-up {self.id} is {self.status.value}: nothing more can be recorded on it")

    def complete(
        self, result: TaskResult, *, by: str, now: datetime, note: str = "", new_id: Callable[[], str]
    ) -> tuple[FollowUpTask, FollowUpTask | None]:
        """Record what came of the task: it is done; a "not reached" with attempts left opens
        the retry (due ``retry_after`` from now, same owner)."""
        self._check_open()
        now = ensure_aware(now)
        if now < ensure_aware(self.created_at):
            raise InvalidInput("a follow-up cannot be done before it was created")
        done = replace(self, status=TaskStatus.DONE, result=result, done_at=now, done_by=by, note=note.strip())
        retry = None
        if result is TaskResult.NOT_REACHED and self.attempt < self.attempts_allowed:
            retry = replace(
                self,
                id=new_id(),
                created_at=now,
                due_at=now + self.retry_after,
                attempt=self.attempt + 1,
                status=TaskStatus.OPEN,
                result=None,
                done_at=None,
                done_by=None,
                note="",
                cancel_reason="",
                retry_of=self.id,
            )
        return done, retry

    def cancel(self, reason: str, *, by: str, now: datetime) -> FollowUpTask:
        self._check_open()
        if not reason.strip():
            raise InvalidInput("cancelling a follow-up needs a reason (e.g. 'person moved out of the county')")
        return replace(self, status=TaskStatus.CANCELLED, cancel_reason=reason.strip(), done_at=ensure_aware(now), done_by=by)

    def assign(self, owner: str) -> FollowUpTask:
        self._check_open()
        if not owner.strip():
            raise InvalidInput("a follow-up's owner is a username")
        return replace(self, owner=owner.strip())

    def to_dict(self, now: datetime) -> dict[str, Any]:
        due = ensure_aware(self.due_at)
        late = ensure_aware(now) - due
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "rule_id": self.rule_id,
            "disposition": self.disposition.value,
            "kind": self.kind.value,
            "description": self.description,
            "created_at": ensure_aware(self.created_at).isoformat(),
            "due_at": due.isoformat(),
            "owner_role": self.owner_role.value,
            "owner": self.owner,
            "attempt": self.attempt,
            "attempts_allowed": self.attempts_allowed,
            "status": self.status.value,
            "result": self.result.value if self.result else None,
            "done_at": ensure_aware(self.done_at).isoformat() if self.done_at else None,
            "done_by": self.done_by,
            "on_time": self.on_time(),
            "note": self.note,
            "cancel_reason": self.cancel_reason,
            "retry_of": self.retry_of,
            "overdue": self.overdue(now),
            "minutes_overdue": int(late.total_seconds() // 60) if self.overdue(now) else 0,
        }


def tasks_for_close(
    rules: FollowUpRules, *, incident_id: str, disposition: Disposition, closed_at: datetime, new_id: Callable[[], str]
) -> list[FollowUpTask]:
    """The follow-up tasks an encounter closed with ``disposition`` at ``closed_at`` gets: one
    per rule of that disposition, each due its offset after the close."""
    closed_at = ensure_aware(closed_at)
    return [
        FollowUpTask(
            id=new_id(),
            incident_id=incident_id,
            rule_id=rule.id,
            disposition=disposition,
            kind=rule.kind,
            description=rule.description,
            created_at=closed_at,
            due_at=closed_at + rule.due_after,
            owner_role=rule.owner_role,
            attempt=1,
            attempts_allowed=rule.attempts,
            retry_after=rule.retry_after,
        )
        for rule in rules.for_disposition(disposition)
    ]


def overdue(tasks: Iterable[FollowUpTask], now: datetime) -> list[FollowUpTask]:
    """The open tasks past due at ``now``, most overdue first."""
    return sorted((t for t in tasks if t.overdue(now)), key=lambda t: (ensure_aware(t.due_at), t.id))


# ----------------------------------------------------------------------------- warm hand-offs
@dataclass(frozen=True)
class Provider:
    """A provider in the directory (data/la/providers.yaml) a person may be handed to."""

    id: str
    name: str
    kind: str
    phone: str = ""
    address: str = ""
    facility_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "phone": self.phone,
            "address": self.address,
            "facility_id": self.facility_id,
        }


class HandOffStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class HandOff:
    """A person handed to a named provider: who was contacted there, when, by whom; then the
    provider's answer, when, and the name of who gave it."""

    id: str
    incident_id: str
    provider_id: str
    provider_name: str
    contact: str
    offered_at: datetime
    offered_by: str
    status: HandOffStatus = HandOffStatus.OFFERED
    responded_at: datetime | None = None
    responder_name: str = ""
    recorded_by: str | None = None
    note: str = ""

    def validate(self, now: datetime) -> None:
        if not self.contact.strip():
            raise InvalidInput("a warm hand-off names who was contacted at the provider (name or desk, and how)")
        if ensure_aware(self.offered_at) > ensure_aware(now):
            raise InvalidInput("a hand-off cannot be offered in the future")

    def respond(self, *, accepted: bool, responder_name: str, at: datetime, by: str, now: datetime, note: str = "") -> HandOff:
        if self.status is not HandOffStatus.OFFERED:
            raise InvalidInput(f"hand-off {self.id} was already {self.status.value}")
        if not responder_name.strip():
            raise InvalidInput("record the name of who accepted or declined at the provider")
        at = ensure_aware(at)
        if at < ensure_aware(self.offered_at):
            raise InvalidInput("the provider cannot answer before the hand-off was offered")
        if at > ensure_aware(now):
            raise InvalidInput("the provider's answer cannot be in the future")
        return replace(
            self,
            status=HandOffStatus.ACCEPTED if accepted else HandOffStatus.DECLINED,
            responded_at=at,
            responder_name=responder_name.strip(),
            recorded_by=by,
            note=note.strip(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "provider_id": self.provider_id,
            "provider_name": self.provider_name,
            "contact": self.contact,
            "offered_at": ensure_aware(self.offered_at).isoformat(),
            "offered_by": self.offered_by,
            "status": self.status.value,
            "responded_at": ensure_aware(self.responded_at).isoformat() if self.responded_at else None,
            "responder_name": self.responder_name,
            "recorded_by": self.recorded_by,
            "note": self.note,
        }
