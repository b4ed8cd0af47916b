"""Metamorphic and property tests of the triage engine over families of wordings.

The regressions of ``test_triage_unseen_wording.py`` each came from a family of inputs
nobody had written a test for: a negation of something else after a danger ("SUBJ HAS GUN
NO SHOTS FIRED"), a one-letter typo ("cuting"), Spanish ("tiene una pistola"), text written
with other punctuation or case. Each property here says what must not change when the text
changes in a way that does not change the facts:

- a clause that negates something else never takes a responder away;
- a one-letter typo in a danger word of five letters or more still raises its flag;
- case, doubled spaces, a trailing period and ", " written " / " change no responder;
- a Spanish sentence raises the same flags, and brings the same responders, as its English;
- a calm text that rules the dangers out explicitly stays with the team alone;
- a weapon in a list of calm clauses keeps police in the response, in any clause order.

All texts are invented. Properties are not weakened to pass: a failing example is a reader
gap to fix, not a test to loosen.

The properties are stated for the rules (answers, codes, the reader, the protocol and its
safety floor: ``triage(..., safety_net=False)``). The learned safety net is statistical:
added words move its scores, so a finding it adds to one wording may be missing from another
(measured and reported in docs/triage.md). What holds for it is that it only adds:
``test_the_safety_net_only_adds_responders``.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crisis_dispatch.domain.triage import CallInput, Tier, TriageResult, triage
from crisis_dispatch.domain.triage.flags import FlagSource
from crisis_dispatch.domain.triage.reader import read_narrative
from crisis_dispatch.domain.triage.reader.lexicon import word_set
from crisis_dispatch.domain.triage.reader.typos import danger_words

from .builders import default

PROTOCOL = default()


def decide(narrative: str, call_type: str = "EDP", *, safety_net: bool = False) -> TriageResult:
    return triage(CallInput(id="m", call_type=call_type, narrative=narrative), PROTOCOL, safety_net=safety_net)


def responders(result: TriageResult) -> frozenset[str]:
    tier = result.tier
    pairs = (("police", tier.includes_police), ("ems", tier.includes_ems), ("team", tier.includes_team))
    return frozenset(name for name, present in pairs if present)


def emergency_responders(result: TriageResult) -> frozenset[str]:
    return responders(result) & {"police", "ems"}


COMPARED_FLAGS = frozenset({"weapon", "violence", "medical", "overdose", "self_harm_in_progress", "suicidal", "unreadable"})


def rule_flags(result: TriageResult) -> frozenset[str]:
    """The flags the reader and the codes raised (not the safety net), among the dangers."""
    return frozenset(f.name for f in result.flags if f.source is not FlagSource.CLASSIFIER) & COMPARED_FLAGS


SAFETY = frozenset({"weapon", "violence", "medical", "overdose", "self_harm_in_progress"})


# -- 1. a clause that negates something else never removes a responder -------------------------

#: Invented danger texts, each with the things it asserts (so no negation of the same thing is
#: appended: "HAS A GUN" + "NO GUN" is a contradiction, not a negation of something else).
DANGER_TEXTS: dict[str, frozenset[str]] = {
    "SUBJ HAS A KNIFE": frozenset({"weapon", "knife"}),
    "pt has a gun in his waistband": frozenset({"weapon", "gun"}),
    "RP ADV SUBJ ARMED WITH MACHETE": frozenset({"weapon"}),
    "holding a razor blade to her wrist": frozenset({"weapon", "selfharm", "suicidal"}),
    "PT WAVING A PISTOL": frozenset({"weapon", "gun"}),
    "SUBJ SHOT HIMSELF": frozenset({"weapon", "gun", "shots", "injury", "selfharm", "suicidal"}),
    "SUBJ PUNCHED HIS MOTHER": frozenset({"violence"}),
    "pt is combative with staff": frozenset({"violence"}),
    "THREATENING TO KILL HIS WIFE": frozenset({"violence", "threat"}),
    "he is hitting his girlfriend": frozenset({"violence"}),
    "BREAKING WINDOWS": frozenset({"violence"}),
    "PT UNCONSCIOUS": frozenset({"medical"}),
    "pt not breathing": frozenset({"medical", "breathing"}),
    "SUBJ BLEEDING FROM HEAD": frozenset({"medical", "injury"}),
    "having a seizure": frozenset({"medical"}),
    "PT UNRESPONSIVE ON FLOOR": frozenset({"medical"}),
    "PT TOOK A BOTTLE OF PILLS": frozenset({"drugs"}),
    "pt overdosed on heroin": frozenset({"drugs"}),
    "POSS OD ON XANAX": frozenset({"drugs"}),
    "she swallowed bleach": frozenset({"poison"}),
    "PT CUT HER WRISTS": frozenset({"selfharm", "injury", "suicidal"}),
    "pt is cutting herself right now": frozenset({"selfharm", "injury", "suicidal"}),
    "BELT AROUND HIS NECK": frozenset({"selfharm", "suicidal"}),
    "she has a noose around her neck": frozenset({"selfharm", "suicidal"}),
    "SUBJ ON BRIDGE READY TO JUMP": frozenset({"selfharm", "suicidal"}),
}

#: Clauses that negate something, with what they negate.
OTHER_NEGATIONS: dict[str, frozenset[str]] = {
    "NO SHOTS FIRED": frozenset({"shots"}),
    "NO INJURIES": frozenset({"injury"}),
    "no gun": frozenset({"gun"}),
    "neg 10-39": frozenset(),
    "NO ONE HURT": frozenset({"injury"}),
    "no drugs": frozenset({"drugs"}),
    "no weapons": frozenset({"weapon", "gun", "knife"}),
    "NOT VIOLENT": frozenset({"violence"}),
    "no pills taken": frozenset({"drugs"}),
    "denies SI": frozenset({"suicidal", "selfharm"}),
    "NO ETOH": frozenset({"alcohol"}),
    "no one else home": frozenset(),
    "NO KIDS IN THE HOME": frozenset(),
    "NO BLOOD": frozenset({"injury"}),
    "no medical hx": frozenset(),
    "NO PRIOR CALLS": frozenset(),
    "not under the influence": frozenset({"drugs", "alcohol"}),
    "no threats made": frozenset({"violence", "threat"}),
    "NO FIRE": frozenset(),
    "no vehicle involved": frozenset(),
}

#: Between the danger and the appended clause: nothing but a space (CAD text often has no
#: punctuation at all), or a terminator.
JOINS = [" ", "  ", ", ", ". ", " / ", " - ", "; ", "//", "..."]


@st.composite
def danger_then_other_negation(draw: st.DrawFn) -> tuple[str, str]:
    danger = draw(st.sampled_from(sorted(DANGER_TEXTS)))
    unrelated = sorted(n for n, negated in OTHER_NEGATIONS.items() if not negated & DANGER_TEXTS[danger])
    negation = draw(st.sampled_from(unrelated))
    if draw(st.booleans()):
        negation = negation.upper() if danger.isupper() else negation.lower()
    return danger, negation


@settings(max_examples=300, deadline=None)
@given(pair=danger_then_other_negation(), join=st.sampled_from(JOINS), call_type=st.sampled_from(["EDP", ""]))
def test_a_negation_of_something_else_never_removes_a_responder(pair: tuple[str, str], join: str, call_type: str) -> None:
    danger, negation = pair
    before = emergency_responders(decide(danger, call_type))
    after_result = decide(danger + join + negation, call_type)
    after = emergency_responders(after_result)
    assert before, f"{danger!r} should bring police or EMS on its own"
    assert after >= before, (danger + join + negation, sorted(before), sorted(after), sorted(after_result.flag_names))


@settings(max_examples=300, deadline=None)
@given(pair=danger_then_other_negation(), join=st.sampled_from(JOINS), call_type=st.sampled_from(["EDP", ""]))
def test_a_negation_of_something_else_never_removes_a_finding_of_the_reader(
    pair: tuple[str, str], join: str, call_type: str
) -> None:
    """The same property for the reader's own findings (codes and text, not the safety net):
    a failure here is the context module's negation scope reaching past its clause."""
    danger, negation = pair
    before = rule_flags(decide(danger, call_type)) & SAFETY
    after = rule_flags(decide(danger + join + negation, call_type)) & SAFETY
    assert after >= before, (danger + join + negation, sorted(before), sorted(after))


