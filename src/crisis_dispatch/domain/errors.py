"""Domain errors. Entry points map them to HTTP statuses and CLI exit codes."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

_E = TypeVar("_E", bound=Enum)


class DomainError(Exception):
    """A rule of the domain was broken; the message is meant for a person."""


class NotFound(DomainError):
    """The thing asked for does not exist."""


class InvalidInput(DomainError, ValueError):
    """The request is well-formed but its content breaks a rule (HTTP 422)."""


class OutsideServiceArea(InvalidInput):
    """A call whose location lies outside the area the centre serves (HTTP 422)."""


class IllegalTransition(DomainError):
    """A status change that the transition table does not allow (HTTP 409)."""

    def __init__(self, kind: str, ident: str, current: str, requested: str) -> None:
        super().__init__(f"{kind} {ident} cannot go from '{current}' to '{requested}'")
        self.kind = kind
        self.ident = ident
        self.current = current
        self.requested = requested


class Conflict(DomainError):
    """The state changed under the caller (HTTP 409)."""


class DuplicateKey(Conflict):
    """A record with the same key was stored first, usually by a concurrent request (HTTP 409).
    Storage raises it in place of its own integrity error."""


class AssignmentConflict(Conflict):
    """Another dispatcher assigned the unit (or the incident) first."""


class NotDispatchable(Conflict):
    """The unit is not available or not fully staffed by crew on shift."""


class PermissionDenied(DomainError):
    """The user's role may not do this (HTTP 403)."""


def parse_enum(enum: type[_E], value: object, what: str) -> _E:
    """``value`` as a member of ``enum``; InvalidInput naming ``what`` and the allowed values if
    it is none of them (``unknown unit status 'x' (expected one of: available, ...)``)."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(e.value) for e in enum)
        raise InvalidInput(f"unknown {what} '{value}' (expected one of: {allowed})") from None


class InvalidDocument(InvalidInput):
    """A document (an EIDO) that breaks its schema or cannot be read (HTTP 422); ``problems``
    lists each place at fault as ``{"path": JSON path, "message": ...}``."""

    def __init__(self, message: str, problems: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.problems = problems
