"""Which starts the pathway and safety rules answer alike, so a search asks each once.

``pathway.check_pathway`` and ``pathway.check_safety`` read a start only through its
clinic date (the interval, the dose window, the prescription's validity, the
authorization) and through comparisons with the times of the course's own visits ("the
prescription must start after the exam ends", "a consultation booked earlier the same
day"). Two starts on the same clinic day with the same visit times at or before them
(and the same before them) therefore get the same answer: on a day without a visit of the
course that is one answer for the whole day. A rule that reads the time of day some other
way must change this key with it (tests/bookings/test_rule_keys.py compares the key with
asking every start).
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable
from datetime import UTC, datetime, time, timedelta

from bookings.pathway import CourseHistory
from scheduler.clock import clinic_tz

_NEVER = datetime.min.replace(tzinfo=UTC)


def same_answer_key(history: CourseHistory) -> Callable[[datetime], Hashable]:
    """A function giving equal keys to starts the rules answer alike for this history."""
    instants = sorted(
        moment for visit in history.course_visits for moment in (visit.start_at, visit.end_at)
    )
    # A search asks in time order, so most starts fall on the day of the one before: its
    # bounds (in UTC) and its key are kept, and the zone is read once for the search.
    zone = clinic_tz()
    day_start = day_end = _NEVER
    day_key: tuple[object, ...] = ()
    visits_that_day = False

    def key(start_at: datetime) -> Hashable:
        nonlocal day_start, day_end, day_key, visits_that_day
        if not day_start <= start_at < day_end:
            day = start_at.astimezone(zone).date()
            day_start = datetime.combine(day, time(0), zone).astimezone(UTC)
            day_end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
            day_key = (day,)
            visits_that_day = bisect_left(instants, day_start) < bisect_left(instants, day_end)
        if not visits_that_day:
            return day_key
        return (*day_key, bisect_left(instants, start_at), bisect_right(instants, start_at))

    return key