def test_every_danger_text_brings_police_or_ems_on_its_own() -> None:
    for danger in DANGER_TEXTS:
        for call_type in ("EDP", ""):
            assert emergency_responders(decide(danger, call_type)), (danger, call_type)


# -- 2. a one-letter typo in a danger word still raises its flag -------------------------------

#: English danger words of ``typos.txt`` → a carrier sentence (``{w}`` is the word) and the flag
#: the word raises there. "shooting" is left out: no plain sentence makes the reader read it as
#: a danger ("pt is shooting at people" raises nothing), so there is nothing for a typo to keep.
CARRIERS: dict[str, tuple[str, str]] = {
    "weapon": ("pt has a {w}", "weapon"),
    "weapons": ("pt has {w} in the house", "weapon"),
    "knife": ("pt has a {w}", "weapon"),
    "knives": ("pt has {w}", "weapon"),
    "rifle": ("pt has a {w}", "weapon"),
    "pistol": ("pt has a {w}", "weapon"),
    "handgun": ("pt has a {w}", "weapon"),
    "shotgun": ("pt has a {w}", "weapon"),
    "firearm": ("pt has a {w}", "weapon"),
    "revolver": ("pt has a {w}", "weapon"),
    "machete": ("pt has a {w}", "weapon"),
    "razor": ("pt has a {w}", "weapon"),
    "blade": ("pt has a {w}", "weapon"),
    "gunshot": ("pt has a {w} wound", "weapon"),
    "stabbed": ("pt {w} his brother", "weapon"),
    "stabbing": ("{w} in progress", "weapon"),
    "armed": ("pt is {w}", "weapon"),
    "violent": ("pt is {w}", "violence"),
    "violence": ("{w} in the home", "violence"),
    "assault": ("{w} on staff", "violence"),
    "assaulted": ("pt {w} his mother", "violence"),
    "assaulting": ("pt is {w} staff", "violence"),
    "combative": ("pt is {w}", "violence"),
    "aggressive": ("pt is {w}", "violence"),
    "homicidal": ("pt is {w}", "violence"),
    "fighting": ("pt is {w} with staff", "violence"),
    "punching": ("pt is {w} his brother", "violence"),
    "choking": ("pt is {w} his wife", "violence"),
    "strangling": ("pt is {w} his wife", "violence"),
    "bleeding": ("pt is {w}", "medical"),
    "bloody": ("pt has a {w} nose", "medical"),
    "unconscious": ("pt is {w}", "medical"),
    "unresponsive": ("pt is {w}", "medical"),
    "seizure": ("pt had a {w}", "medical"),
    "seizures": ("pt is having {w}", "medical"),
    "seizing": ("pt is {w}", "medical"),
    "breathing": ("pt is not {w}", "medical"),
    "overdose": ("pt took an {w}", "overdose"),
    "overdosed": ("pt {w} last night", "overdose"),
    "poisoning": ("alcohol {w}", "overdose"),
    "injury": ("pt has a head {w}", "medical"),
    "injured": ("pt is {w}", "medical"),
    "injuries": ("pt has {w}", "medical"),
    "cardiac": ("pt had a {w} event", "medical"),
    "fainted": ("pt {w}", "medical"),
    "suicide": ("pt threatening {w}", "suicidal"),
    "suicidal": ("pt is {w}", "suicidal"),
    "cutting": ("pt is {w} herself", "self_harm_in_progress"),
    "hanging": ("pt is {w} herself", "self_harm_in_progress"),
    "attempt": ("suicide {w} in progress", "self_harm_in_progress"),
    "attempted": ("pt {w} suicide", "self_harm_in_progress"),
    "noose": ("pt has a {w} around her neck", "self_harm_in_progress"),
}
TYPO_WORDS = sorted(w for w in CARRIERS if w in danger_words())
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def reader_flags(text: str) -> frozenset[str]:
    return read_narrative(text).names


