"""Reads for the web UI's day calendar, in a fixed number of queries whatever the day holds."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch

from bookings.audit_lines import BOOKED_ONLINE
from bookings.models import Appointment, AuditEntry, Status
from bookings.waitlist.models import WaitlistEntry, WaitlistStatus
from scheduler import clock
from scheduler.models import Practitioner, WorkingHours
from scheduler.selectors import get_time_off, range_bounds
from scheduler.slots import Interval, merge

DEFAULT_OPENING = (time(9), time(17))


@dataclass(frozen=True)
class Block:
    """Something placed on a column: its offset and length in minutes from the top."""

    top: int
    height: int


@dataclass(frozen=True)
class PlacedAppointment(Block):
    appointment: Appointment


@dataclass(kw_only=True)
class Lane:
    """What a calendar column shows, whether it is a practitioner's day or a day of a week."""

    working: list[Block] = field(default_factory=list)
    time_off: list[Block] = field(default_factory=list)
    appointments: list[PlacedAppointment] = field(default_factory=list)


@dataclass
class Column(Lane):
    practitioner: Practitioner


@dataclass
class DayCalendar:
    day: date
    opens_at: datetime
    closes_at: datetime
    columns: list[Column]
    cancelled_count: int

    @property
    def minutes(self) -> int:
        return int((self.closes_at - self.opens_at).total_seconds() // 60)

    @property
    def hours(self) -> list[tuple[int, datetime]]:
        """Each full hour shown, with its offset in minutes, for the time ruler."""
        marks = []
        moment = self.opens_at
        while moment < self.closes_at:
            marks.append((int((moment - self.opens_at).total_seconds() // 60), moment))
            moment += timedelta(hours=1)
        return marks


def _windows(practitioner: Practitioner, day: date) -> list[Interval]:
    # working_hours is prefetched for this weekday only.
    return [
        (clock.at(day, h.start_time), clock.at(day, h.end_time))
        for h in practitioner.working_hours.all()
    ]


def subtract(windows: list[Interval], off: list[Interval]) -> list[Interval]:
    left = []
    for start, end in windows:
        pieces = [(start, end)]
        for o_start, o_end in merge(off):
            pieces = [
                piece
                for p_start, p_end in pieces
                for piece in ((p_start, min(p_end, o_start)), (max(p_start, o_end), p_end))
                if piece[0] < piece[1]
            ]
        left.extend(pieces)
    return left


def booked_online() -> Exists:
    """Whether the patient booked the appointment from a link (its audit entry), for the
    "Online" mark the day and week views share; no query of its own."""
    return Exists(AuditEntry.objects.filter(appointment=OuterRef("pk"), action=BOOKED_ONLINE))


def from_waitlist() -> Exists:
    """Whether the appointment was taken from a waitlist offer (booked or moved here), for
    the "Waitlist" mark the day and week views share; no query of its own."""
    return Exists(
        WaitlistEntry.objects.filter(appointment=OuterRef("pk"), status=WaitlistStatus.BOOKED)
    )


def get_day_calendar(*, day: date, show_cancelled: bool = False) -> DayCalendar:
    """A column per practitioner working that day (or with appointments on it). Four queries."""
    day_start, day_end = range_bounds(day, day)
    practitioners = list(
        Practitioner.objects.prefetch_related(
            Prefetch(
                "working_hours",
                queryset=WorkingHours.objects.filter(weekday=day.weekday()).order_by("start_time"),
            )
        ).order_by("name", "pk")
    )
    appointments: list[Appointment] = list(
        Appointment.objects.filter(start_at__gte=day_start, start_at__lt=day_end)
        .select_related("patient", "course__treatment_type")
        .annotate(booked_online=booked_online(), from_waitlist=from_waitlist())
        .order_by("start_at", "pk")
    )
    off_by_practitioner = get_time_off([p.pk for p in practitioners], day_start, day_end)

    by_practitioner: dict[int, list[Appointment]] = {}
    cancelled = 0
    for a in appointments:
        if a.status == Status.CANCELLED:
            cancelled += 1
            if not show_cancelled:
                continue
        by_practitioner.setdefault(a.practitioner_id, []).append(a)

    shown: list[tuple[Practitioner, list[Interval], list[Interval]]] = []
    for p in practitioners:
        off = [(max(s, day_start), min(e, day_end)) for s, e in off_by_practitioner.get(p.pk, [])]
        working = subtract(_windows(p, day), off) if p.active else []
        if working or by_practitioner.get(p.pk):
            shown.append((p, working, off))

    edges = [moment for _, working, _ in shown for w in working for moment in w]
    edges += [moment for a in appointments for moment in (a.start_at, a.end_at)]
    if edges:
        first, last = clock.local(min(edges)), clock.local(max(edges))
        opens_at = clock.at(day, time(first.hour)) if first.date() == day else day_start
        closes_at = (
            clock.at(day, time(last.hour)) + timedelta(hours=1 if last.minute or last.second else 0)
            if last.date() == day
            else day_end
        )
    else:
        opens_at, closes_at = (clock.at(day, t) for t in DEFAULT_OPENING)

    def block(start: datetime, end: datetime) -> Block:
        start, end = max(start, opens_at), min(end, closes_at)
        return Block(
            int((start - opens_at).total_seconds() // 60),
            max(int((end - start).total_seconds() // 60), 1),
        )

    columns = []
    for p, working, off in shown:
        column = Column(p)
        column.working = [block(s, e) for s, e in working]
        column.time_off = [block(s, e) for s, e in off if s < closes_at and e > opens_at]
        for a in by_practitioner.get(p.pk, []):
            placed = block(a.start_at, a.end_at)
            column.appointments.append(PlacedAppointment(placed.top, placed.height, a))
        columns.append(column)
    return DayCalendar(day, opens_at, closes_at, columns, cancelled)
