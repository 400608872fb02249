"""The front desk's waitlist for a day, beside the calendar (docs/rules.md#waitlist).

For each free time of the day still ahead (cancelled visits' times first), who
could take it right now: bookings' own "who fits" (``bookings/waitlist/fits.py``), every
rule applied, in waiting order; the desk offers it with one click. Also the entries
whose dates include the day. The queries do not grow with the list: the free times are
capped at ``MAX_TIMES`` and each asks for at most ``SHOWN_PER_TIME`` who fit.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings

from bookings.calendar import get_day_calendar, subtract
from bookings.models import LIVE_STATUSES, Patient, Status
from bookings.waitlist.fits import Fit, list_fitting_entries
from bookings.waitlist.models import LIVE_WAITLIST, WaitlistEntry
from bookings.waitlist.read import list_entries
from scheduler import clock
from scheduler.models import Practitioner

MAX_TIMES = 8
SHOWN_PER_TIME = 5
WAITING_SHOWN = 25


@dataclass
class FreeTime:
    practitioner: Practitioner
    start_at: datetime  # the first start on the grid
    free_until: datetime
    freed: bool = False  # a cancelled visit gave it back
    fits: list[Fit] = field(default_factory=list)


@dataclass
class WaitlistDay:
    day: date
    times: list[FreeTime]
    more_times: int  # free times past MAX_TIMES, not searched
    waiting: list[WaitlistEntry]
    waiting_count: int


def _on_grid(moment: datetime) -> datetime:
    """The first start on the clinic's grid at or after ``moment`` (clinic time)."""
    grid = settings.SLOT_GRID_MINUTES
    wall = clock.local(moment).replace(second=0, microsecond=0)
    if wall < clock.local(moment):
        wall += timedelta(minutes=1)
    late = (wall.hour * 60 + wall.minute) % grid
    return clock.local(wall + timedelta(minutes=(grid - late) % grid))


def list_free_times(*, day: date, now: datetime) -> list[FreeTime]:
    """Each practitioner's free stretches of the day still ahead, from the day page's
    own reads (its four queries): working hours, less time off and live visits.

    A stretch where a visit was cancelled is offered at that visit's start and comes
    first: that is the time a patient gave back. Others start at their first grid time.
    """
    calendar = get_day_calendar(day=day, show_cancelled=True)
    grid = timedelta(minutes=settings.SLOT_GRID_MINUTES)
    freed, other = [], []
    for column in calendar.columns:
        working = [
            (
                calendar.opens_at + timedelta(minutes=b.top),
                calendar.opens_at + timedelta(minutes=b.top + b.height),
            )
            for b in column.working
        ]
        visits = [p.appointment for p in column.appointments]
        live = [(a.start_at, a.end_at) for a in visits if a.status in LIVE_STATUSES]
        given_back = sorted(
            {a.start_at for a in visits if a.status == Status.CANCELLED and a.start_at >= now}
        )
        for begins, ends in subtract(working, live):
            starts = [t for t in given_back if begins <= t and t + grid <= ends]
            for start in starts:
                freed.append(FreeTime(column.practitioner, start, ends, freed=True))
            first = _on_grid(max(begins, now))
            if first + grid <= ends and first not in starts:
                other.append(FreeTime(column.practitioner, first, ends))

    def order(t: FreeTime) -> tuple[datetime, str]:
        return (t.start_at, t.practitioner.name)

    return sorted(freed, key=order) + sorted(other, key=order)


def get_waitlist_day(*, day: date) -> WaitlistDay:
    now = clock.now()
    free = list_free_times(day=day, now=now)
    times = free[:MAX_TIMES]
    for t in times:
        t.fits = list_fitting_entries(
            practitioner=t.practitioner, start_at=t.start_at, want=SHOWN_PER_TIME
        )
    # The names shown, read once for every time (the selector leaves patients unread).
    patients = Patient.objects.in_bulk({f.entry.patient_id for t in times for f in t.fits})
    for t in times:
        for f in t.fits:
            f.entry.patient = patients[f.entry.patient_id]
    waiting = list_entries(on=day).filter(status__in=LIVE_WAITLIST)
    shown = list(waiting[:WAITING_SHOWN])
    return WaitlistDay(
        day=day,
        times=times,
        more_times=max(len(free) - MAX_TIMES, 0),
        waiting=shown,
        waiting_count=waiting.count(),
    )