@pytest.mark.parametrize("word", sorted(CARRIERS))
def test_each_carrier_raises_its_flag_through_its_danger_word(word: str) -> None:
    template, flag = CARRIERS[word]
    assert word in danger_words(), word
    assert len(word) >= 5
    assert flag in reader_flags(template.format(w=word)), template.format(w=word)
    # the flag comes from the word, not from the rest of the sentence
    assert flag not in reader_flags(template.format(w="zzzz")), template


@st.composite
def one_letter_typo(draw: st.DrawFn) -> tuple[str, str, str]:
    word = draw(st.sampled_from(TYPO_WORDS))
    kind = draw(st.sampled_from(["substitute", "delete", "insert", "swap"]))
    if kind == "substitute":
        i = draw(st.integers(0, len(word) - 1))
        typo = word[:i] + draw(st.sampled_from(LETTERS)) + word[i + 1 :]
    elif kind == "delete":
        i = draw(st.integers(0, len(word) - 1))
        typo = word[:i] + word[i + 1 :]
    elif kind == "insert":
        i = draw(st.integers(0, len(word)))
        typo = word[:i] + draw(st.sampled_from(LETTERS)) + word[i:]
    else:
        i = draw(st.integers(0, len(word) - 2))
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word, kind, typo


@settings(max_examples=400, deadline=None)
@given(case=one_letter_typo())
def test_a_one_letter_typo_in_a_danger_word_still_raises_its_flag(case: tuple[str, str, str]) -> None:
    word, kind, typo = case
    if typo == word or typo in word_set("real_words.txt") or typo in danger_words():
        return  # not a typo of this word but the word, or another real word
    template, flag = CARRIERS[word]
    text = template.format(w=typo)
    assert flag in reader_flags(text), (word, kind, text)


