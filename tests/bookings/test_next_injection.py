"""The first day the safety rules allow the next injection: pure, no database."""

from datetime import date, datetime, timedelta
from itertools import count

from bookings.next_injection import first_safe_day
from bookings.pathway import CourseHistory, Limits, Treatment, Visit
from tests.clock import TZ

FROWN = Treatment("frown-lines", "Frown lines", False, 90)
_ids = count(1)


def injection(on: date, *, code: str = "frown-lines", units: int = 20, status: str = "completed"):
    start = datetime(on.year, on.month, on.day, 10, tzinfo=TZ)
    return Visit(
        next(_ids), "injection", status, start, start + timedelta(minutes=30), code, "", units
    )


def history(*injections: Visit) -> CourseHistory:
    return CourseHistory(FROWN, (), None, injections)


def test_a_day_the_rules_allow_needs_no_wait():
    assert (
        first_safe_day(history=history(), limits=Limits(), planned_units=20, on=date(2026, 3, 2))
        is None
    )


def test_after_an_injection_the_next_is_allowed_the_interval_later_and_says_why():
    wait = first_safe_day(
        history=history(injection(date(2026, 1, 5))),
        limits=Limits(),
        planned_units=20,
        on=date(2026, 3, 2),
    )
    assert wait is not None
    assert wait.from_on == date(2026, 4, 5)  # 90 days after Mon 5 Jan
    assert "given on Mon 5 Jan 2026" in wait.reason
    assert "at least 90 days apart" in wait.reason


def test_the_dose_limit_waits_until_the_earlier_units_leave_the_84_days():
    neck = injection(date(2026, 2, 23), code="neck-pain", units=390)
    wait = first_safe_day(
        history=history(neck), limits=Limits(), planned_units=20, on=date(2026, 3, 2)
    )
    assert wait is not None
    assert wait.from_on == date(2026, 5, 18)  # 84 days after Mon 23 Feb
    assert "400-unit limit" in wait.reason
    # Fewer units fit now.
    assert (
        first_safe_day(
            history=history(neck), limits=Limits(), planned_units=10, on=date(2026, 3, 2)
        )
        is None
    )


def test_an_injection_booked_ahead_blocks_the_days_around_it():
    booked = injection(date(2026, 4, 1), status="booked")
    wait = first_safe_day(
        history=history(booked), limits=Limits(), planned_units=20, on=date(2026, 3, 2)
    )
    assert wait is not None
    assert wait.from_on == date(2026, 6, 30)  # 90 days after Wed 1 Apr
    assert "booked on Wed 1 Apr 2026" in wait.reason


def test_a_moved_injection_does_not_wait_for_itself():
    moving = injection(date(2026, 3, 20), status="booked")
    assert (
        first_safe_day(
            history=history(moving),
            limits=Limits(),
            planned_units=20,
            on=date(2026, 3, 10),
            exclude_id=moving.id,
        )
        is None
    )


def test_no_allowed_day_within_the_horizon_still_says_why():
    wait = first_safe_day(
        history=history(injection(date(2026, 3, 1))),
        limits=Limits(),
        planned_units=20,
        on=date(2026, 3, 2),
        horizon_days=30,
    )
    assert wait is not None and wait.from_on is None
    assert "at least 90 days apart" in wait.reason


def test_a_day_near_the_end_of_the_calendar_does_not_overflow():
    wait = first_safe_day(
        history=history(injection(date(9999, 12, 20), status="booked")),
        limits=Limits(),
        planned_units=20,
        on=date(9999, 12, 1),
    )
    assert wait is not None and wait.from_on is None
