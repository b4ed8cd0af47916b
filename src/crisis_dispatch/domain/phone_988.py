"""Calls the triage sends to the 988 line (tier PHONE_988): the transfer, its result, a handback.

A calm caller who is the person in crisis, every danger ruled out, is served by a 988
counsellor by phone (the protocol's ``calm-caller-phone`` rule). The incident closes at
intake; what the call-taker did next is recorded here: the warm transfer (when, to which 988
centre, its reference) and what came of it. 988 may hand the call back asking for a team in
person: a new incident is opened for the team, re-triaged as any call, and the two are linked
both ways. Whether the person needed a team is the 988 counsellor's and the triage's call,
never this module's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from .clock import ensure_aware
from .errors import Conflict, InvalidInput

#: The tier of a call served by the 988 line (domain/triage/tier.py).
PHONE_TIER = "PHONE_988"


class Result988(StrEnum):
    RESOLVED_BY_PHONE = "resolved_by_phone"
    #: 988 will call the person back: interim, a later result replaces it.
    CALL_BACK = "call_back"
    #: Only through a handback, which opens the team's incident.
    TEAM_REQUESTED = "team_requested"


FINAL = frozenset({Result988.RESOLVED_BY_PHONE, Result988.TEAM_REQUESTED})


def check_transferable(tier: str | None) -> None:
    """Only a call the triage sent to 988 is transferred there."""
    if tier != PHONE_TIER:
        raise InvalidInput(f"only a call triaged to the 988 line ({PHONE_TIER}) is transferred to 988; this one is {tier}")


@dataclass(frozen=True)
class Transfer988:
    centre: str
    reference: str
    transferred_at: datetime
    transferred_by: str
    result: Result988 | None = None
    result_at: datetime | None = None
    result_by: str = ""
    result_note: str = ""
    #: The team incident opened when 988 handed the call back.
    handed_back_to: str | None = None

    def validate(self, *, received_at: datetime, now: datetime) -> None:
        if not self.centre.strip():
            raise InvalidInput("a 988 transfer names the 988 centre that took the call")
        if not self.reference.strip():
            raise InvalidInput("a 988 transfer records the centre's reference for the call")
        at = ensure_aware(self.transferred_at)
        if at < ensure_aware(received_at):
            raise InvalidInput(f"the transfer ({at.isoformat()}) cannot be before the call was received")
        if at > ensure_aware(now):
            raise InvalidInput("a transfer cannot be recorded in the future")

    def _check_after_transfer(self, now: datetime) -> datetime:
        now = ensure_aware(now)
        if now < ensure_aware(self.transferred_at):
            raise InvalidInput("a 988 result cannot be dated before the transfer")
        return now

    def record_result(self, result: Result988, *, by: str, now: datetime, note: str = "") -> Transfer988:
        if result is Result988.TEAM_REQUESTED:
            raise InvalidInput("a team requested by 988 is recorded by a handback, which opens the team's incident")
        if self.result in FINAL:
            raise Conflict(f"the 988 result was already recorded: {self.result.value if self.result else ''}")
        now = self._check_after_transfer(now)
        return replace(self, result=result, result_at=now, result_by=by, result_note=note.strip())

    def hand_back(self, new_incident_id: str, *, by: str, now: datetime, note: str = "") -> Transfer988:
        """988 asks for a team in person. Also after "resolved by phone": the person may call
        988 again; the link to the team's incident is what matters, and there is one."""
        if self.handed_back_to is not None:
            raise Conflict(f"988 already handed this call back: incident {self.handed_back_to}")
        now = self._check_after_transfer(now)
        return replace(
            self,
            result=Result988.TEAM_REQUESTED,
            result_at=now,
            result_by=by,
            result_note=note.strip(),
            handed_back_to=new_incident_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "centre": self.centre,
            "reference": self.reference,
            "transferred_at": self.transferred_at.isoformat(),
            "transferred_by": self.transferred_by,
            "result": self.result.value if self.result else None,
            "result_at": self.result_at.isoformat() if self.result_at else None,
            "result_by": self.result_by,
            "result_note": self.result_note,
            "handed_back_to": self.handed_back_to,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transfer988:
        return cls(
            centre=data["centre"],
            reference=data["reference"],
            transferred_at=datetime.fromisoformat(data["transferred_at"]),
            transferred_by=data["transferred_by"],
            result=Result988(data["result"]) if data.get("result") else None,
            result_at=datetime.fromisoformat(data["result_at"]) if data.get("result_at") else None,
            result_by=data.get("result_by", ""),
            result_note=data.get("result_note", ""),
            handed_back_to=data.get("handed_back_to"),
        )