# -- 3. case, whitespace and punctuation change no decision ------------------------------------

CALM_TEXTS = [
    "PT IS ANXIOUS",
    "hearing voices",
    "denies SI, denies HI",
    "NO WEAPONS, NOT VIOLENT",
    "off his meds, pacing",
    "RP IS MOTHER, PT IS 34",
    "awake and breathing, cooperative",
    "WELFARE CHECK REQ",
    "pt is paranoid, thinks neighbors are watching",
    "NO INJURIES, NO DRUGS",
]
DANGER_FAMILY = sorted(DANGER_TEXTS) + [
    "SUBJ HAS GUN, NO SHOTS FIRED",
    "pt is cuting his arms, bleding alot",
    "RP STATES SUBJ HAS A KNIFE, NO INJURIES",
    "no weapons, he has a knife",
]
TRANSFORMS = {
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "double spaces": lambda s: s.replace(" ", "  "),
    "trailing period": lambda s: s + ".",
    "comma to slash": lambda s: s.replace(", ", " / "),
}


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.sampled_from(DANGER_FAMILY + CALM_TEXTS), min_size=1, max_size=3),
    transform=st.sampled_from(sorted(TRANSFORMS)),
    call_type=st.sampled_from(["EDP", ""]),
)
def test_case_whitespace_and_punctuation_change_no_responder(parts: list[str], transform: str, call_type: str) -> None:
    text = ", ".join(parts)
    changed = TRANSFORMS[transform](text)
    original, transformed = decide(text, call_type), decide(changed, call_type)
    assert responders(transformed) == responders(original), (
        transform,
        text,
        changed,
        str(original.tier),
        str(transformed.tier),
        sorted(original.flag_names ^ transformed.flag_names),
    )


# -- 4. Spanish flags the same as English ------------------------------------------------------

