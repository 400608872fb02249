"""Finding free times: pure functions over working hours, time off and bookings."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from scheduler.clock import at, local

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Hours:
    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Slot:
    practitioner_id: int
    start_at: datetime
    end_at: datetime


def days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def working_windows(hours: Iterable[Hours], first: date, last: date) -> list[Interval]:
    """Clinic wall-clock hours turned into UTC intervals; zoneinfo handles DST days.

    UTC because Python adds to and compares datetimes sharing one tzinfo by wall clock,
    which is wrong across a DST change; in UTC every step is real elapsed time.
    """
    by_weekday: dict[int, list[Hours]] = {}
    for h in hours:
        by_weekday.setdefault(h.weekday, []).append(h)
    windows = [
        (_utc(at(day, h.start)), _utc(at(day, h.end)))
        for day in days(first, last)
        for h in by_weekday.get(day.weekday(), ())
    ]
    return sorted(windows)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def overlaps(a: Interval, b: Interval) -> bool:
    """Half-open intervals: back-to-back is not an overlap."""
    return a[0] < b[1] and b[0] < a[1]


def fits_hours(start_at: datetime, end_at: datetime, hours: Iterable[Hours]) -> bool:
    day = local(start_at).date()
    start_at, end_at = _utc(start_at), _utc(end_at)
    return any(w[0] <= start_at and end_at <= w[1] for w in working_windows(hours, day, day))


def _grid_start(moment: datetime, grid: timedelta) -> datetime:
    """The first grid point at or after ``moment``, counted from clinic midnight.

    Counted in elapsed (UTC) time: mixing a clinic-zone midnight with a UTC moment once
    put the grid an hour early on a spring-forward day, so a start after a booking
    snapped back into the booking and the search never ended. DST shifts are whole
    hours in the clinic's zone, so the grid still lands on :00, :15, :30, :45.
    """
    moment = _utc(moment)
    midnight = _utc(at(local(moment).date(), time(0)))
    steps = -((midnight - moment) // grid)  # ceiling division
    return midnight + steps * grid


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals, so one pointer can walk them."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def free_starts(
    windows: Sequence[Interval],
    busy: Iterable[Interval],
    duration: timedelta,
    *,
    grid: timedelta = timedelta(minutes=15),
    not_before: datetime | None = None,
) -> Iterator[Interval]:
    """Every grid start inside a window whose [start, start + duration) is free (in UTC)."""
    taken = merge((_utc(s), _utc(e)) for s, e in busy)
    i = 0
    for w_start, w_end in sorted((_utc(s), _utc(e)) for s, e in windows):
        start = _grid_start(max(w_start, not_before) if not_before else w_start, grid)
        while start + duration <= w_end:
            end = start + duration
            while i < len(taken) and taken[i][1] <= start:
                i += 1
            if i < len(taken) and taken[i][0] < end:
                # Jump past the clash, then back onto the grid.
                start = _grid_start(taken[i][1], grid)
                continue
            yield (start, end)
            start += grid


def find_slots(
    practitioners: Iterable[tuple[int, Sequence[Hours]]],
    busy_by_practitioner: dict[int, list[Interval]],
    first: date,
    last: date,
    duration: timedelta,
    *,
    not_before: datetime,
    grid: timedelta = timedelta(minutes=15),
    allowed: Callable[[datetime], bool] | None = None,
) -> list[Slot]:
    """Free slots of every practitioner, ordered by time then practitioner."""
    slots: list[Slot] = []
    for pid, hours in practitioners:
        windows = working_windows(hours, first, last)
        busy = busy_by_practitioner.get(pid, [])
        for start, end in free_starts(windows, busy, duration, grid=grid, not_before=not_before):
            if allowed is None or allowed(start):
                slots.append(Slot(pid, start, end))
    slots.sort(key=lambda s: (s.start_at, s.practitioner_id))
    return slots
