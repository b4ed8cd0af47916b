"""Recommendation rules on plain objects: staffing, capabilities, holds, committed units, ties."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.domain.dispatch import Candidate, Needs, recommend
from crisis_dispatch.domain.outcomes import HoldType
from crisis_dispatch.domain.unit import Qualification, Role, Staff, Unit, UnitStatus
from tests.unit.domain.builders import decided

NOW = datetime(2026, 11, 27, 18, tzinfo=UTC)


def crew(tag: str, *, hold: set[Qualification] | None = None, licensed: bool = True) -> dict[Role, Staff]:
    quals = {
        Role.PSYCHIATRIC_TECHNICIAN: hold or set(),
        Role.CLINICAL_DRIVER: {Qualification.DRIVER_LICENSE} if licensed else set(),
        Role.PEER_SUPPORT_SPECIALIST: set(),
    }
    return {r: Staff(id=f"{tag}-{r.value}", name=f"{tag} {r.value}", roles={r}, qualifications=quals[r]) for r in Role}


def van(sign: str, status: UnitStatus = UnitStatus.AVAILABLE, caps: set[str] | None = None) -> Unit:
    return Unit(id=f"u-{sign}", call_sign=sign, station_id="s", status=status, capabilities=caps or {"transport"})


def test_a_van_whose_clinical_driver_holds_no_licence_is_not_sent() -> None:
    cands = [Candidate(van("A"), crew("a", licensed=False)), Candidate(van("B"), crew("b"))]
    rec = recommend(cands, Needs(), {"u-A": 100.0, "u-B": 900.0})
    assert [r.call_sign for r in rec.ranked] == ["B"]
    assert rec.excluded[0].unit_id == "u-A"
    assert any("holds no driver licence" in reason for reason in rec.excluded[0].reasons)


def test_the_fastest_free_staffed_van_comes_first() -> None:
    cands = [Candidate(van("A"), crew("a")), Candidate(van("B"), crew("b")), Candidate(van("C"), crew("c"))]
    rec = recommend(cands, Needs(), {"u-A": 900.0, "u-B": 300.0, "u-C": 600.0}, k=2)
    assert [r.call_sign for r in rec.ranked] == ["B", "C"]
    assert [r.rank for r in rec.ranked] == [1, 2]


def test_committed_and_understaffed_vans_are_excluded_with_their_reasons() -> None:
    partial = crew("p")
    del partial[Role.PEER_SUPPORT_SPECIALIST]
    cands = [
        Candidate(van("BUSY", UnitStatus.ON_SCENE), crew("b")),
        Candidate(van("SHORT"), partial),
        Candidate(van("OOS", UnitStatus.OUT_OF_SERVICE), crew("o")),
        Candidate(van("OK"), crew("k")),
    ]
    rec = recommend(cands, Needs(), {"u-OK": 100.0, "u-BUSY": 1.0, "u-SHORT": 1.0, "u-OOS": 1.0})
    assert [r.call_sign for r in rec.ranked] == ["OK"]
    reasons = {e.call_sign: e.reasons for e in rec.excluded}
    assert reasons["BUSY"] == ("it is on scene",)
    assert reasons["SHORT"] == ("no peer_support_specialist on shift",)
    assert reasons["OOS"] == ("it is out of service",)


def test_a_possible_hold_needs_a_designated_writer_on_board() -> None:
    cands = [Candidate(van("NEAR"), crew("n")), Candidate(van("FAR"), crew("f", hold={Qualification.HOLD_5150}))]
    rec = recommend(cands, Needs(hold=HoldType.WIC_5150), {"u-NEAR": 60.0, "u-FAR": 600.0})
    assert [r.call_sign for r in rec.ranked] == ["FAR"]
    assert "WIC 5150" in rec.excluded[0].reasons[0]


def test_a_minor_needs_a_5585_writer() -> None:
    needs = Needs.from_triage(decided(flags=("minor",), hold_possible=True))
    assert needs.hold is HoldType.WIC_5585
    assert Needs.from_triage(decided(hold_possible=False)).hold is None


def test_missing_capabilities_exclude() -> None:
    rec = recommend([Candidate(van("A"), crew("a"))], Needs(capabilities=frozenset({"wheelchair"})), {"u-A": 1.0})
    assert rec.ranked == () and rec.excluded[0].reasons == ("lacks wheelchair",)


def test_an_unreachable_van_is_excluded() -> None:
    rec = recommend([Candidate(van("A"), crew("a"))], Needs(), {"u-A": None})
    assert rec.excluded[0].reasons == ("cannot reach the incident by road",)


def test_equal_etas_break_ties_by_call_sign() -> None:
    cands = [Candidate(van(s), crew(s)) for s in ("C", "A", "B")]
    rec = recommend(cands, Needs(), {"u-A": 5.0, "u-B": 5.0, "u-C": 5.0})
    assert [r.call_sign for r in rec.ranked] == ["A", "B", "C"]


def test_k_must_be_positive() -> None:
    with pytest.raises(ValueError):
        recommend([], Needs(), {}, k=0)


@given(
    st.lists(st.tuples(st.sampled_from(list(UnitStatus)), st.one_of(st.none(), st.floats(0, 10_000))), min_size=0, max_size=12)
)
def test_ranking_is_sorted_and_holds_only_available_staffed_units(spec: list[tuple[UnitStatus, float | None]]) -> None:
    cands = [Candidate(van(f"V{i:02d}", status), crew(f"c{i}")) for i, (status, _) in enumerate(spec)]
    etas = {f"u-V{i:02d}": eta for i, (_, eta) in enumerate(spec)}
    rec = recommend(cands, Needs(), etas, k=50)
    keys = [(r.eta_s, r.call_sign) for r in rec.ranked]
    assert keys == sorted(keys)
    by_id = {c.unit.id: c.unit for c in cands}
    assert all(by_id[r.unit_id].status is UnitStatus.AVAILABLE for r in rec.ranked)
    assert len(rec.ranked) + len(rec.excluded) == len(cands)
