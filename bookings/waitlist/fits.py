"""Who could take a freed time: live entries every booking rule allows there (docs/rules.md#waitlist).

The database narrows the list (window, practitioner, what the practitioner does); the
rest is bookings' own: ``pathway.check_pathway`` and ``pathway.check_safety`` on each
patient's history, the practitioner's hours and calendar, the patient free. Candidates
are read in waiting order in chunks of ``CHUNK`` with their histories loaded together,
five queries a chunk whatever its size, and the search stops once ``want`` fit: the
queries do not grow with the list, only with how many are refused before enough fit.
"""

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from bookings import pathway
from bookings.authorizations_read import authorization_state
from bookings.busy import get_busy
from bookings.day_parts import PARTS, in_part
from bookings.errors import PathwayError
from bookings.models import LIVE_STATUSES, Appointment, Authorization, Funding, Prescription
from bookings.selectors import (
    limits,
    prescription_state,
    split_visits,
    treatment_rules,
)
from bookings.start_times import check_on_grid
from bookings.waitlist.models import WaitlistEntry, WaitlistStatus
from scheduler import clock
from scheduler.models import Kind, Practitioner
from scheduler.selectors import hours_of, range_bounds
from scheduler.slots import fits_hours, to_micros

CHUNK = 50


@dataclass(frozen=True)
class Fit:
    """An entry the rules let take the time, and the visit it would be."""

    entry: WaitlistEntry
    start_at: datetime
    end_at: datetime


def _kinds_done_by(practitioner: Practitioner) -> list[str]:
    """The kinds ``scheduler.selectors.is_qualified`` allows this practitioner, for SQL."""
    flags = {
        Kind.EXAM: practitioner.can_examine,
        Kind.PRESCRIPTION: practitioner.can_prescribe,
        Kind.INJECTION: practitioner.can_inject,
        Kind.REVIEW: practitioner.can_examine or practitioner.can_inject,
    }
    return [kind for kind, ok in flags.items() if ok and practitioner.active]


def waiting_for(practitioner: Practitioner) -> QuerySet[WaitlistEntry]:
    """Waiting entries this practitioner could see, on any day: their step and practitioner."""
    return WaitlistEntry.objects.filter(
        status=WaitlistStatus.WAITING,
        kind__in=_kinds_done_by(practitioner),
        treatment_type__in=practitioner.treatment_types.values("pk"),
    ).filter(Q(practitioner__isnull=True) | Q(practitioner=practitioner))


def candidates(
    *,
    practitioner: Practitioner,
    start_at: datetime,
    exclude_entry_ids: Collection[int] = (),
    only: Q | None = None,
) -> QuerySet[WaitlistEntry]:
    """Waiting entries whose dates, practitioner and step this time could suit, in order."""
    day = clock.local_date(start_at)
    return (
        waiting_for(practitioner)
        .filter(earliest_on__lte=day, latest_on__gte=day)
        # A patient waiting to be moved earlier is never offered a later time.
        .filter(Q(appointment__isnull=True) | Q(appointment__start_at__gt=start_at))
        .exclude(pk__in=list(exclude_entry_ids))
        .filter(only or Q())
        .select_related("treatment_type", "course", "appointment", "patient")
        .order_by("created_at", "id")
    )


def _chunks(qs: QuerySet[WaitlistEntry]) -> Iterator[list[WaitlistEntry]]:
    """Keyset pages in waiting order: each page one query, however deep."""
    after: Q = Q()
    while True:
        page = list(qs.filter(after)[:CHUNK])
        if page:
            yield page
        if len(page) < CHUNK:
            return
        last = page[-1]
        after = Q(created_at__gt=last.created_at) | Q(created_at=last.created_at, id__gt=last.pk)


