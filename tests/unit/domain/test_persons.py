"""The person index's rules (issue 14 item 2): suggestions that never link, partial dates of
birth, phone digits, merges that an unmerge undoes exactly, histories that list only the
person's own incidents and those of records merged into them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisis_dispatch.adapters.name_matching import name_similarity
from crisis_dispatch.domain.errors import Conflict, InvalidInput
from crisis_dispatch.domain.persons import (
    BirthDate,
    Person,
    PersonQuery,
    canonical,
    check_merge,
    description_words,
    history,
    members,
    new_person,
    normalise_name,
    phone_digits,
    suggest,
)

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def make(ident: str, *names: str, dob: str | None = None, phones: tuple[str, ...] = (), description: str = "") -> Person:
    return new_person(ident, names=names, dob=dob, phones=phones, description=description, by="disp", now=NOW)


# ----------------------------------------------------------------------------- values
@pytest.mark.parametrize(
    ("text", "expected"),
    [("1984-03-07", BirthDate(1984, 3, 7)), ("1984-03", BirthDate(1984, 3)), ("1984", BirthDate(1984)), ("", None), (None, None)],
)
def test_a_date_of_birth_may_be_whole_partial_or_unknown(text: str | None, expected: BirthDate | None) -> None:
    assert BirthDate.parse(text) == expected
    if expected is not None:
        assert str(expected) == text


@pytest.mark.parametrize("text", ["07/03/1984", "1984-13", "1984-02-30", "1850", "2027-01-01", "84"])
def test_a_date_of_birth_that_is_no_date_or_not_possible_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="date of birth"):
        BirthDate.parse(text, today=NOW.date())


def test_dates_of_birth_agree_as_far_as_both_are_known_and_disagree_on_any_part() -> None:
    full = BirthDate(1984, 3, 7)
    assert full.compare(BirthDate(1984, 3, 7))[0] == 1.0
    assert full.compare(BirthDate(1984, 3))[0] == 0.8
    assert full.compare(BirthDate(1984)) == (0.6, "year of birth matches (1984)")
    assert full.compare(BirthDate(1984, 3, 8))[0] == 0.0
    assert full.compare(BirthDate(1985))[0] == 0.0


def test_names_phones_and_descriptions_are_compared_on_what_identifies() -> None:
    assert normalise_name("  José  O'Neil ") == "jose o neil"
    assert phone_digits("+1 (213) 555-0100") == phone_digits("213.555.0100") == "2135550100"
    assert description_words("Tall man with a GREY beard, about 40") == {"tall", "man", "grey", "beard", "40"}


def test_a_person_needs_a_name_or_a_description_and_valid_phones() -> None:
    with pytest.raises(InvalidInput, match="name .* or a description"):
        make("P1")
    with pytest.raises(InvalidInput, match="7 digits"):
        make("P1", "John", phones=("555-01",))
    person = make("P1", "John Smith", "Johnny", "John Smith", description="  tall  ")
    assert person.names == ("John Smith", "Johnny") and person.description == "tall" and person.name == "John Smith"


# ----------------------------------------------------------------------------- suggestions
def test_suggestions_rank_by_score_and_say_why() -> None:
    john = make("P1", "John Smith", "Johnny", dob="1984-03-07", phones=("213-555-0100",), description="grey beard, tall")
    mary = make("P2", "Mary Jones", dob="1990")
    jon = make("P3", "Jon Smyth", dob="1962")
    found = suggest(PersonQuery(name="John Smith", dob="1984-03"), [mary, jon, john], name_similarity=name_similarity)
    # A differing date of birth lowers the score and is said; Mary Jones is not suggested at all.
    assert [c.person.id for c in found] == ["P1", "P3"] and found[0].score == 92.9 and found[1].score < 60
    assert "date of birth differs (1962 here, 1984-03 searched)" in found[1].reasons
    assert found[0].reasons == ("name 'John Smith' is 100% like 'John Smith'", "year and month of birth match (1984-03)")
    by_phone = suggest(PersonQuery(phone="(213) 555 0100", name="Bob"), [mary, jon, john], name_similarity=name_similarity)
    assert [c.person.id for c in by_phone] == ["P1"] and "phone matches (ending 0100)" in by_phone[0].reasons
    by_alias = suggest(PersonQuery(name="johnny"), [john], name_similarity=name_similarity)
    assert by_alias[0].reasons[0] == "name 'Johnny' (alias) is 100% like 'johnny'"
    by_looks = suggest(PersonQuery(description="grey beard"), [john, mary], name_similarity=name_similarity)
    assert [c.person.id for c in by_looks] == ["P1"] and by_looks[0].reasons == ("description shares: beard, grey",)


def test_a_merged_record_is_never_suggested_its_survivor_is() -> None:
    a, b = make("A", "John Smith"), make("B", "John Smith")
    merged = b.merge_into(a, by="disp", now=NOW)
    assert [c.person.id for c in suggest(PersonQuery(name="John Smith"), [a, merged], name_similarity=name_similarity)] == ["A"]


# ----------------------------------------------------------------------------- merges
def test_merges_refuse_the_same_record_and_already_merged_ones() -> None:
    a, b, c = make("A", "A"), make("B", "B"), make("C", "C")
    with pytest.raises(InvalidInput):
        check_merge(a, a)
    b2 = b.merge_into(a, by="disp", now=NOW)
    with pytest.raises(Conflict, match="already merged"):
        check_merge(b2, c)
    with pytest.raises(Conflict, match="merge into A"):
        check_merge(c, b2)
    assert b2.unmerge() == b
    with pytest.raises(Conflict):
        b.unmerge()


IDS = [f"P{i}" for i in range(6)]


@st.composite
def index(draw: st.DrawFn) -> tuple[dict[str, str | None], dict[str, str]]:
    """A merge state reached by valid merges only, and links of incidents to any record."""
    merged_into: dict[str, str | None] = dict.fromkeys(IDS)
    for _ in range(draw(st.integers(0, 5))):
        absorbed, survivor = draw(st.sampled_from(IDS)), draw(st.sampled_from(IDS))
        if absorbed != survivor and merged_into[absorbed] is None and merged_into[survivor] is None:
            merged_into[absorbed] = survivor
    links = draw(st.dictionaries(st.sampled_from([f"I{i}" for i in range(12)]), st.sampled_from(IDS), max_size=12))
    return merged_into, links


@settings(max_examples=300, deadline=None)
@given(index(), st.sampled_from(IDS), st.sampled_from(IDS))
def test_merge_then_unmerge_restores_every_history_exactly(state, absorbed: str, survivor: str) -> None:
    merged_into, links = state
    if absorbed == survivor or merged_into[absorbed] is not None or merged_into[survivor] is not None:
        return
    before = {p: history(p, links, merged_into) for p in IDS}
    after_merge = merged_into | {absorbed: survivor}
    assert history(survivor, links, after_merge) == before[survivor] | before[absorbed]
    assert canonical(absorbed, after_merge) == survivor
    after_unmerge = after_merge | {absorbed: None}
    assert {p: history(p, links, after_unmerge) for p in IDS} == before


@settings(max_examples=300, deadline=None)
@given(index(), st.sampled_from(IDS))
def test_a_history_lists_only_incidents_linked_to_the_person_or_to_records_merged_into_them(state, person: str) -> None:
    merged_into, links = state
    group = members(person, merged_into)
    for incident, linked in links.items():
        merged_into_person = linked == person or person in _chain(linked, merged_into)
        assert (incident in history(person, links, merged_into)) == merged_into_person
        assert (linked in group) == merged_into_person
    # Every incident belongs to exactly one record that stands for itself.
    standing = [p for p in IDS if merged_into[p] is None]
    for incident in links:
        assert sum(incident in history(p, links, merged_into) for p in standing) == 1


def _chain(person: str, merged_into: dict[str, str | None]) -> list[str]:
    out, current = [], merged_into[person]
    while current is not None:
        out.append(current)
        current = merged_into[current]
    return out


names = st.text(alphabet="abcdefghij ", min_size=1, max_size=12).filter(str.strip)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(names, st.sampled_from([None, "1980", "1980-05", "1980-05-01", "1991-02-03"])), max_size=8),
    names,
    st.sampled_from(["", "1980", "1980-05-01"]),
    st.booleans(),
)
def test_a_search_only_suggests_records_it_was_given_best_first(people, name: str, dob: str, merge_first: bool) -> None:
    records = [make(f"P{i}", n, dob=d) for i, (n, d) in enumerate(people)]
    if merge_first and len(records) >= 2:
        records[1] = records[1].merge_into(records[0], by="disp", now=NOW)
    before = list(records)
    found = suggest(PersonQuery(name=name, dob=dob), records, name_similarity=name_similarity)
    assert records == before  # nothing given was changed (frozen records; a search links nothing)
    assert all(c.person in records and not c.person.merged for c in found)
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert all(0 <= c.score <= 100 for c in found)
