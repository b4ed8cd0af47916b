"""The triage engine: a call and a protocol in, an explainable decision out.

Deterministic: the same call and protocol always give the same result (no clock, no
randomness, rules in file order). The steps:

1. **Evidence.** Answers (by question id), the code and the call type (through the code
   mappings), and the narrative (through the reader) each raise or deny flags.
2. **Resolution.** Per flag, the highest-ranked source that speaks about it decides:
   an explicit answer outranks a code, a code outranks the narrative. A narrative
   finding overruled by an answer is kept in the reasons, so nothing is silently lost.
3. **Rules.** Every rule of the protocol whose condition holds fires; each adds (or
   removes the team/phone from) the responders, and may set a priority, a determinant
   code, a screen-out reason and ``hold_possible``. Dangers combine: an overdose with a
   knife beside the person fires both the EMS and the police rules.
   The learned safety net (``safety_net.py``) then adds, never removes: a danger it scores
   at or above its threshold that no source raised or denied becomes a flag (source
   ``classifier``).
4. **Safety floor.** Whatever the protocol says, weapon/violence brings police and
   medical/overdose/self-harm in progress brings EMS (the invariant of issue 3); a
   standing uncertainty (``possible_medical``, ``unreadable``: the text cannot rule a
   danger out) never leaves the call to the team alone or the phone. The floor is
   recorded as the rule ``safety-floor`` when it had to act.
5. **Default responder.** When nobody was sent, the protocol's default response goes and
   the call is marked ``not_triaged`` (too little information) or
   ``no_mental_health_component``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .flags import (
    NEEDS_EMS,
    NEEDS_POLICE,
    POSSIBLE_ATTEMPT,
    SAFETY_FLAGS,
    SELF_HARM_IN_PROGRESS,
    SUICIDAL,
    UNCERTAINTY_FLAGS,
    Flag,
    FlagSource,
)
from .mappings import MappingHit, call_type_levels, parse_mpds
from .model import NO_MENTAL_HEALTH_COMPONENT, NOT_TRIAGED, SAFETY_QUESTIONS, CallInput, TriageResult
from .protocol import (
    ANSWERS_GIVEN,
    INFORMATION,
    Condition,
    Protocol,
    Question,
    QuestionType,
    Rule,
    State,
    normalise_yes_no,
)
from .reader import NarrativeReading, quoted_codes, read_narrative
from .safety_net import load_safety_net
from .tier import Responder, Tier

SAFETY_FLOOR_RULE = "safety-floor"


@dataclass(frozen=True)
class Evidence:
    """Resolved flags for one call: what is present, what is denied, and why."""

    present: Mapping[str, Flag]
    denied: Mapping[str, Flag]
    answers_given: bool
    information: bool
    notes: tuple[str, ...]

    def state(self, flag: str) -> State:
        if flag in self.present:
            return State.PRESENT
        if flag in self.denied:
            return State.DENIED
        return State.UNKNOWN


def triage(call: CallInput, protocol: Protocol, *, safety_net: bool = True) -> TriageResult:
    """Decide the response to ``call`` under ``protocol``; see the module docstring.

    ``safety_net=False`` decides on the rules alone (answers, codes, the reader): what the
    learned net adds is then visible by difference, and the metamorphic tests state their
    properties for the rules.
    """
    evidence = gather_evidence(call, protocol, safety_net=safety_net)
    responders: set[Responder] = set()
    removed: set[Responder] = set()
    fired: list[Rule] = []
    for rule in protocol.rules:
        if _holds(rule, evidence):
            fired.append(rule)
            responders |= rule.add
            removed |= rule.remove
            if rule.screen_out:
                removed |= {Responder.TEAM, Responder.PHONE}
    responders -= removed

    reasons: list[str] = list(evidence.notes)
    for rule in fired:
        reasons.append(f"{rule.id}: {rule.text}{_because(rule, evidence)}")
    rules_fired = [r.id for r in fired]
    # A rule whose responders were all taken away again (the team, replaced by the
    # phone) no longer shapes the priority or the determinant.
    shaping = [r for r in fired if not r.add or r.add & responders]
    priorities = [r.priority for r in shaping if r.priority is not None]
    determinants = [r.determinant for r in sorted(shaping, key=_rank) if r.determinant]
    screen_outs = [r.screen_out for r in fired if r.screen_out]

    floor = _safety_floor(evidence, responders)
    if floor:
        responders |= floor
        rules_fired.append(SAFETY_FLOOR_RULE)
        reasons.append(
            f"{SAFETY_FLOOR_RULE}: the protocol did not send "
            f"{' and '.join(sorted(floor))}; safety requires it for "
            f"{', '.join(sorted(n for n in evidence.present if n in SAFETY_FLAGS or n in UNCERTAINTY_FLAGS))}"
        )
        priorities.append(min(protocol.priorities))

    screened_out: str | None = None
    if not responders:
        default = protocol.default_response
        responders = set(default.responders)
        priorities.append(default.priority)
        determinants.append(default.determinant)
        rules_fired.append(default.id)
        fallback = NO_MENTAL_HEALTH_COMPONENT if evidence.information else NOT_TRIAGED
        screened_out = screen_outs[0] if screen_outs else fallback
        reasons.append(f"{default.id}: {default.text} ({screened_out.replace('_', ' ')})")
    if safety_net and any(f.source is FlagSource.CLASSIFIER for f in evidence.present.values()):
        # The net only adds: whoever the rules alone would send (the default responder
        # included) still goes.
        kept = triage(call, protocol, safety_net=False).tier.responders & {Responder.POLICE, Responder.EMS}
        if kept - responders:
            reasons.append(f"kept from the rules alone: {' and '.join(sorted(kept - responders))}")
            responders |= kept
    tier = Tier.from_responders(responders)
    if not (tier.includes_team or tier.includes_phone) and screened_out is None:
        screened_out = screen_outs[0] if screen_outs else _ineligible_reason(evidence)

    priority = min(priorities) if priorities else max(protocol.priorities)
    prefix = f"{protocol.determinant_prefix}-" if protocol.determinant_prefix else ""
    determinant = f"{prefix}{priority}-{'+'.join(dict.fromkeys(determinants)) or 'NONE'}"
    flags = tuple(sorted(evidence.present.values(), key=lambda f: (-f.source.rank, f.name)))
    confirmed = tier not in (Tier.MH_TEAM, Tier.PHONE_988) or all(
        normalise_yes_no(call.answers.get(q)) is not None for q in SAFETY_QUESTIONS
    )
    if not confirmed:
        reasons.append(
            "unconfirmed: the team would go alone on text and codes only; ask about a weapon, "
            "violence and whether the person is awake and breathing"
        )
    return TriageResult(
        call_id=call.id,
        tier=tier,
        priority=priority,
        determinant=determinant,
        flags=flags,
        reasons=tuple(reasons),
        rules_fired=tuple(rules_fired),
        protocol_version=protocol.version,
        screened_out=screened_out,
        hold_possible=any(r.hold_possible for r in fired),
        confirmed=confirmed,
    )


_LEVELS_WITHOUT_ATTEMPT = frozenset({"A", "O"})
#: The denials a safety-net finding yields to: its own fact's, and those of the dangers it
#: stands for ("NO PILLS TAKEN" rules out the ingestion a "medical" score may be about).
_RELATED_DENIALS: dict[str, frozenset[str]] = {
    "medical": frozenset({"medical", "overdose", "possible_medical"}),
    "self_harm_in_progress": frozenset({"self_harm_in_progress", "overdose", "possible_attempt"}),
}
#: "IN PROGRESS" / "I/P" said on its own in a narrative (not "not in progress").
_IN_PROGRESS = re.compile(r"(?<!NOT )(?<![\w/-])(?:IN\s+PROGRESS|I/P)(?![\w/-])", re.IGNORECASE)


def gather_evidence(call: CallInput, protocol: Protocol, *, safety_net: bool = True) -> Evidence:
    """Raise and deny flags from answers, codes and narrative; resolve conflicts by rank."""
    notes: list[str] = []
    raised, denials, answered = _answers_evidence(call, protocol, notes)
    mapped, code_hit, type_hit, type_denials = _code_evidence(call, protocol, raised, notes)
    reading = read_narrative(call.narrative)
    raised += reading.flags
    denials += reading.denials
    # A determinant quoted in the text means what the code mappings say it means
    # ("DELTA 25D01": not alert, a medical problem), at the narrative's rank.
    for code, start, end in quoted_codes(call.narrative):
        hit = protocol.mappings.lookup_code(code)
        if hit is not None and hit.kind == "mpds":
            raised += [Flag(name, code, FlagSource.NARRATIVE, start, end) for name in hit.flags]

    present: dict[str, Flag] = {}
    denied: dict[str, Flag] = {}
    best: dict[str, int] = {}
    for flag in raised + denials:
        best[flag.name] = max(best.get(flag.name, 0), flag.source.rank)
    for name, rank in best.items():
        ups = [f for f in raised if f.name == name and f.source.rank == rank]
        downs = [f for f in denials if f.name == name and f.source.rank == rank]
        if ups:  # at equal rank a raised flag outranks a denial: err on the safe side
            present[name] = ups[0]
        elif downs:
            denied[name] = downs[0]
            for lower in (f for f in raised if f.name == name):
                notes.append(
                    f"{lower.source} flag '{name}' ({lower.evidence!r}) overruled by {downs[0].source} {downs[0].evidence!r}"
                )
    if safety_net:
        _add_safety_net(call, present, denied, frozenset(type_denials))
    if POSSIBLE_ATTEMPT in present:
        _settle_possible_attempt(call, code_hit, type_hit, reading, present, notes)
    _settle_uncertainties(present, denied, notes)
    information = answered or mapped or bool(reading.flags)
    return Evidence(present, denied, answered, information, tuple(notes))


def _code_evidence(
    call: CallInput, protocol: Protocol, raised: list[Flag], notes: list[str]
) -> tuple[bool, MappingHit | None, MappingHit | None, set[str]]:
    """The flags the code and the call type raise (appended to ``raised``): whether either was
    mapped, both hits, and what the call type's own words deny (for the safety net only)."""
    mapped = False
    code_hit = protocol.mappings.lookup_code(call.code, call_type=call.call_type)
    type_hit = protocol.mappings.lookup_call_type(call.call_type)
    if type_hit is not None and _IN_PROGRESS.search(call.narrative or ""):
        # "IN PROGRESS" in the text says the call type's event is happening now (a "SUICIDE"
        # call type, text "... IN PROGRESS": a suicide in progress); it only adds flags.
        now_hit = protocol.mappings.lookup_call_type(f"{call.call_type} IN PROGRESS")
        if now_hit is not None:
            type_hit = replace(type_hit, flags=tuple(dict.fromkeys((*type_hit.flags, *now_hit.flags))))
    for label, hit in (
        ("code", code_hit),
        ("call type", type_hit),
    ):
        if hit is None:
            continue
        mapped = True
        for name in hit.flags:
            raised.append(Flag(name, hit.evidence, FlagSource.CODE))
        if not hit.flags:
            notes.append(f"{label} {hit.evidence!r} is mapped ({hit.category}) but raises no flag")

    # A call type is sometimes free text ("17 YO FRIEND TOOK SOME PILLS"): what it
    # raises counts as code evidence; what it denies does not ("NOT ARMED" in a type name
    # must never overrule a narrative that reports a gun).
    # Read as written and with its typos respelt ("SUICIDE ATIEMPT"): a respelling only adds.
    call_type_texts = dict.fromkeys(
        protocol.mappings.rewrite_text(call.call_type or "", correct_typos=fix) for fix in (True, False)
    )
    type_denials: set[str] = set()
    for text in call_type_texts:
        type_reading = _read_call_type(text)
        type_denials |= type_reading.denied_names
        for flag in type_reading.flags:
            raised.append(Flag(flag.name, flag.evidence, FlagSource.CODE))
            mapped = True
    return mapped, code_hit, type_hit, type_denials


