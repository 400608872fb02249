"""Edits of working hours and time off, and the time they open up.

Every edit of a practitioner's hours or time off runs inside ``calendar_change``: it
reads their open time (working windows less time off, from today to the booking
horizon) before and after, and publishes what is open now and was not
(``Event.TIME_FREED``) in the edit's own transaction. Longer hours or shorter time off
free time; shorter hours or more time off free none (docs/rules.md#waitlist).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import transaction

from scheduler import bounds, clock
from scheduler.events import Event, publish
from scheduler.models import Practitioner, TimeOff, WorkingHours
from scheduler.selectors import range_bounds
from scheduler.slots import Hours, Interval, merge, working_windows


def subtract(windows: Iterable[Interval], taken: Iterable[Interval]) -> list[Interval]:
    """The parts of ``windows`` outside every interval of ``taken`` (half-open, sorted)."""
    cuts = merge(taken)
    found: list[Interval] = []
    for start, end in merge(windows):
        for cut_start, cut_end in cuts:
            if cut_end <= start or cut_start >= end:
                continue
            if cut_start > start:
                found.append((start, cut_start))
            start = max(start, cut_end)
            if start >= end:
                break
        if start < end:
            found.append((start, end))
    return found


def open_time(
    hours: Iterable[Hours], time_off: Iterable[Interval], first: date, last: date
) -> list[Interval]:
    return subtract(working_windows(hours, first, last), time_off)


def freed_windows(
    before: tuple[list[Hours], list[Interval]],
    after: tuple[list[Hours], list[Interval]],
    first: date,
    last: date,
) -> list[Interval]:
    """Open after the change and not before it: the time the change frees."""
    return subtract(open_time(*after, first, last), open_time(*before, first, last))


def _calendar(practitioner_id: int, first: date, last: date) -> tuple[list[Hours], list[Interval]]:
    hours = [
        Hours(weekday, start, end)
        for weekday, start, end in WorkingHours.objects.filter(
            practitioner_id=practitioner_id
        ).values_list("weekday", "start_time", "end_time")
    ]
    start_at, end_at = range_bounds(first, last)
    time_off = list(
        TimeOff.objects.filter(
            practitioner_id=practitioner_id, start_at__lt=end_at, end_at__gt=start_at
        ).values_list("start_at", "end_at")
    )
    return hours, time_off


@contextmanager
def calendar_change(*practitioner_ids: int | None) -> Iterator[None]:
    """Wrap an edit of these practitioners' hours or time off; publish what it frees."""
    ids = sorted({pk for pk in practitioner_ids if pk is not None})
    first, last = clock.today(), bounds.latest_booking_day()
    with transaction.atomic():
        before = {pk: _calendar(pk, first, last) for pk in ids}
        yield
        for practitioner in Practitioner.objects.filter(pk__in=ids, active=True):
            after = _calendar(practitioner.pk, first, last)
            windows = freed_windows(before[practitioner.pk], after, first, last)
            if windows:
                publish(Event.TIME_FREED, practitioner, windows)
