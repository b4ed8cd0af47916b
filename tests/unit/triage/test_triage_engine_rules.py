"""The default protocol, rule by rule: the published gate with co-response."""

from __future__ import annotations

from crisis_dispatch.domain.triage import NOT_TRIAGED, SAFETY_FLOOR_RULE, CallInput, Tier, triage

from .builders import CALM_ANSWERS, careless, default, narrow, run


def test_weapon_reported_never_goes_to_team_alone() -> None:
    result = run(call_type="EDP", narrative="PT HAS A KNIFE")
    assert result.tier is Tier.MH_TEAM_WITH_POLICE
    assert "weapon-police" in result.rules_fired
    assert any("KNIFE" in reason for reason in result.reasons)


def test_violence_toward_others_brings_police_and_a_possible_hold() -> None:
    result = run(call_type="MENTAL", narrative="SON PUNCHED HIS FATHER")
    assert result.tier is Tier.MH_TEAM_WITH_POLICE and result.hold_possible


def test_a_medical_emergency_brings_ems() -> None:
    assert run(call_type="PSYCHIATRIC", narrative="PT UNCONSCIOUS").tier is Tier.MH_TEAM_WITH_EMS


def test_an_overdose_without_mental_health_goes_to_ems_and_records_why() -> None:
    result = run(call_type="OVERDOSE", narrative="ACCIDENTAL, 2 YO ATE PILLS")
    assert result.tier is Tier.EMS
    assert result.screened_out == "overdose"
    assert result.priority == 1


def test_an_attempt_in_progress_brings_ems_and_the_team() -> None:
    result = run(code="25B3", narrative="CUT HER WRISTS")
    # (the safety net may add police for the blade, as the blind labels count one)
    assert result.tier.includes_ems and result.tier.includes_team and result.hold_possible
    assert run(code="25B3", narrative="CUT HER WRISTS", answers={"weapon": "no"}).tier is Tier.MH_TEAM_WITH_EMS


def test_an_overdose_with_a_knife_beside_the_person_covers_both_dangers() -> None:
    result = run(call_type="OVERDOSE", narrative="INTENTIONAL OD, KNIFE NEXT TO HIM, SUICIDAL")
    assert result.tier is Tier.MH_TEAM_WITH_POLICE_AND_EMS
    assert {"weapon-police", "overdose-ems", "crisis-team"} <= set(result.rules_fired)


def test_suicidal_talk_with_a_weapon_at_hand_brings_ems_too() -> None:
    result = run(call_type="PSYCH", narrative="HAS A GUN, THREATENING TO KILL HERSELF")
    assert result.tier.includes_police and result.tier.includes_ems


def test_a_calm_mental_health_call_goes_to_the_team_alone() -> None:
    result = run(call_type="PSYCHIATRIC", narrative="PT ANXIOUS, NO WEAPONS, NOT VIOLENT")
    assert result.tier is Tier.MH_TEAM
    assert result.screened_out is None
    assert result.priority == 3


def test_a_calm_caller_with_every_danger_ruled_out_is_served_by_988() -> None:
    result = run(answers=CALM_ANSWERS)
    assert result.tier is Tier.PHONE_988
    assert result.priority == 4 and result.determinant == "CD-4-PH"


def test_one_unknown_answer_keeps_the_team_instead_of_the_phone() -> None:
    answers = dict(CALM_ANSWERS, weapon="unknown")
    assert run(answers=answers).tier is Tier.MH_TEAM


def test_a_welfare_check_or_intoxication_alone_is_team_eligible() -> None:
    assert run(call_type="WELFARE CHECK").tier is Tier.MH_TEAM
    assert run(code="INTOX").tier is Tier.MH_TEAM


def test_nothing_usable_goes_to_the_default_responder_as_not_triaged() -> None:
    result = run(call_type="", narrative="")
    assert result.tier is Tier.POLICE
    assert result.screened_out == NOT_TRIAGED
    assert result.rules_fired == ("default-responder",)


def test_a_judged_call_with_no_mental_health_is_kept_apart_from_not_triaged() -> None:
    result = run(call_type="TRAFFIC STOP")
    assert result.tier is Tier.POLICE and result.screened_out == "no_mental_health_component"


def test_a_minor_is_noted_for_5585_holds() -> None:
    result = run(call_type="PSYCH", narrative="15 YOF CRYING")
    assert "minor-5585" in result.rules_fired and "MN" in result.determinant


def test_explicit_answers_outrank_codes_and_narrative() -> None:
    result = run(call_type="MENTAL VIOLENT - ARMED", narrative="HAS A KNIFE", answers={"weapon": "no", "violence": "no"})
    assert not result.tier.includes_police
    assert "weapon" not in result.flag_names
    assert any("overruled by answer" in reason for reason in result.reasons)


def test_a_code_outranks_a_narrative_denial() -> None:
    result = run(code="25B3W", narrative="NO WEAPONS")
    assert result.tier.includes_police
    assert next(f for f in result.flags if f.name == "weapon").source == "code"


def test_a_yes_answer_raises_the_flag_whatever_the_narrative_says() -> None:
    result = run(narrative="NO WEAPONS", answers={"weapon": "yes", "mental_health_concern": "yes"})
    assert result.tier is Tier.MH_TEAM_WITH_POLICE


def test_an_answer_to_an_unknown_question_is_ignored_with_a_reason() -> None:
    result = run(call_type="EDP", answers={"favourite_colour": "blue"})
    assert any("favourite_colour" in reason for reason in result.reasons)


def test_the_same_call_always_gives_the_same_result() -> None:
    call = CallInput(id="x", call_type="OVERDOSE", narrative="SUICIDAL, TOOK PILLS, BF HAS A GUN", code="23C1I")
    assert len({repr(triage(call, default())) for _ in range(5)}) == 1


def test_the_narrow_pilot_keeps_unscreened_calls_from_the_team() -> None:
    result = run(call_type="PSYCHIATRIC", protocol=narrow())
    assert result.tier is Tier.POLICE and result.screened_out == NOT_TRIAGED
    assert run(answers=CALM_ANSWERS, protocol=narrow()).tier is Tier.MH_TEAM


def test_the_narrow_pilot_screens_a_weapon_out_entirely() -> None:
    result = run(call_type="PSYCH", narrative="HAS A KNIFE", answers=CALM_ANSWERS | {"weapon": "yes"}, protocol=narrow())
    assert result.tier is Tier.POLICE and result.screened_out == "weapon"


def test_the_safety_floor_catches_a_protocol_that_forgets_police() -> None:
    protocol = careless()
    result = triage(CallInput(id="x", call_type="EDP", narrative="PT HAS A GUN"), protocol)
    assert result.tier.includes_police and result.tier.includes_team
    assert result.rules_fired[-1] == SAFETY_FLOOR_RULE and result.priority == 1


def test_a_not_understood_answer_is_noted_without_quoting_what_was_typed() -> None:
    result = run(call_type="EDP", answers={"weapon": "caller Jane Roe 555-0100 unsure"})
    assert "weapon" not in result.flag_names
    assert any("answer 'weapon' not understood" in reason for reason in result.reasons)
    assert not any("Jane" in reason or "555" in reason for reason in result.reasons)