def _answers_evidence(call: CallInput, protocol: Protocol, notes: list[str]) -> tuple[list[Flag], list[Flag], bool]:
    """The flags the call-taker's answers raise and deny, and whether any answer was understood."""
    raised: list[Flag] = []
    denials: list[Flag] = []
    answered = False
    for qid in sorted(call.answers):
        value = call.answers[qid]
        question = protocol.question(qid)
        if question is None:
            notes.append(f"answer '{qid}' ignored: not a question of protocol {protocol.version}")
            continue
        up, down, known = _answer_flags(question, value)
        if known:
            answered = True
        elif value not in (None, "") and str(value).strip().lower() not in {"unknown", "unk", "?"}:
            # The value itself is not quoted: free text typed into an answer can hold names
            # and numbers, and reasons travel further than the answers do.
            notes.append(f"answer '{qid}' not understood (expected {question.type.value}); treated as unknown")
        raised += up
        denials += down
    return raised, denials, answered


@lru_cache(maxsize=4096)
def _read_call_type(text: str) -> NarrativeReading:
    """The reader's verdict on a (rewritten) call type. Call types repeat from call to call
    (1,622 distinct in 8,090 real pages), so each is read once; the reading is frozen."""
    return read_narrative(text)


def _says_whether_attempted(determinant: str) -> bool:
    """A determinant with its number ("25B3", not "25B" or "25"), or at a level with no
    attempt in it (Alpha, Omega), says whether there was an attempt."""
    parsed = parse_mpds(determinant)
    return parsed is not None and (parsed[2] is not None or parsed[1] in _LEVELS_WITHOUT_ATTEMPT)


