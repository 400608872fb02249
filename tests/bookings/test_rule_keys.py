"""The slot search asks the rules once per key (bookings/rule_keys.py): starts sharing a key
must get the same answer as asking each start, whatever the history (docs/rules.md#pathway)."""

from collections.abc import Hashable
from datetime import date, datetime, timedelta

import pytest

from bookings.authorization_rule import AuthorizationState
from bookings.errors import PathwayError
from bookings.pathway import (
    EXAM,
    INJECTION,
    PRESCRIPTION,
    REVIEW,
    CourseHistory,
    Limits,
    Visit,
    check_pathway,
    check_safety,
)
from bookings.rule_keys import same_answer_key
from tests.bookings.test_pathway import FROWN, MIGRAINE, rx, visit
from tests.clock import at

LIMITS = Limits()
# Sun 8 March 2026 is the spring-forward day: the search crosses it.
FIRST = date(2026, 3, 3)


def every_quarter(days: int) -> list[datetime]:
    """Every quarter hour, day and night, from FIRST: starts the key must tell apart."""
    start = at(FIRST.year, FIRST.month, FIRST.day, 0)
    return [start + timedelta(minutes=15 * i) for i in range(days * 96)]


def answer(kind: str, start_at: datetime, history: CourseHistory) -> tuple[str, ...]:
    try:
        check_pathway(kind, start_at, history, LIMITS)
    except PathwayError as exc:
        return (exc.code,)
    verdict = check_safety(start_at, 155, history, LIMITS)
    return tuple(e.code for e in verdict.overridable)


def same_day_visits() -> list[Visit]:
    """An exam ending at 10:30 and a prescription written at 14:00 on Wed 4 March."""
    exam = visit(EXAM, at(2026, 3, 4, 10), diagnosis="Chronic migraine", status="booked")
    written = visit(PRESCRIPTION, at(2026, 3, 4, 14), status="booked")
    return [exam, written]


HISTORIES = {
    "exam and prescription booked the same day": CourseHistory(MIGRAINE, same_day_visits()),
    "prescribed, injected 80 days before, expiring inside the range": CourseHistory(
        MIGRAINE,
        [visit(INJECTION, at(2025, 12, 16, 9), units=155, status="completed")],
        rx(valid_until=date(2026, 3, 10)),
        [visit(INJECTION, at(2025, 12, 16, 9), units=155)],
    ),
    "cosmetic consultation booked the same day": CourseHistory(
        FROWN, [visit(EXAM, at(2026, 3, 5, 11), code="frown-lines", status="booked")]
    ),
    "review after an injection that day": CourseHistory(
        FROWN,
        [
            visit(EXAM, at(2026, 2, 2, 9), code="frown-lines"),
            visit(INJECTION, at(2026, 3, 6, 12), code="frown-lines", status="booked", units=20),
        ],
    ),
    "insured, authorization starting inside the range": CourseHistory(
        MIGRAINE,
        [],
        rx(),
        [],
        insured=True,
        authorizations=(AuthorizationState(1, date(2026, 3, 6), date(2026, 9, 1), 310, 2),),
    ),
}


@pytest.mark.parametrize("name", sorted(HISTORIES))
@pytest.mark.parametrize("kind", [PRESCRIPTION, INJECTION, REVIEW])
def test_starts_with_one_key_get_one_answer(name: str, kind: str) -> None:
    history = HISTORIES[name]
    key_of = same_answer_key(history)
    answers: dict[Hashable, set[tuple[str, ...]]] = {}
    for start_at in every_quarter(7):
        answers.setdefault(key_of(start_at), set()).add(answer(kind, start_at, history))
    assert {key: found for key, found in answers.items() if len(found) > 1} == {}


def test_a_day_without_a_visit_of_the_course_is_asked_once() -> None:
    key_of = same_answer_key(HISTORIES["exam and prescription booked the same day"])
    keys = {key_of(start_at) for start_at in every_quarter(7)}
    # Six days of one key each, and Wed 4 March split around its four visit times.
    assert len(keys) == 6 + 9


def test_the_key_does_not_depend_on_the_order_starts_are_asked_in() -> None:
    history = HISTORIES["exam and prescription booked the same day"]
    starts = every_quarter(3)
    in_order = [same_answer_key(history)(s) for s in starts]
    backwards = same_answer_key(history)
    assert [backwards(s) for s in reversed(starts)] == list(reversed(in_order))
