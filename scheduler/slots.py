"""Finding free times: pure functions over working hours, time off and bookings.

The search itself walks whole microseconds since the Unix epoch (UTC) rather than
datetimes: a month of a clinic's calendar is thousands of intervals, and integer
arithmetic and comparisons cost a fraction of aware-datetime ones (each clash used to
cost two ``astimezone`` calls). Microseconds, not seconds, so every conversion is exact
and the integer walk finds exactly what the datetime one did. Datetimes are made only
for the slots returned.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import repeat
from typing import NamedTuple, TypeVar

from scheduler.clock import at, local

Interval = tuple[datetime, datetime]
# [start, end) in microseconds since the Unix epoch: the same instants as an Interval.
Span = tuple[int, int]
# A working window as a Span, and the clinic midnight its grid is counted from.
_Window = tuple[int, int, int]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# Before any real instant: "no lower bound" without a separate code path.
_DAWN_OF_TIME = -(1 << 62)

Instant = TypeVar("Instant", datetime, int)


@dataclass(frozen=True)
class Hours:
    weekday: int
    start: time
    end: time


class Slot(NamedTuple):
    """A free start. A named tuple, not a frozen dataclass: a search makes thousands, and a
    frozen dataclass costs three times as much to make (a millisecond in eight weeks)."""

    practitioner_id: int
    start_at: datetime
    end_at: datetime


def to_micros(moment: datetime) -> int:
    """Microseconds since the epoch; exact, whatever the moment's zone (it must be aware)."""
    return (moment - EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    """The aware UTC datetime of ``to_micros``; exact, unlike ``fromtimestamp`` on a float."""
    return EPOCH + timedelta(microseconds=micros)


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


def merge(intervals: Iterable[tuple[Instant, Instant]]) -> list[tuple[Instant, Instant]]:
    """Sorted, disjoint intervals, so one pointer can walk them."""
    merged: list[tuple[Instant, Instant]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _instants() -> Callable[[date, time], int]:
    """Clinic wall-clock time → microseconds, each (day, time) worked out once.

    A zoneinfo conversion is the dearest step of making windows, and every practitioner
    shares the same few opening times. The memo lives for one search only, so a changed
    ``CLINIC_TIME_ZONE`` (tests override it) is never served stale.
    """
    seen: dict[tuple[date, time], int] = {}

    def instant(day: date, clock: time) -> int:
        key = (day, clock)
        found = seen.get(key)
        if found is None:
            found = seen[key] = to_micros(at(day, clock))
        return found

    return instant


def _windows(
    hours: Iterable[Hours], first: date, last: date, instant: Callable[[date, time], int]
) -> list[_Window]:
    """``working_windows`` in microseconds, each with its day's clinic midnight.

    The day's own midnight is the grid origin: every instant of a window lies on its
    clinic day, so this is the midnight ``local(moment).date()`` would give for each.
    """
    by_weekday: dict[int, list[Hours]] = {}
    for h in hours:
        by_weekday.setdefault(h.weekday, []).append(h)
    midnight = time(0)
    windows = [
        (instant(day, h.start), instant(day, h.end), instant(day, midnight))
        for day in days(first, last)
        for h in by_weekday.get(day.weekday(), ())
    ]
    windows.sort()
    return windows


def _walk(
    windows: Sequence[_Window],
    taken: Sequence[Span],
    duration: int,
    grid: int,
    not_before: int,
) -> list[int]:
    """Every grid start inside a window whose [start, start + duration) is free.

    ``taken`` is merged and sorted (``merge``); all values are microseconds. The grid is
    counted in elapsed time from the window's clinic midnight: mixing a clinic-zone
    midnight with a UTC moment once put the grid an hour early on a spring-forward day,
    so a start after a booking snapped back into the booking and the search never ended.
    DST shifts are whole hours in the clinic's zone, so the grid still lands on :00,
    :15, :30, :45.

    Each free gap's starts are one ``range`` (made in C), not a step of the loop each:
    eight weeks of ten calendars are a few thousand gaps but ten times as many starts.
    """
    found: list[int] = []
    i = 0
    n = len(taken)
    for w_start, w_end, midnight in windows:
        # Ceiling division: the first grid point at or after the moment.
        start = midnight - (midnight - max(w_start, not_before)) // grid * grid
        while start + duration <= w_end:
            while i < n and taken[i][1] <= start:
                i += 1
            # Busy time from here on starts at or after taken[i]: the gap ends there.
            gap_end = min(w_end, taken[i][0]) if i < n else w_end
            if start + duration <= gap_end:
                last = gap_end - duration
                found.extend(range(start, last + 1, grid))
                start += ((last - start) // grid + 1) * grid
            else:
                # Only busy time ends a gap before its window does: a clash with
                # taken[i]. Jump past it, then forward onto the grid.
                start = midnight - (midnight - taken[i][1]) // grid * grid
    return found


def free_starts(
    windows: Sequence[Interval],
    busy: Iterable[Interval],
    duration: timedelta,
    *,
    grid: timedelta = timedelta(minutes=15),
    not_before: datetime | None = None,
) -> Iterator[Interval]:
    """Every grid start inside a window whose [start, start + duration) is free (in UTC).

    The grid is counted from the clinic midnight of the day each window starts on.
    """
    spans = [
        (to_micros(s), to_micros(e), to_micros(at(local(s).date(), time(0)))) for s, e in windows
    ]
    spans.sort()
    taken = merge((to_micros(s), to_micros(e)) for s, e in busy)
    length = duration // _MICROSECOND
    for start in _walk(
        spans,
        taken,
        length,
        grid // _MICROSECOND,
        _DAWN_OF_TIME if not_before is None else to_micros(not_before),
    ):
        yield (from_micros(start), from_micros(start + length))


def find_slots(
    practitioners: Iterable[tuple[int, Sequence[Hours]]],
    busy_by_practitioner: Mapping[int, Iterable[Interval]],
    first: date,
    last: date,
    duration: timedelta,
    *,
    not_before: datetime,
    grid: timedelta = timedelta(minutes=15),
    allowed: Callable[[datetime], bool] | None = None,
) -> list[Slot]:
    """Free slots of every practitioner, ordered by time then practitioner."""
    return find_slots_in_micros(
        practitioners,
        {
            pid: [(to_micros(s), to_micros(e)) for s, e in intervals]
            for pid, intervals in busy_by_practitioner.items()
        },
        first,
        last,
        duration // _MICROSECOND,
        not_before=to_micros(not_before),
        grid=grid // _MICROSECOND,
        allowed=allowed,
    )


def find_slots_in_micros(
    practitioners: Iterable[tuple[int, Sequence[Hours]]],
    busy_by_practitioner: Mapping[int, Iterable[Span]],
    first: date,
    last: date,
    duration: int,
    *,
    not_before: int,
    grid: int,
    allowed: Callable[[datetime], bool] | None = None,
) -> list[Slot]:
    """``find_slots`` with busy times, duration, grid and ``not_before`` in microseconds.

    What the database hands over as integers stays integers until a slot is returned.
    """
    instant = _instants()
    # Practitioners mostly keep the clinic's hours: identical weeks share their windows.
    windows_of: dict[tuple[Hours, ...], list[_Window]] = {}
    # (start, practitioner): plain tuples sort in C, in the order the result wants.
    found: list[tuple[int, int]] = []
    for pid, hours in practitioners:
        week = tuple(hours)
        windows = windows_of.get(week)
        if windows is None:
            windows = windows_of[week] = _windows(week, first, last, instant)
        taken = merge(busy_by_practitioner.get(pid, ()))
        found.extend(zip(_walk(windows, taken, duration, grid, not_before), repeat(pid)))
    found.sort()
    # Practitioners share start times: sorted, a start's practitioners come one after
    # another, so its datetimes are made once and ``allowed`` (a question about the start
    # alone) is asked once.
    length = timedelta(microseconds=duration)
    slots: list[Slot] = []
    append = slots.append
    # Slot(...) runs the named tuple's Python __new__; thousands of slots are made here.
    make = tuple.__new__
    previous: int | None = None
    start_at = end_at = EPOCH
    ok = True
    for start, pid in found:
        if start != previous:
            previous = start
            start_at = from_micros(start)
            end_at = start_at + length  # exact: both in UTC
            ok = allowed is None or allowed(start_at)
        if ok:
            append(make(Slot, (pid, start_at, end_at)))
    return slots
