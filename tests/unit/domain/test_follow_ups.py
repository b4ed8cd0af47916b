"""Follow-up tasks by rule, their states and retries, and warm hand-offs (issue 14 item 3)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_dispatch.adapters.config.errors import ConfigError
from crisis_dispatch.adapters.follow_up_data import load_follow_up_rules, load_providers, parse_follow_up_rules, parse_providers
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.errors import InvalidInput
from crisis_dispatch.domain.follow_ups import (
    FollowUpRule,
    FollowUpRules,
    FollowUpTask,
    HandOff,
    HandOffStatus,
    TaskKind,
    TaskResult,
    TaskStatus,
    overdue,
    tasks_for_close,
)
from crisis_dispatch.domain.outcomes import Disposition

T0 = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
RULES = load_follow_up_rules()


def ids() -> object:
    counter = itertools.count(1)
    return lambda: f"FUP-{next(counter)}"


def rule(**overrides: object) -> FollowUpRule:
    base = dict(
        id="r1",
        disposition=Disposition.TREATED_AND_RELEASED,
        kind=TaskKind.PHONE_CALL,
        due_after=timedelta(hours=72),
        owner_role=UserRole.DISPATCHER,
        attempts=3,
        retry_after=timedelta(hours=24),
        description="call",
    )
    return FollowUpRule(**(base | overrides))  # type: ignore[arg-type]


def first_task(disposition: Disposition = Disposition.TREATED_AND_RELEASED, at: datetime = T0) -> FollowUpTask:
    (task,) = tasks_for_close(RULES, incident_id="INC-1", disposition=disposition, closed_at=at, new_id=ids())  # type: ignore[arg-type]
    return task


# ----------------------------------------------------------------------------- the shipped rules
def test_the_shipped_rules_follow_the_issue() -> None:
    released = RULES.for_disposition(Disposition.TREATED_AND_RELEASED)
    assert [(r.kind, r.due_after) for r in released] == [(TaskKind.PHONE_CALL, timedelta(hours=72))]
    transported = RULES.for_disposition(Disposition.VOLUNTARY_TRANSPORT)
    assert [(r.kind, r.due_after) for r in transported] == [(TaskKind.FACILITY_CHECK, timedelta(hours=24))]
    declined = RULES.for_disposition(Disposition.DECLINED_SERVICES)
    assert declined and declined[0].attempts >= 2
    assert RULES.for_disposition(Disposition.NO_PERSON_FOUND) == ()


def test_a_rules_file_with_problems_names_each_with_its_place() -> None:
    text = """version: x
rules:
  - id: a
    disposition: sent_home
    kind: phone_call
    due_after_hours: 0
    owner_role: police_liaison
    attempts: 11
    description: d
  - id: a
    disposition: referred
    kind: letter
    due_after_hours: 5
    owner_role: dispatcher
    attempts: 1
    description: d
