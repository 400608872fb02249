"""When the next injection may be: the safety rules of ``pathway``, asked day by day.

The re-injection interval and the dose limit depend only on the clinic date of the
start (``pathway.check_safety``), so walking the days from the one asked for finds the
first day they allow, and the first day's refusal says why in the rules' own words. The
slot picker starts there instead of showing weeks of "no free time".
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from bookings import pathway
from bookings.errors import PathwayError
from scheduler.clock import at

# Far enough for any interval in the catalogue (at most 112 days) and the 84-day dose
# window after the last injection booked ahead.
HORIZON_DAYS = 366


@dataclass(frozen=True)
class Wait:
    """The first day the safety rules allow (None: not within the horizon), and why."""

    from_on: date | None
    reason: str
    code: str = ""  # the rule's code, for callers that word it for someone else


def first_safe_day(
    *,
    history: pathway.CourseHistory,
    limits: pathway.Limits,
    planned_units: int,
    on: date,
    exclude_id: int | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> Wait | None:
    """None when ``on`` itself is allowed; else the first later day that is."""

    def refusals(day: date) -> list[PathwayError]:
        # Noon: any time of the day gives the same answer, and noon exists on DST days.
        start_at = at(day, time(12))
        verdict = pathway.check_safety(
            start_at, planned_units, history, limits, exclude_id=exclude_id
        )
        return verdict.overridable

    # Near the end of the calendar (year 9999) the rules' own date arithmetic overflows;
    # such dates are refused where they are typed, so here they simply find no day.
    try:
        first = refusals(on)
    except OverflowError:
        return None
    if not first:
        return None
    try:
        for offset in range(1, horizon_days + 1):
            day = on + timedelta(days=offset)
            if not refusals(day):
                return Wait(day, first[0].message, first[0].code)
    except OverflowError:
        pass
    return Wait(None, first[0].message, first[0].code)