#: English → Spanish, the same facts. Compared: the flags the reader and the codes raise
#: (the safety net is a second opinion, trained on English pages) and the responders.
SPANISH: list[tuple[str, str]] = [
    # weapon
    ("he has a pistol", "tiene una pistola"),
    ("he has a knife", "tiene un cuchillo"),
    ("he has a weapon", "tiene un arma"),
    ("her son has a knife in his hand", "su hijo tiene un cuchillo en la mano"),
    # violence
    ("he is hitting his wife", "está golpeando a su esposa"),
    ("he is violent", "está violento"),
    ("threatening to kill his mother", "amenaza con matar a su madre"),
    # medical
    ("he is unconscious", "está inconsciente"),
    ("he is not breathing", "no respira"),
    ("he is bleeding", "está sangrando"),
    ("he is having seizures", "tiene convulsiones"),
    # overdose
    ("he took an overdose", "tomó una sobredosis"),
    ("she took pills", "se tomó pastillas"),
    # self-harm in progress
    ("she cut her wrists", "se cortó las venas"),
    ("she is cutting herself", "se está cortando"),
    # suicidal
    ("he wants to kill himself", "quiere matarse"),
    # negations
    ("he has no weapons", "no tiene armas"),
    ("without weapons", "sin armas"),
    ("denies weapons", "niega armas"),
    ("he is not violent", "no está violento"),
    ("he denies being suicidal", "niega ser suicida"),
    ("no weapons and not violent", "no tiene armas y no está violento"),
]


@pytest.mark.parametrize("call_type", ["EDP", ""])
@pytest.mark.parametrize(("english", "spanish"), SPANISH, ids=[s for _, s in SPANISH])
def test_spanish_raises_the_same_flags_as_english(english: str, spanish: str, call_type: str) -> None:
    en, es = decide(english, call_type), decide(spanish, call_type)
    assert rule_flags(es) == rule_flags(en), (english, sorted(rule_flags(en)), spanish, sorted(rule_flags(es)))


@pytest.mark.parametrize("call_type", ["EDP", ""])
@pytest.mark.parametrize(("english", "spanish"), SPANISH, ids=[s for _, s in SPANISH])
def test_spanish_brings_the_same_responders_as_english(english: str, spanish: str, call_type: str) -> None:
    en, es = decide(english, call_type), decide(spanish, call_type)
    assert responders(es) == responders(en), (english, str(en.tier), spanish, str(es.tier), sorted(es.flag_names))


@settings(max_examples=100, deadline=None)
@given(pair=st.sampled_from(SPANISH), upper=st.booleans(), call_type=st.sampled_from(["EDP", ""]))
def test_spanish_in_capitals_raises_what_it_raises_in_lower_case(pair: tuple[str, str], upper: bool, call_type: str) -> None:
    _, spanish = pair
    written = spanish.upper() if upper else spanish.lower()
    assert rule_flags(decide(written, call_type)) == rule_flags(decide(spanish, call_type)), written


# -- 5. calm texts with explicit negations stay with the team alone ----------------------------

NEGATED_DANGERS = [
    "no weapons",
    "not violent",
    "awake and breathing",
    "denies SI",
    "denies HI",
    "no drugs",
    "no injuries",
    "not suicidal",
    "no pills taken",
    "conscious and breathing",
    "no weapons in the home",
    "has not taken anything",
    "not combative",
    "no self harm",
    "not homicidal",
    "no guns or knives",
]
CALM_JOINS = [", ", ". ", " / ", "; ", " - "]

EXPLICIT_CALM = [
    "no weapons, not violent, awake and breathing",
    "NO WEAPONS, NOT VIOLENT, AWAKE AND BREATHING",
    "denies SI, denies HI, no weapons",
    "DENIES SI / DENIES HI / NO WEAPONS / NO DRUGS",
    "not violent, no injuries, conscious and breathing",
    "NO GUNS OR KNIVES. NOT COMBATIVE. AWAKE AND BREATHING.",
    "not suicidal, not homicidal, no weapons in the home",
    "has not taken anything, no self harm, not violent",
    "NO DRUGS; NO INJURIES; NOT VIOLENT",
    "no weapons - not violent - denies SI",
    "AWAKE AND BREATHING, NO WEAPONS, DENIES HI",
    "no self harm, no weapons, no drugs, not combative",
    "NOT HOMICIDAL / NOT SUICIDAL / NO WEAPONS",
    "no pills taken, no weapons, not violent",
    "conscious and breathing. no injuries. no guns or knives.",
    "DENIES SI, NOT VIOLENT, NO WEAPONS IN THE HOME, AWAKE AND BREATHING",
]


@pytest.mark.parametrize("text", EXPLICIT_CALM)
def test_an_explicitly_calm_text_sends_the_team_alone(text: str) -> None:
    result = decide(text, "EDP")
    assert result.tier is Tier.MH_TEAM, (text, str(result.tier), sorted(result.flag_names))