def _settle_possible_attempt(
    call: CallInput,
    code_hit: MappingHit | None,
    type_hit: MappingHit | None,
    reading: NarrativeReading,
    present: dict[str, Flag],
    notes: list[str],
) -> None:
    """A call type that leaves an attempt open ("SUICIDE", "ATTEMPT/THREAT") is settled by a
    determinant that says the level ("25B3": threatening suicide), a call-type level without
    attempts (Alpha), text that says there was none ("THOUGHTS ONLY"), or, when the call type
    names suicide alone, text that tells of talk ("HAVING SUICIDAL THOUGHTS", "NON-SUICIDAL").
    Text that tells of an act raises the attempt itself."""
    if code_hit is not None and code_hit.kind == "mpds" and _says_whether_attempted(code_hit.key):
        present.pop(POSSIBLE_ATTEMPT)
        notes.append(f"{POSSIBLE_ATTEMPT} settled: the determinant {code_hit.evidence!r} says whether there was an attempt")
        return
    calm_level = next((lv for lv in call_type_levels(call.call_type or "") if lv in _LEVELS_WITHOUT_ATTEMPT), None)
    if calm_level is not None and type_hit is not None and type_hit.category == "behavioral_health":
        present.pop(POSSIBLE_ATTEMPT)
        notes.append(f"{POSSIBLE_ATTEMPT} settled: the call type's level {calm_level} has no attempt in it")
        return
    # A call type that names the attempt ("ATTEMPT OR THREAT", "INCLUDING ATTEMPTS") yields
    # only to text that says no attempt ("THOUGHTS ONLY", "HAS NOT TAKEN ANYTHING"); one that
    # names suicide alone ("SUICIDE", a card title) also to text that tells of talk.
    names_attempt = type_hit is not None and "ATTEMPT" in type_hit.key
    talk = next(
        (
            f
            for f in (*reading.flags, *reading.denials)
            if (f.name == SUICIDAL and not names_attempt) or (f.name == SELF_HARM_IN_PROGRESS and f in reading.denials)
        ),
        None,
    )
    if talk is not None and SELF_HARM_IN_PROGRESS not in reading.names:
        present.pop(POSSIBLE_ATTEMPT)
        notes.append(f"{POSSIBLE_ATTEMPT} settled: the text tells of talk, not an act ({talk.evidence!r})")