class _Histories:
    """The rules' view of a chunk of entries, in four queries for any number of them."""

    def __init__(self, entries: list[WaitlistEntry], start_at: datetime, end_at: datetime):
        patients = {e.patient_id for e in entries}
        courses = {e.course_id for e in entries}
        rows = (
            Appointment.objects.filter(patient_id__in=patients)
            .filter(Q(course_id__in=courses) | Q(kind=Kind.INJECTION, status__in=LIVE_STATUSES))
            .select_related("course__treatment_type")
            .order_by("start_at", "id")
        )
        self.rows: dict[int, list[Appointment]] = defaultdict(list)
        for a in rows:
            self.rows[a.patient_id].append(a)
        # The course's latest prescription with its live injections, as selectors._current.
        self.prescription: dict[int, Prescription] = {}
        for rx in (
            Prescription.objects.filter(course_id__in=courses)
            .annotate(used=Count("injections", filter=Q(injections__status__in=LIVE_STATUSES)))
            .order_by("course_id", "-written_on", "-id")
        ):
            self.prescription.setdefault(rx.course_id, rx)
        insured = [e.course_id for e in entries if e.course.funding == Funding.INSURANCE]
        self.authorizations: dict[int, list[Authorization]] = defaultdict(list)
        if insured:
            for auth in Authorization.objects.filter(course_id__in=insured).order_by(
                "valid_from", "id"
            ):
                self.authorizations[auth.course_id].append(auth)
        # The patients' own live appointments around the time: one place at a time.
        self.busy: dict[int, list[tuple[int, datetime, datetime]]] = defaultdict(list)
        for pk, patient_id, begins, ends in Appointment.objects.filter(
            patient_id__in=patients,
            status__in=LIVE_STATUSES,
            start_at__lt=end_at,
            end_at__gt=start_at,
        ).values_list("pk", "patient_id", "start_at", "end_at"):
            self.busy[patient_id].append((pk, begins, ends))

    def history(self, entry: WaitlistEntry) -> pathway.CourseHistory:
        moving = entry.appointment
        exclude_id = moving.pk if moving is not None else None
        visits, injections, _ = split_visits(
            self.rows[entry.patient_id], entry.treatment_type, entry.course, exclude_id
        )
        rx = self.prescription.get(entry.course_id)
        state = prescription_state(rx)
        if state is not None and moving is not None and moving.prescription_id == rx.pk:  # type: ignore[union-attr]
            # The visit being moved does not use a session of its own prescription twice.
            state = pathway.PrescriptionState(
                state.valid_until,
                state.sessions,
                state.sessions_used - (moving.status in LIVE_STATUSES),
                state.units_per_session,
            )
        insured = entry.course.funding == Funding.INSURANCE
        return pathway.CourseHistory(
            treatment_rules(entry.treatment_type),
            visits,
            state,
            injections,
            insured=insured,
            authorizations=[authorization_state(a) for a in self.authorizations[entry.course_id]],
        )

    def patient_free(self, entry: WaitlistEntry, start_at: datetime, end_at: datetime) -> bool:
        own = entry.appointment_id
        return not any(
            pk != own and begins < end_at and ends > start_at
            for pk, begins, ends in self.busy[entry.patient_id]
        )


def _allowed(entry: WaitlistEntry, history: pathway.CourseHistory, start_at: datetime) -> bool:
    """Every rule the booking service applies, none overridden: a link never overrides."""
    rules = limits()
    try:
        pathway.check_pathway(entry.kind, start_at, history, rules)
    except PathwayError:
        return False
    if entry.kind != Kind.INJECTION:
        return True
    moving = entry.appointment
    units = (moving.planned_units if moving is not None else None) or pathway.planned_units_floor(
        history, entry.treatment_type.typical_units
    )
    exclude_id = moving.pk if moving is not None else None
    verdict = pathway.check_safety(start_at, units, history, rules, exclude_id=exclude_id)
    return not verdict.overridable


def _length(entry: WaitlistEntry) -> timedelta:
    moving = entry.appointment
    if moving is not None:
        return moving.end_at - moving.start_at
    return timedelta(minutes=entry.treatment_type.minutes_for(entry.kind))


def list_fitting_entries(
    *,
    practitioner: Practitioner,
    start_at: datetime,
    want: int | None = None,
    exclude_entry_ids: Collection[int] = (),
    only: Q | None = None,
) -> list[Fit]:
    """The waiting entries that could book ``start_at`` with ``practitioner``, in waiting
    order, at most ``want`` of them (all when None). ``only`` narrows the entries further
    (the caller's own condition, e.g. patients who may be texted, or one entry)."""
    if start_at < clock.now():
        return []
    try:
        check_on_grid(start_at, grid_minutes=settings.SLOT_GRID_MINUTES)
    except PathwayError:
        return []
    day = clock.local_date(start_at)
    hours = hours_of(practitioner)
    day_start, day_end = range_bounds(day, day)
    taken = get_busy([practitioner.pk], day_start, day_end).get(practitioner.pk, [])
    local_start = clock.local(start_at).time()
    part = next((p for p in PARTS if in_part(part=p, start=local_start)), "")
    found: list[Fit] = []
    qs = candidates(
        practitioner=practitioner,
        start_at=start_at,
        exclude_entry_ids=exclude_entry_ids,
        only=only,
    )
    for chunk in _chunks(qs):
        longest = max(_length(e) for e in chunk)
        histories = _Histories(chunk, start_at, start_at + longest)
        for entry in chunk:
            if entry.parts_of_day and part not in entry.parts_of_day:
                continue
            end_at = start_at + _length(entry)
            begins, ends = to_micros(start_at), to_micros(end_at)
            if not fits_hours(start_at, end_at, hours) or any(
                s < ends and e > begins for s, e in taken
            ):
                continue
            if not histories.patient_free(entry, start_at, end_at):
                continue
            if _allowed(entry, histories.history(entry), start_at):
                found.append(Fit(entry, start_at, end_at))
                if want is not None and len(found) >= want:
                    return found
    return found