@settings(max_examples=200, deadline=None)
@given(
    phrases=st.lists(st.sampled_from(NEGATED_DANGERS), min_size=1, max_size=5, unique=True),
    join=st.sampled_from(CALM_JOINS),
    upper=st.booleans(),
)
def test_any_combination_of_negated_dangers_sends_the_team_alone(phrases: list[str], join: str, upper: bool) -> None:
    text = join.join(phrases)
    text = text.upper() if upper else text.lower()
    result = decide(text, "EDP")
    assert result.tier is Tier.MH_TEAM, (text, str(result.tier), sorted(result.flag_names))


# -- 6. a weapon among calm clauses keeps police, whatever the order ---------------------------

WEAPON_CLAUSES = [
    "has a knife",
    "HAS A GUN IN HIS WAISTBAND",
    "knife in his hand",
    "HOLDING A MACHETE",
    "pistol on the table",
    "SUBJ ARMED W/ BAT",
    "has a razor blade",
    "RIFLE IN THE CLOSET",
]
CALM_CLAUSES = [
    "pt is anxious",
    "HEARING VOICES",
    "denies SI",
    "no injuries",
    "NOT VIOLENT",
    "awake and breathing",
    "off his meds",
    "RP IS MOTHER",
    "pt is pacing",
    "NO DRUGS",
    "no one hurt",
    "NO SHOTS FIRED",
    "not suicidal",
    "cooperative with rp",
]
CLAUSE_JOINS = [" ", ", ", ". ", " / ", "; ", " - ", " // "]


@settings(max_examples=300, deadline=None)
@example(weapon="has a knife", calm=["NO DRUGS"], position=1, join=" ", call_type="EDP")
@given(
    weapon=st.sampled_from(WEAPON_CLAUSES),
    calm=st.lists(st.sampled_from(CALM_CLAUSES), min_size=1, max_size=4, unique=True),
    position=st.integers(min_value=0, max_value=4),
    join=st.sampled_from(CLAUSE_JOINS),
    call_type=st.sampled_from(["EDP", ""]),
)
def test_a_weapon_among_calm_clauses_keeps_police_in_any_order(
    weapon: str, calm: list[str], position: int, join: str, call_type: str
) -> None:
    clauses = list(calm)
    clauses.insert(min(position, len(clauses)), weapon)
    text = join.join(clauses)
    result = decide(text, call_type)
    assert "weapon" in result.flag_names, (text, sorted(result.flag_names))
    assert result.tier.includes_police, (text, str(result.tier))


@pytest.mark.parametrize("calm", CALM_CLAUSES)
def test_a_weapon_right_before_or_after_any_calm_clause_keeps_police(calm: str) -> None:
    """Every calm clause next to every weapon clause, in both orders, with every join: the
    neighbour of a weapon is where a negation's scope would reach it."""
    failures = []
    for weapon in WEAPON_CLAUSES:
        for join in CLAUSE_JOINS:
            for text in (calm + join + weapon, weapon + join + calm):
                result = decide(text, "EDP")
                if "weapon" not in result.flag_names or not result.tier.includes_police:
                    failures.append((text, str(result.tier)))
    assert not failures, failures


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.sampled_from(DANGER_FAMILY + CALM_TEXTS), min_size=1, max_size=3),
    join=st.sampled_from([", ", " / ", " ", ". "]),
    call_type=st.sampled_from(["EDP", "", "SUICIDE", "WELFARE CHECK"]),
)
def test_the_safety_net_only_adds_responders(parts: list[str], join: str, call_type: str) -> None:
    text = join.join(parts)
    rules, full = decide(text, call_type), decide(text, call_type, safety_net=True)
    assert responders(full) >= responders(rules) - {"team"}, (text, str(rules.tier), str(full.tier))
    # a finding may settle a doubt it covers (an attempt found settles "possible_attempt")
    assert rules.flag_names - {"possible_attempt", "possible_medical"} <= full.flag_names
    added = {f.name for f in full.flags if f.source is FlagSource.CLASSIFIER}
    assert added == full.flag_names - rules.flag_names - {"mental_health"} or not added
