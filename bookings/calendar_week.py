"""Reads for the week view: one practitioner, a column per day, free times to click.

Four queries whatever the week holds (the practitioner with its hours, the appointments,
the time off, the practitioners to switch to). A free time is a start on the clinic's
15-minute grid inside working hours, not in the past and not inside a live appointment;
the booking service decides the rest when the front desk books it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch

from bookings.calendar import Block, Lane, PlacedAppointment, booked_online, from_waitlist, subtract
from bookings.models import Appointment, Status
from scheduler import clock
from scheduler.models import Practitioner, WorkingHours
from scheduler.selectors import get_time_off, range_bounds

GRID_MINUTES = 15
WEEKEND = (5, 6)


@dataclass(frozen=True)
class FreeTime(Block):
    start_at: datetime


@dataclass
class DayColumn(Lane):
    day: date
    free: list[FreeTime] = field(default_factory=list)


@dataclass
class WeekCalendar:
    practitioner: Practitioner
    monday: date
    opens: time
    closes: time
    columns: list[DayColumn]

    @property
    def minutes(self) -> int:
        return (self.closes.hour * 60 + self.closes.minute) - (
            self.opens.hour * 60 + self.opens.minute
        )

    @property
    def hours(self) -> list[tuple[int, time]]:
        return [
            (h * 60 - self.opens.hour * 60, time(h))
            for h in range(self.opens.hour, self.closes.hour)
        ]


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def list_practitioners() -> list[Practitioner]:
    return list(Practitioner.objects.filter(active=True).order_by("name", "pk"))


def get_week_calendar(*, practitioner_id: int, day: date, now: datetime) -> WeekCalendar | None:
    """The week holding ``day`` for one practitioner; None if there is no such practitioner."""
    monday = week_of(day)
    sunday = monday + timedelta(days=6)
    practitioner = (
        Practitioner.objects.prefetch_related(
            Prefetch("working_hours", queryset=WorkingHours.objects.order_by("start_time"))
        )
        .filter(pk=practitioner_id)
        .first()
    )
    if practitioner is None:
        return None
    week_start, week_end = range_bounds(monday, sunday)
    appointments = list(
        Appointment.objects.filter(
            practitioner_id=practitioner_id, start_at__gte=week_start, start_at__lt=week_end
        )
        .exclude(status=Status.CANCELLED)
        .select_related("patient", "course__treatment_type")
        .annotate(booked_online=booked_online(), from_waitlist=from_waitlist())
        .order_by("start_at", "pk")
    )
    off = get_time_off([practitioner_id], week_start, week_end).get(practitioner_id, [])
    hours = list(practitioner.working_hours.all()) if practitioner.active else []

    by_day: dict[date, list[Appointment]] = {}
    for a in appointments:
        by_day.setdefault(clock.local_date(a.start_at), []).append(a)
    opens = min([h.start_time for h in hours] + [time(9)])
    closes = max([h.end_time for h in hours] + [time(17)])
    for a in appointments:
        start, end = clock.local(a.start_at), clock.local(a.end_at)
        opens = min(opens, time(start.hour))
        if end.date() == start.date():
            closes = max(closes, time(min(end.hour + (1 if end.minute else 0), 23)))
    # Whole hours, so the ruler's marks line up with the blocks.
    opens = time(opens.hour)
    closes = time(min(closes.hour + (1 if closes.minute else 0), 23))
    columns = []
    for offset in range(7):
        d = monday + timedelta(days=offset)
        windows = [
            (clock.at(d, h.start_time), clock.at(d, h.end_time))
            for h in hours
            if h.weekday == d.weekday()
        ]
        working = subtract(windows, off)
        if d.weekday() in WEEKEND and not working and not by_day.get(d):
            continue
        columns.append(_column(d, working, off, by_day.get(d, []), opens, closes, now))
    return WeekCalendar(practitioner, monday, opens, closes, columns)


def _column(
    d: date,
    working: list[tuple[datetime, datetime]],
    off: list[tuple[datetime, datetime]],
    appointments: list[Appointment],
    opens: time,
    closes: time,
    now: datetime,
) -> DayColumn:
    top_at, bottom_at = clock.at(d, opens), clock.at(d, closes)

    def block(start: datetime, end: datetime) -> Block:
        start, end = max(start, top_at), min(end, bottom_at)
        return Block(
            int((start - top_at).total_seconds() // 60),
            max(int((end - start).total_seconds() // 60), 1),
        )

    column = DayColumn(d)
    column.working = [block(s, e) for s, e in working]
    column.time_off = [block(s, e) for s, e in off if s < bottom_at and e > top_at]
    for a in appointments:
        placed = block(a.start_at, a.end_at)
        column.appointments.append(PlacedAppointment(placed.top, placed.height, a))
    taken = [(a.start_at, a.end_at) for a in appointments if a.is_live]
    step = timedelta(minutes=GRID_MINUTES)
    for start, end in working:
        # The first start on the clinic's grid (working hours may begin at 09:10).
        moment = start + timedelta(minutes=-clock.local(start).minute % GRID_MINUTES)
        while moment + step <= end:
            if moment > now and not any(s < moment + step and e > moment for s, e in taken):
                b = block(moment, moment + step)
                column.free.append(FreeTime(b.top, b.height, moment))
            moment += step
    return column
