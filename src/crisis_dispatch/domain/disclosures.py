"""Disclosure to police under the imminent-threat exception, and which responses include police.

A police liaison sees an incident when police are part of its response (:func:`police_in_response`)
or when a supervisor disclosed it, with a reason, to that liaison by name or to every police
liaison (HIPAA 45 CFR 164.512(j): to prevent or lessen a serious and imminent threat). Every
disclosure is kept: who, to whom, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .access import UserRole
from .errors import InvalidInput
from .limits import check_text
from .outcomes import Disposition
from .triage.tier import Responder, Tier

#: The responses police are part of: co-response tiers and police alone (a weapon, violence,
#: police asked for or already there all bring police through the protocol's rules).
POLICE_TIERS: frozenset[str] = frozenset(t.value for t in Tier if Responder.POLICE in t.responders)
#: An outcome that handed the person to police.
POLICE_DISPOSITIONS: frozenset[str] = frozenset({Disposition.ESCALATED_TO_POLICE.value})
#: The one role a disclosure can be made to as a whole.
DISCLOSABLE_ROLE = UserRole.POLICE_LIAISON
#: A reason must say something (e.g. "imperative threat: said he will go to his ex's house with the gun").
MIN_REASON_CHARS = 10
MAX_REASON_CHARS = 1000


@dataclass(frozen=True)
class PoliceScope:
    """A police liaison, for the query of the incidents they may see: by name, and by role."""

    username: str
    role: str


def police_in_response(tier: str | None, disposition: str | None) -> bool:
    """Whether police are part of the incident's response (the rule the SQL query states too)."""
    return (tier or "") in POLICE_TIERS or (disposition or "") in POLICE_DISPOSITIONS


@dataclass(frozen=True)
class Disclosure:
    """One incident disclosed to one police user (``to_username``) or to every police liaison
    (``to_role``): exactly one of the two is set."""

    id: str
    incident_id: str
    at: datetime
    by: str
    reason: str
    to_username: str | None = None
    to_role: str | None = None

    def __post_init__(self) -> None:
        if (self.to_username is None) == (self.to_role is None):
            raise InvalidInput("a disclosure goes to one police user (to_user) or to the police role (to_role), not both")
        if self.to_role is not None and self.to_role != DISCLOSABLE_ROLE.value:
            raise InvalidInput(f"a disclosure can go to the role '{DISCLOSABLE_ROLE.value}' only, not '{self.to_role}'")

    @property
    def recipient(self) -> str:
        return f"police user {self.to_username}" if self.to_username else f"every {self.to_role}"

    def applies_to(self, username: str, role: UserRole) -> bool:
        return self.to_username == username or self.to_role == role.value


def checked_reason(reason: str) -> str:
    """The stripped reason; InvalidInput when it is too short to say why, or too long."""
    text = check_text("reason", reason, multiline=True).strip()
    if len(text) < MIN_REASON_CHARS:
        raise InvalidInput(
            f"a disclosure needs a reason of at least {MIN_REASON_CHARS} characters saying why "
            '(e.g. "imperative threat: he said he will hurt his neighbour tonight")'
        )
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(f"reason: at most {MAX_REASON_CHARS} characters")
    return text
