"""The front desk's waitlist for a day, beside the calendar (docs/rules.md#waitlist).

For each free time of the day still ahead (time given back by cancellations and moves
first), who could take it right now: bookings' own "who fits"
(``bookings/waitlist/fits.py``), every rule applied, in waiting order; the desk offers
it with one click (``reminders/offers/engine.py``). Also the offers waiting for an
answer with their hold, and the entries whose dates include the day. The queries do not grow with the list: the free times are
capped at ``MAX_TIMES`` and each asks for at most ``SHOWN_PER_TIME`` who fit.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings

from bookings.calendar import get_day_calendar, subtract
from bookings.models import Patient
from bookings.waitlist.fits import Fit, list_fitting_entries
from bookings.waitlist.models import LIVE_WAITLIST, WaitlistEntry
from bookings.waitlist.read import list_entries
from reminders.offers.models import FreedTime, OfferStatus, WaitlistOffer
from scheduler import clock
from scheduler.models import Practitioner
from scheduler.selectors import range_bounds

MAX_TIMES = 8
SHOWN_PER_TIME = 5
WAITING_SHOWN = 25


@dataclass
class FreeTime:
    practitioner: Practitioner
    start_at: datetime  # the first start on the grid
    free_until: datetime
    freed: str = ""  # what gave it back (a cancellation, a move), if anything
    fits: list[Fit] = field(default_factory=list)


@dataclass
class WaitlistDay:
    day: date
    times: list[FreeTime]
    more_times: int  # free times past MAX_TIMES, not searched
    waiting: list[WaitlistEntry]
    waiting_count: int
    offers: list[WaitlistOffer]


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
    own reads (its four queries and one of freed times): working hours, less time off
    and live visits.

    Time a cancellation or a move gave back (reminders.offers' freed times) is shown at
    its own start and comes first; other stretches start at their first grid time.
    """
    calendar = get_day_calendar(day=day)
    day_start, day_end = range_bounds(day, day)
    given_back: dict[int, dict[datetime, str]] = {}
    for freed in FreedTime.objects.filter(
        closed_at__isnull=True, start_at__gte=max(day_start, now), start_at__lt=day_end
    ):
        given_back.setdefault(freed.practitioner_id, {})[freed.start_at] = (
            freed.get_source_display()
        )
    grid = timedelta(minutes=settings.SLOT_GRID_MINUTES)
    freed_times, other = [], []
    for column in calendar.columns:
        working = [
            (
                calendar.opens_at + timedelta(minutes=b.top),
                calendar.opens_at + timedelta(minutes=b.top + b.height),
            )
            for b in column.working
        ]
        visits = [(p.appointment.start_at, p.appointment.end_at) for p in column.appointments]
        freed_here = given_back.get(column.practitioner.pk, {})
        for begins, ends in subtract(working, visits):
            starts = sorted(t for t in freed_here if begins <= t and t + grid <= ends)
            for start in starts:
                freed_times.append(
                    FreeTime(column.practitioner, start, ends, freed=freed_here[start])
                )
            first = _on_grid(max(begins, now))
            if first + grid <= ends and first not in starts:
                other.append(FreeTime(column.practitioner, first, ends))

    def order(t: FreeTime) -> tuple[datetime, str]:
        return (t.start_at, t.practitioner.name)

    return sorted(freed_times, key=order) + sorted(other, key=order)


def list_pending_offers(*, day: date) -> list[WaitlistOffer]:
    """Offers made for the day's times still waiting for an answer, with their hold."""
    day_start, day_end = range_bounds(day, day)
    return list(
        WaitlistOffer.objects.filter(
            status=OfferStatus.OFFERED,
            freed_time__start_at__gte=day_start,
            freed_time__start_at__lt=day_end,
        )
        .select_related("entry__patient", "freed_time__practitioner")
        .order_by("freed_time__start_at", "hold_until", "id")
    )


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
        offers=list_pending_offers(day=day),
    )
