"""The follow-up rules (``data/follow_up_rules.yaml``) and the provider directory
(``data/la/providers.yaml``) validated by pydantic and built into the domain's objects.

Problems are reported together in one :class:`ConfigError`, each as ``location: what is
wrong`` (``rules[2].disposition: unknown disposition 'sent_home'``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.follow_ups import MAX_ATTEMPTS, OWNER_ROLES, FollowUpRule, FollowUpRules, Provider, TaskKind
from crisis_dispatch.domain.outcomes import Disposition

from .errors import ConfigError, problem, problems

#: Most hours a due offset or a retry interval may state (30 days).
MAX_HOURS = 30 * 24


def _one_of(enum: Any, value: Any, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(e.value) for e in enum)
        raise problem(f"unknown {what} '{value}' (expected one of: {allowed})") from None


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleModel(_Strict):
    id: str = Field(min_length=1, max_length=60)
    disposition: Disposition
    kind: TaskKind
    due_after_hours: float = Field(gt=0, le=MAX_HOURS)
    owner_role: UserRole
    attempts: int = Field(ge=1, le=MAX_ATTEMPTS)
    retry_after_hours: float = Field(default=24, gt=0, le=MAX_HOURS)
    description: str = Field(min_length=1, max_length=300)

    @field_validator("disposition", mode="before")
    @classmethod
    def _disposition(cls, value: Any) -> Any:
        return _one_of(Disposition, value, "disposition")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return _one_of(TaskKind, value, "task kind")

    @field_validator("owner_role", mode="before")
    @classmethod
    def _owner(cls, value: Any) -> Any:
        role = _one_of(UserRole, value, "role")
        if role not in OWNER_ROLES:
            raise problem(f"a follow-up is owned by one of: {', '.join(sorted(r.value for r in OWNER_ROLES))}")
        return role

    def build(self) -> FollowUpRule:
        return FollowUpRule(
            id=self.id,
            disposition=self.disposition,
            kind=self.kind,
            due_after=timedelta(hours=self.due_after_hours),
            owner_role=self.owner_role,
            attempts=self.attempts,
            retry_after=timedelta(hours=self.retry_after_hours),
            description=self.description,
        )


class RulesFile(_Strict):
    version: str = Field(min_length=1)
    source: str = ""
    rules: tuple[RuleModel, ...]

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, rules: tuple[RuleModel, ...]) -> tuple[RuleModel, ...]:
        ids = [r.id for r in rules]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise problem(f"rule ids used twice: {', '.join(twice)}")
        return rules


class ProviderModel(_Strict):
    id: str = Field(min_length=1, max_length=120)
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(min_length=1, max_length=60)
    phone: str = ""
    address: str = ""
    facility_id: str | None = None

    def build(self) -> Provider:
        return Provider(
            id=self.id, name=self.name, kind=self.kind, phone=self.phone, address=self.address, facility_id=self.facility_id
        )


class ProvidersFile(_Strict):
    source: str = Field(min_length=1)
    providers: tuple[ProviderModel, ...]

    @field_validator("providers")
    @classmethod
    def _unique_ids(cls, providers: tuple[ProviderModel, ...]) -> tuple[ProviderModel, ...]:
        ids = [p.id for p in providers]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise problem(f"provider ids used twice: {', '.join(twice)}")
        return providers


def follow_up_rules_from_data(data: Any) -> FollowUpRules:
    """The rules file's data (parsed YAML) as validated domain rules; ConfigError otherwise."""
    try:
        parsed = RulesFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems(exc, data)) from None
    try:
        return FollowUpRules(version=parsed.version, rules=tuple(r.build() for r in parsed.rules))
    except InvalidInput as exc:
        raise ConfigError([str(exc)]) from None


def providers_from_data(data: Any) -> tuple[Provider, ...]:
    """The provider directory's data (parsed YAML) as providers; ConfigError otherwise."""
    try:
        parsed = ProvidersFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems(exc, data)) from None
    return tuple(p.build() for p in parsed.providers)
