"""Flag names and the safety groups the invariant is stated in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FlagSource(StrEnum):
    """Where a flag came from; on a conflict an answer outranks a code, a code a narrative."""

    ANSWER = "answer"
    CODE = "code"
    NARRATIVE = "narrative"
    #: The learned safety net (``safety_net.py``): it only adds a flag nothing else raised or
    #: denied, after the others are resolved.
    CLASSIFIER = "classifier"

    @property
    def rank(self) -> int:
        """Higher outranks lower."""
        return {FlagSource.ANSWER: 3, FlagSource.CODE: 2, FlagSource.NARRATIVE: 1, FlagSource.CLASSIFIER: 0}[self]


WEAPON = "weapon"
VIOLENCE = "violence"
MEDICAL = "medical"
OVERDOSE = "overdose"
SELF_HARM_IN_PROGRESS = "self_harm_in_progress"
INTOXICATION = "intoxication"
MINOR = "minor"
MENTAL_HEALTH = "mental_health"
SUICIDAL = "suicidal"  # ideation or threats, no attempt in progress
WELFARE_CHECK = "welfare_check"
UNCOOPERATIVE = "uncooperative"
UNSAFE_LOCATION = "unsafe_location"
CALLER_IS_SUBJECT = "caller_is_subject"
#: Police asked for, or already part of the call ("REQ PD", "MEET PD ON SCENE", "PER PD",
#: a missing person, a drunk driver): they go beside the team, whatever the danger.
POLICE_REQUESTED = "police_requested"
#: Responders told to stage until police secure the scene ("STAGE FOR 55 YOM SUICIDAL",
#: "STAGE AWAY", "UNTIL PD ARRIVES"): the centre that wrote it sent EMS and judged the scene
#: unsafe, so police and EMS go beside the team.
STAGED = "staged"
#: The person is at a dangerous place (on or by the tracks, a bridge, an overpass, a roof's
#: edge; in traffic). With suicidal talk or self-harm it is an attempt at hand: police and
#: EMS go (the protocol's rules say so); on its own it says nothing.
DANGEROUS_PLACE = "dangerous_place"
#: The reader's doubts: what it read cannot rule a danger out (see UNCERTAINTY_FLAGS).
POSSIBLE_MEDICAL = "possible_medical"  # pills, a cut, pain, a fall, a person down... said loosely
UNREADABLE = "unreadable"  # text the reader cannot read (another language)
#: A call type or code that leaves an attempt possible ("SUICIDE", "ATTEMPT/THREAT", APCO
#: SUICTHRT) while nothing says whether one happened: thoughts only, or an attempt?
POSSIBLE_ATTEMPT = "possible_attempt"

#: Flags the narrative reader looks for (the issue's list plus ``suicidal``).
NARRATIVE_FLAGS: tuple[str, ...] = (
    WEAPON,
    VIOLENCE,
    MEDICAL,
    OVERDOSE,
    SELF_HARM_IN_PROGRESS,
    INTOXICATION,
    MINOR,
    MENTAL_HEALTH,
    SUICIDAL,
)


#: The safety invariant: any of these present → the response includes police.
NEEDS_POLICE: frozenset[str] = frozenset({WEAPON, VIOLENCE})
#: Any of these present → the response includes EMS.
NEEDS_EMS: frozenset[str] = frozenset({MEDICAL, OVERDOSE, SELF_HARM_IN_PROGRESS})
#: A response of the team alone or the phone alone is only allowed without these.
SAFETY_FLAGS: frozenset[str] = NEEDS_POLICE | NEEDS_EMS

#: Uncertainty flags and the safety flags each one cannot rule out. The reader raises
#: them when the text speaks of a danger too loosely to be sure ("PILLS/", "FEELS LIKE HER
#: SUGAR IS LOW") or cannot be read at all. An uncertainty *stands* while any flag it
#: covers is neither raised nor denied by some source (typically the call-taker's
#: answers); a standing uncertainty keeps the call from the team alone and from the phone,
#: like a safety flag (the protocol says who goes; the default responder if it forgets).
UNCERTAINTY_FLAGS: dict[str, frozenset[str]] = {
    POSSIBLE_MEDICAL: frozenset({MEDICAL, OVERDOSE, SELF_HARM_IN_PROGRESS}),
    UNREADABLE: SAFETY_FLAGS,
    POSSIBLE_ATTEMPT: frozenset({SELF_HARM_IN_PROGRESS}),
}

#: Every flag the engine knows. A protocol may only speak of these.
KNOWN_FLAGS: frozenset[str] = frozenset(
    NARRATIVE_FLAGS
    + (WELFARE_CHECK, UNCOOPERATIVE, UNSAFE_LOCATION, CALLER_IS_SUBJECT, POLICE_REQUESTED, STAGED, DANGEROUS_PLACE)
    + tuple(UNCERTAINTY_FLAGS)
)


@dataclass(frozen=True, slots=True)
class Flag:
    """A flag and the evidence for it.

    ``evidence`` is the text that raised it: ``"weapon=yes"`` for an answer, the code or
    call-type string for a code, the matched span for a narrative (with its offsets
    ``start``/``end`` into the narrative, so ``narrative[start:end] == evidence``).
    The same class carries denials ("NO WEAPONS"): the reader and the answers return
    them separately from the flags they deny.
    """

    name: str
    evidence: str
    source: FlagSource
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name, "evidence": self.evidence, "source": str(self.source)}
        if self.start is not None:
            out["start"] = self.start
            out["end"] = self.end
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Flag:
        start, end = data.get("start"), data.get("end")
        return cls(
            name=str(data["name"]),
            evidence=str(data["evidence"]),
            source=FlagSource(str(data.get("source", FlagSource.NARRATIVE))),
            start=int(start) if isinstance(start, int) else None,
            end=int(end) if isinstance(end, int) else None,
        )
