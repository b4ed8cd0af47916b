"""Context: is a concept found in the text present, denied or uncertain? (NegEx / ConText)

The clinical-NLP way (Chapman et al., NegEx 2001 and ConText 2009): *triggers* (``no``,
``denies``, ``unk if``...) have a direction and a scope. Here:

- a **forward** trigger reaches the first concept after it, across at most
  ``MAX_FILLER`` other words (``does not have any weapons``); a trigger that denies a noun
  phrase (``no``, ``denies``, ``sin``: ``lexicon/context/noun_negators.txt``) only across the
  noun's determiners and modifiers (``lexicon/context/noun_fillers.txt``: ``NO KNOWN
  WEAPONS``; in ``NO DRUGS HAS A KNIFE`` the knife stands), and on through a list of
  concepts joined by connectors (``no weapons or drugs``, ``denies si/hi``). Its scope ends
  at a terminator (punctuation, ``but``...), and at the first word after a concept that does
  not continue the list, so ``NO WEAPONS HE HAS A KNIFE`` denies the weapons, not the knife;
- a **backward** trigger reaches the concept just before it: ``WEAPONS: NO``,
  ``SI DENIED``, ``WEAPONS?``. A bare ``no`` after a concept only denies it when it ends the
  clause (``WEAPONS NO /``) or begins the next item of such a list (``WEAPONS NO DRUGS NO``):
  in ``SUBJ HAS GUN NO SHOTS FIRED`` the ``no`` is a forward trigger of ``shots fired``;
- pseudo-triggers (``unk dest``, ``no change``) are consumed before triggers;
- of the triggers whose scope covers a concept, the nearest decides; uncertainty makes the
  concept *unknown* (neither raised nor denied), negation makes it *denied*.

Triggers, terminators, connectors and pseudo-triggers are data (``lexicon/context/``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Trigger, phrase_index, trigger_index, word_set
from .tokens import Kind, Token, token_at

#: Words a forward trigger may reach across before its concept ("does not have any weapons").
MAX_FILLER = 4
#: Words allowed between a concept and a backward trigger ("WEAPONS INVOLVED: NO").
_BACKWARD_FILLER = frozenset({"involved", "seen", "present", "reported", "noted", "at", "this", "time", "on", "scene"})
_HARD_CONNECTORS = frozenset({"or", "nor", "ni", "o"})
_SEPARATORS = frozenset({":", "=", "?", "-"})


@dataclass(frozen=True)
class Verdict:
    kind: str  # "present" | "denied" | "unknown"
    start: int  # the evidence span: the concept, widened to take in its trigger
    end: int


_FORWARD = frozenset({"forward", "clause-start"})
_BACKWARD = frozenset({"backward", "backward-end"})


class Context:
    """The triggers of one text, found once, and the verdict on each concept in it.

    ``concepts`` are the character spans of everything the reader found (every cue of every
    flag): another concept ends a trigger's reach unless the list goes on.
    """

    def __init__(self, text: str, tokens: list[Token], concepts: list[tuple[int, int]]) -> None:
        self.text = text
        self.tokens = tokens
        n = len(tokens)
        self.concept_of = [-1] * n
        self.ranges: list[tuple[int, int]] = []
        for start, end in sorted(concepts):
            i, j = self._token_range(start, end)
            if i >= j:
                continue
            if self.ranges and i < self.ranges[-1][1]:  # overlapping concepts make one
                i0, j0 = self.ranges[-1]
                self.ranges[-1] = (i0, max(j0, j))
            else:
                self.ranges.append((i, j))
            for k in range(i, max(j, self.ranges[-1][1])):
                self.concept_of[k] = len(self.ranges) - 1
        terminators = word_set("context/terminators.txt")
        self.is_terminator = [
            t.kind is Kind.PUNCT or (t.kind is Kind.WORD and t.norm in terminators and self.concept_of[k] < 0)
            for k, t in enumerate(tokens)
        ]
        self.connectors = word_set("context/connectors.txt")
        self.noun_fillers = word_set("context/noun_fillers.txt")
        self.noun_negators = word_set("context/noun_negators.txt")
        self.words = [t.norm for t in tokens]
        self.forward: list[tuple[int, int, Trigger]] = []  # (first token, end token, trigger)
        pseudo = phrase_index("context/pseudo.txt")
        forward = trigger_index(_FORWARD)
        k = 0
        while k < n:
            if self.concept_of[k] >= 0:
                k += 1
                continue
            skip = pseudo.find(self.words, k)
            if skip is not None:
                k += len(skip[0])
                continue
            hit = forward.find(self.words, k)
            if hit is None:
                k += 1
                continue
            words, value = hit
            assert isinstance(value, Trigger)
            if any(self.concept_of[k + m] >= 0 for m in range(len(words))):
                k += 1
                continue
            if value.direction == "clause-start" and k > 0 and not self.is_terminator[k - 1]:
                k += len(words)
                continue
            self.forward.append((k, k + len(words), value))
            k += len(words)

    def _token_range(self, start: int, end: int) -> tuple[int, int]:
        i = token_at(self.tokens, start)
        j = i
        while j < len(self.tokens) and self.tokens[j].start < end:
            j += 1
        return i, j

    # -- forward ------------------------------------------------------------------------
    def _bare_item(self, concept: int) -> bool:
        """The concept ends its clause or is followed by a connector (a list item)."""
        after = self.ranges[concept][1]
        return (
            after >= len(self.tokens)
            or self.is_terminator[after]
            or self._connector(after)
            or self._backward_at(after) is not None
        )

    def _covers(self, trigger_end: int, target: int, noun_phrase: bool = False) -> bool:
        """Does a forward trigger ending at token ``trigger_end`` reach concept ``target``?
        A ``noun_phrase`` trigger ("NO", "DENIES") only reaches across determiners and
        modifiers of its noun (``lexicon/context/noun_fillers.txt``)."""
        k, filler = trigger_end, 0
        while k < len(self.tokens):
            c = self.concept_of[k]
            if c == target:
                return True
            if c >= 0:  # another concept first: only a list carries the trigger on
                k = self.ranges[c][1]
                hard = False
                while k < len(self.tokens) and self.concept_of[k] < 0 and self._connector(k):
                    hard = hard or self.tokens[k].norm in _HARD_CONNECTORS
                    k += 1
                if k >= len(self.tokens) or self.concept_of[k] < 0:
                    return False
                if not hard and not self._bare_item(self.concept_of[k]):
                    return False
                continue
            if self.is_terminator[k]:
                return False
            if noun_phrase and self.tokens[k].norm not in self.noun_fillers:
                return False  # "NO DRUGS HAS A KNIFE": the noun phrase ended at "drugs"
            filler += 1
            if filler > MAX_FILLER:
                return False
            k += 1
        return False

    def _connector(self, k: int) -> bool:
        """A list connector: ``or``, ``and``...; a slash only when glued (``WEAPONS/DRUGS``,
        not ``NO WEAPONS / PILLS``, where it ends the clause); never a comma."""
        token = self.tokens[k]
        if token.norm == "/":
            before = self.text[token.start - 1 : token.start]
            after = self.text[token.end : token.end + 1]
            return bool(before.strip() and after.strip())
        return token.kind is not Kind.PUNCT and token.norm in self.connectors

    # -- backward -----------------------------------------------------------------------
    def _backward_at(self, k: int) -> tuple[Trigger, int, int] | None:
        """A backward trigger reading the concept that ends just before token ``k``:
        (trigger, first token, end token), or None."""
        while k < len(self.tokens) and self.tokens[k].norm in _BACKWARD_FILLER and self.concept_of[k] < 0:
            k += 1
        if k >= len(self.tokens):
            return None
        first = k
        separator = None
        if self.tokens[k].norm in _SEPARATORS:
            separator = self.tokens[k].norm
            k += 1
        hit = trigger_index(_BACKWARD).find(self.words, k) if k < len(self.words) else None
        if hit is not None:
            trig = hit[1]
            assert isinstance(trig, Trigger)
            end = k + len(trig.words)
            if trig.direction == "backward":
                if trig.words == ("?",):
                    if separator is None:
                        return trig, first, end
                elif trig.category == "negated" or separator is not None:
                    # "SI DENIED", "WEAPONS: UNK"; a bare "WEAPONS UNK" stays a finding (safety first)
                    return trig, first, end
            elif separator in (":", "=", "?") or end >= len(self.tokens) or self.is_terminator[end]:
                return trig, first, end
            else:
                nxt = self.concept_of[end]
                if nxt >= 0 and self._backward_at(self.ranges[nxt][1]) is not None:
                    return trig, first, end  # "WEAPONS NO DRUGS NO"
        if separator == "?":
            return Trigger("backward", "uncertain", ("?",)), first, first + 1
        return None

    # -- the verdict ----------------------------------------------------------------------
    def judge(self, start: int, end: int) -> Verdict:
        """The verdict on the concept at ``text[start:end]`` (one of the concepts given)."""
        i, j = self._token_range(start, end)
        if i >= j:
            return Verdict("present", start, end)
        target = self.concept_of[i]
        for a, b, trig in reversed(self.forward):
            if b > i:
                continue
            if self._covers(b, target, noun_phrase=trig.category == "negated" and trig.words[0] in self.noun_negators):
                kind = "unknown" if trig.category == "uncertain" else "denied"
                return Verdict(kind, self.tokens[a].start if kind == "denied" else start, end)
            if any(self.is_terminator[k] for k in range(b, i)):
                break  # triggers further back are in an earlier clause
        found = self._backward_at(self.ranges[target][1])
        if found is not None:
            trig, _, stop = found
            if trig.category == "uncertain":
                return Verdict("unknown", start, end)
            return Verdict("denied", start, self.tokens[stop - 1].end)
        return Verdict("present", start, end)

    def words_before(self, start: int, count: int) -> list[str]:
        """Up to ``count`` words just before ``text[start:]``, within its clause."""
        k = token_at(self.tokens, start) - 1
        out: list[str] = []
        while k >= 0 and len(out) < count and not self.is_terminator[k]:
            if self.tokens[k].kind is Kind.WORD:
                out.append(self.tokens[k].norm)
            k -= 1
        return out[::-1]
