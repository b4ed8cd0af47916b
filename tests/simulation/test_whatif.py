"""Protocol checks before a what-if or sweep runs, and tier mixes in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_dispatch.simulation.scenario import ScenarioError
from crisis_dispatch.simulation.whatif import check_protocol, describe_tier_mix


@pytest.mark.parametrize("name", ["default", "narrow-2019", "default.yaml"])
def test_packaged_protocols_pass_the_check(name: str) -> None:
    check_protocol(name)


def test_an_unknown_protocol_names_the_packaged_ones() -> None:
    with pytest.raises(ScenarioError, match=r"protocol 'nosuch' not found.*packaged: default, narrow-2019"):
        check_protocol("nosuch")


def test_a_bad_protocol_file_is_reported_with_every_error_on_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: x\nrules: 3\n")
    with pytest.raises(ScenarioError) as info:
        check_protocol(str(bad))
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"protocol '{bad}': 5 errors: ")


def test_a_tier_mix_reads_as_percentages_largest_first() -> None:
    assert describe_tier_mix({"EMS": 0.1102, "MH_TEAM": 0.052, "POLICE": 0.8378}) == "POLICE 84 %, EMS 11 %, MH_TEAM 5.2 %"


def test_a_file_named_like_a_packaged_protocol_is_checked_as_the_run_will_load_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "default.yaml").write_text("version: x\nrules: 3\n")  # an edited copy, broken
    with pytest.raises(ScenarioError, match=r"protocol 'default.yaml': 5 errors"):
        check_protocol("default.yaml")