def _add_safety_net(call: CallInput, present: dict[str, Flag], denied: dict[str, Flag], type_denials: frozenset[str]) -> None:
    """The learned safety net's findings, as flags nothing else raised or denied: it only adds,
    and only where it adds a responder (police for a weapon or violence, EMS for a medical
    danger or an attempt) that no other finding already brings.

    It speaks where the rules found nothing about a danger; a danger that an answer, a code
    or the text itself denies ("weapon: no", "NOT VIOLENT", a call type "MENTAL PT - NOT VIOL";
    for a medical danger also "NO PILLS TAKEN", for an attempt "THOUGHTS ONLY") is not the
    net's to overrule: word statistics read negations poorly, and the denial is there for the
    dispatcher to see.
    """
    said_no = denied.keys() | type_denials
    for finding in load_safety_net().findings(call.call_type, call.code, call.narrative):
        if finding.fact in present or _RELATED_DENIALS.get(finding.fact, {finding.fact}) & said_no:
            continue
        if finding.fact in NEEDS_POLICE and NEEDS_POLICE & present.keys():
            continue  # police go already: the finding would add no responder
        if finding.fact in NEEDS_EMS and NEEDS_EMS & present.keys():
            continue  # EMS go already
        present[finding.fact] = Flag(
            finding.fact, f"safety net {finding.score:.2f} >= {finding.threshold:.2f}", FlagSource.CLASSIFIER
        )