"""
    with pytest.raises(ConfigError) as err:
        parse_follow_up_rules(text)
    problems = err.value.problems
    assert any(p.startswith("rules[0].disposition: unknown disposition 'sent_home'") for p in problems)
    assert "rules[0].due_after_hours: input should be greater than 0" in problems
    assert any(p.startswith("rules[0].owner_role: a follow-up is owned by one of") for p in problems)
    assert any(p.startswith("rules[0].attempts:") for p in problems)
    assert any(p.startswith("rules[1].kind: unknown task kind 'letter'") for p in problems)
    with pytest.raises(ConfigError, match=r"line 1, column \d+: invalid YAML"):
        parse_follow_up_rules("version: [")


def test_the_provider_directory_is_data_with_its_source() -> None:
    providers = load_providers()
    assert len(providers) == 8 and len({p.id for p in providers}) == 8
    assert {p.kind for p in providers} == {"psychiatric_urgent_care", "sobering_center"}
    with pytest.raises(ConfigError, match="source: missing"):
        parse_providers("providers: []")
    with pytest.raises(ConfigError, match="provider ids used twice: x"):
        parse_providers("source: s\nproviders:\n  - {id: x, name: X, kind: k}\n  - {id: x, name: Y, kind: k}\n")


def test_a_rule_out_of_bounds_is_refused() -> None:
    with pytest.raises(InvalidInput, match="attempts"):
        FollowUpRules("v", (rule(attempts=0),))
    with pytest.raises(InvalidInput, match="due_after"):
        FollowUpRules("v", (rule(due_after=timedelta(0)),))
    with pytest.raises(InvalidInput, match="owner_role"):
        FollowUpRules("v", (rule(owner_role=UserRole.ANALYST),))
    with pytest.raises(InvalidInput, match="twice"):
        FollowUpRules("v", (rule(), rule()))


# ----------------------------------------------------------------------------- states
def test_reached_closes_the_task_on_time_without_a_retry() -> None:
    task = first_task()
    done, retry = task.complete(TaskResult.REACHED, by="disp", now=T0 + timedelta(hours=5), new_id=ids())  # type: ignore[arg-type]
    assert done.status is TaskStatus.DONE and done.result is TaskResult.REACHED and done.on_time() and retry is None
    with pytest.raises(InvalidInput, match="done"):
        done.complete(TaskResult.REACHED, by="disp", now=T0 + timedelta(hours=6), new_id=ids())  # type: ignore[arg-type]


def test_not_reached_opens_a_retry_due_after_the_retry_interval() -> None:
    task = first_task()
    when = T0 + timedelta(hours=80)
    done, retry = task.complete(TaskResult.NOT_REACHED, by="disp", now=when, new_id=lambda: "FUP-R")
    assert done.on_time() is False
    assert retry is not None and retry.id == "FUP-R" and retry.retry_of == task.id
    assert retry.attempt == 2 and retry.due_at == when + timedelta(hours=24) and retry.status is TaskStatus.OPEN


def test_overdue_is_open_and_past_due_at_now() -> None:
    task = first_task()
    assert not task.overdue(T0 + timedelta(hours=72))
    assert task.overdue(T0 + timedelta(hours=72, minutes=1))
    assert task.to_dict(T0 + timedelta(hours=73))["minutes_overdue"] == 60
    cancelled = task.cancel("moved out of the county", by="sup", now=T0 + timedelta(hours=1))
    assert not cancelled.overdue(T0 + timedelta(days=9)) and overdue([cancelled, task], T0 + timedelta(days=9)) == [task]


def test_cancelling_needs_a_reason_and_an_open_task() -> None:
    task = first_task()
    with pytest.raises(InvalidInput, match="reason"):
        task.cancel("  ", by="sup", now=T0)
    with pytest.raises(InvalidInput, match="cancelled"):
        task.cancel("x", by="sup", now=T0).assign("disp")


def test_a_task_cannot_be_done_before_it_exists() -> None:
    with pytest.raises(InvalidInput, match="before it was created"):
        first_task().complete(TaskResult.REACHED, by="d", now=T0 - timedelta(minutes=1), new_id=ids())  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- properties
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC))


@given(disposition=st.sampled_from(list(Disposition)), closed_at=moments)
def test_every_closed_outcome_gets_exactly_its_rules_tasks_due_after_the_close(
    disposition: Disposition, closed_at: datetime
) -> None:
    tasks = tasks_for_close(RULES, incident_id="INC-P", disposition=disposition, closed_at=closed_at, new_id=ids())  # type: ignore[arg-type]
    assert [t.rule_id for t in tasks] == [r.id for r in RULES.for_disposition(disposition)]
    assert len({t.id for t in tasks}) == len(tasks)
    for task, r in zip(tasks, RULES.for_disposition(disposition), strict=True):
        assert task.due_at > closed_at and task.due_at == closed_at + r.due_after
        assert task.status is TaskStatus.OPEN and task.attempt == 1 and task.owner_role is r.owner_role


@given(
    attempts=st.integers(1, 10),
    results=st.lists(st.sampled_from(list(TaskResult)), min_size=1, max_size=15),
    gaps=st.lists(st.integers(0, 10_000), min_size=15, max_size=15),
)
def test_a_retry_never_exceeds_the_attempts(attempts: int, results: list[TaskResult], gaps: list[int]) -> None:
    rules = FollowUpRules("v", (rule(attempts=attempts),))
    (task,) = tasks_for_close(rules, incident_id="I", disposition=Disposition.TREATED_AND_RELEASED, closed_at=T0, new_id=ids())  # type: ignore[arg-type]
    now = T0
    chain = [task]
    current: FollowUpTask | None = task
    new_id = ids()
    for result, gap in zip(results, gaps, strict=False):
        if current is None:
            break
        now += timedelta(minutes=gap)
        _, current = current.complete(result, by="d", now=now, new_id=new_id)  # type: ignore[arg-type]
        if current is not None:
            assert result is TaskResult.NOT_REACHED and current.due_at > now
            chain.append(current)
    assert len(chain) <= attempts
    assert [t.attempt for t in chain] == list(range(1, len(chain) + 1))


# ----------------------------------------------------------------------------- hand-offs
def offer() -> HandOff:
    return HandOff(
        id="HOF-1",
        incident_id="INC-1",
        provider_id="p",
        provider_name="P",
        contact="intake desk, by phone",
        offered_at=T0,
        offered_by="crew-1",
    )


def test_a_hand_off_records_the_providers_answer_once() -> None:
    h = offer()
    h.validate(T0)
    accepted = h.respond(
        accepted=True, responder_name="RN Example", at=T0 + timedelta(minutes=5), by="crew-1", now=T0 + timedelta(hours=1)
    )
    assert accepted.status is HandOffStatus.ACCEPTED and accepted.responder_name == "RN Example"
    with pytest.raises(InvalidInput, match="already accepted"):
        accepted.respond(accepted=False, responder_name="x", at=T0, by="c", now=T0)


def test_a_hand_off_answer_needs_a_name_and_a_sensible_time() -> None:
    h = offer()
    with pytest.raises(InvalidInput, match="name"):
        h.respond(accepted=True, responder_name=" ", at=T0, by="c", now=T0)
    with pytest.raises(InvalidInput, match="before"):
        h.respond(accepted=True, responder_name="A", at=T0 - timedelta(minutes=1), by="c", now=T0)
    with pytest.raises(InvalidInput, match="future"):
        h.respond(accepted=False, responder_name="A", at=T0 + timedelta(hours=1), by="c", now=T0)
    with pytest.raises(InvalidInput, match="future"):
        h.validate(T0 - timedelta(minutes=1))