def _settle_uncertainties(present: dict[str, Flag], denied: dict[str, Flag], notes: list[str]) -> None:
    """Drop an uncertainty once every flag it covers is known (raised or denied).

    "PILLS/" cannot rule out an overdose; once the call-taker has answered the ingestion,
    breathing and injury questions (or the text itself settles them), the doubt is gone
    and the flags themselves decide.
    """
    for name, covers in UNCERTAINTY_FLAGS.items():
        denied.pop(name, None)  # "no pills" denies nothing the safety rules speak of
        if name in present and all(c in present or c in denied for c in covers):
            flag = present.pop(name)
            notes.append(f"{name} ({flag.evidence!r}) settled: {', '.join(sorted(covers))} each raised or denied")


def _answer_flags(question: Question, value: Any) -> tuple[list[Flag], list[Flag], bool]:
    up: list[Flag] = []
    down: list[Flag] = []
    if question.type is QuestionType.YES_NO:
        answer = normalise_yes_no(value)
        if answer is None:
            return up, down, False
        for s in question.sets:
            (up if answer == normalise_yes_no(s.when) else down).append(
                Flag(s.flag, f"{question.id}={'yes' if answer else 'no'}", FlagSource.ANSWER)
            )
        return up, down, True
    if question.type is QuestionType.INTEGER:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return up, down, False
        for s in question.sets:
            ((op, limit),) = dict(s.when).items()
            hit = {
                "lt": number < limit,
                "le": number <= limit,
                "gt": number > limit,
                "ge": number >= limit,
                "eq": number == limit,
            }[op]
            (up if hit else down).append(Flag(s.flag, f"{question.id}={number}", FlagSource.ANSWER))
        return up, down, True
    text = "" if value is None else str(value).strip()
    if text not in question.choices:
        return up, down, False
    for s in question.sets:
        wanted = s.when if isinstance(s.when, list) else [s.when]
        (up if text in {str(w) for w in wanted} else down).append(Flag(s.flag, f"{question.id}={text}", FlagSource.ANSWER))
    return up, down, True


def _condition_holds(cond: Condition, ev: Evidence) -> bool:
    for name, wanted in cond.flags.items():
        state = ev.state(name)
        if wanted is State.ABSENT:
            if state is State.PRESENT:
                return False
        elif state is not wanted:
            return False
    facts = {ANSWERS_GIVEN: ev.answers_given, INFORMATION: ev.information}
    return all(facts[k] == v for k, v in cond.facts.items())


def _holds(rule: Rule, ev: Evidence) -> bool:
    if not _condition_holds(rule.when, ev):
        return False
    return not rule.when_any or any(_condition_holds(c, ev) for c in rule.when_any)


def _because(rule: Rule, ev: Evidence) -> str:
    """The evidence behind the present flags a rule relied on, for its reason line."""
    names = [n for n, s in rule.when.flags.items() if s is State.PRESENT]
    for cond in rule.when_any:
        if _condition_holds(cond, ev):
            names += [n for n, s in cond.flags.items() if s is State.PRESENT]
            break
    bits = [f"{n} ({ev.present[n].source}: {ev.present[n].evidence!r})" for n in dict.fromkeys(names) if n in ev.present]
    return f" [{'; '.join(bits)}]" if bits else ""


def _rank(rule: Rule) -> int:
    return rule.priority if rule.priority is not None else 99


def _safety_floor(ev: Evidence, responders: set[Responder]) -> set[Responder]:
    needs = set(ev.present)
    if not responders - {Responder.TEAM, Responder.PHONE}:
        # Nobody but the team or the phone would go (or nobody at all): a standing
        # uncertainty brings what the dangers it cannot rule out would need.
        for name in UNCERTAINTY_FLAGS.keys() & ev.present.keys():
            needs |= UNCERTAINTY_FLAGS[name]
    missing: set[Responder] = set()
    if NEEDS_POLICE & needs and Responder.POLICE not in responders:
        missing.add(Responder.POLICE)
    if NEEDS_EMS & needs and Responder.EMS not in responders:
        missing.add(Responder.EMS)
    return missing


def _ineligible_reason(ev: Evidence) -> str:
    for name in ("weapon", "violence", "self_harm_in_progress", "overdose", "medical"):
        if name in ev.present:
            return name
    return NO_MENTAL_HEALTH_COMPONENT
