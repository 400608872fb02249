"""Writes for the waitlist: add, remove, offered, booked, expire (docs/rules.md#waitlist).

The step asked for is checked by the pathway's own rule (``get_pathway_refusal``, the
one the booking pages use), never a rule of ours; the dates by ``scheduler/bounds.py``.
Every change is in the audit trail under the patient.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from bookings.booking_options import get_pathway_refusal
from bookings.day_parts import PARTS
from bookings.errors import FieldRefused, PathwayError
from bookings.models import LIVE_STATUSES, Appointment, Course, Patient
from bookings.roles import Actor, recorded_by
from bookings.selectors import get_course_history
from bookings.services import audit_patient
from bookings.waitlist.models import LIVE_WAITLIST, EndReason, WaitlistEntry, WaitlistStatus
from scheduler import bounds, clock
from scheduler.models import Kind, Practitioner, TreatmentType
from scheduler.selectors import is_qualified

ALREADY_WAITING = "The patient is already on the waitlist for this step of this treatment."


def _audit(entry: WaitlistEntry, action: str, by: Actor, **detail: Any) -> None:
    audit_patient(entry.patient_id, action, by, waitlist_entry=entry.pk, **detail)


def check_window(*, earliest_on: date, latest_on: date) -> None:
    """The dates a time may be offered in: in order, not over, within the booking horizon."""
    if latest_on < earliest_on:
        raise PathwayError(
            "latest_before_earliest", "The latest date must be on or after the earliest date."
        )
    if latest_on < clock.today():
        raise PathwayError(
            "window_in_the_past", "The latest date has already passed; choose dates from today on."
        )
    if earliest_on > bounds.latest_booking_day():
        raise PathwayError("window_too_far_ahead", bounds.horizon_message())


def check_parts(parts_of_day: Iterable[str]) -> list[str]:
    parts = list(dict.fromkeys(parts_of_day))
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise FieldRefused("parts_of_day", f"Choose parts of the day among: {', '.join(PARTS)}.")
    # Every part is the same as none: any time of day.
    return [] if set(parts) == set(PARTS) else parts


def _later_booking(*, course: Course, kind: str) -> Appointment | None:
    """The patient's own coming booking of this step: an accepted offer moves it earlier."""
    return (
        Appointment.objects.filter(
            course=course, kind=kind, status__in=LIVE_STATUSES, start_at__gt=clock.now()
        )
        .exclude(status="completed")
        .order_by("start_at")
        .first()
    )


@transaction.atomic
def add_entry(
    *,
    patient: Patient,
    treatment: TreatmentType,
    kind: str,
    earliest_on: date,
    latest_on: date,
    by: Actor,
    practitioner: Practitioner | None = None,
    parts_of_day: Iterable[str] = (),
    appointment: Appointment | None = None,
) -> WaitlistEntry:
    """Put the patient on the waitlist for the course's next step, or say why not."""
    kind = Kind(kind)
    check_window(earliest_on=earliest_on, latest_on=latest_on)
    parts = check_parts(parts_of_day)
    if practitioner is not None and not is_qualified(practitioner, treatment, kind):
        raise PathwayError(
            "practitioner_not_qualified",
            f"{practitioner.name} does not do {kind.label.lower()} appointments "
            f"for {treatment.name.lower()}.",
        )
    # One change per patient at a time, as booking does: the duplicate check below and
    # the pathway's answer then see every entry and visit.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    course, _ = Course.objects.get_or_create(patient=patient, treatment_type=treatment)
    if appointment is None:
        appointment = _later_booking(course=course, kind=kind)
    elif appointment.course_id != course.pk or appointment.kind != kind:
        raise FieldRefused("appointment", "That appointment is not this step of this treatment.")
    history = get_course_history(
        patient=patient,
        treatment=treatment,
        course=course,
        exclude_id=appointment.pk if appointment is not None else None,
    )
    refusal = get_pathway_refusal(kind=kind, history=history, now=clock.now())
    if refusal is not None:
        raise refusal
    if WaitlistEntry.objects.filter(
        patient=patient, course=course, kind=kind, status__in=LIVE_WAITLIST
    ).exists():
        raise PathwayError("already_on_waitlist", ALREADY_WAITING)
    entry = WaitlistEntry(
        patient=patient,
        course=course,
        treatment_type=treatment,
        kind=kind,
        earliest_on=earliest_on,
        latest_on=latest_on,
        practitioner=practitioner,
        parts_of_day=parts,
        appointment=appointment,
        created_by=recorded_by(by),
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        # The partial unique index has the last word when two adds race.
        if "one_live_waitlist_entry_per_step" in str(exc):
            raise PathwayError("already_on_waitlist", ALREADY_WAITING) from exc
        raise
    _audit(entry, "waitlist_added", by, kind=kind, earliest_on=str(earliest_on))
    return entry


def _lock(entry: WaitlistEntry) -> WaitlistEntry:
    return WaitlistEntry.objects.select_for_update().get(pk=entry.pk)


def _end(entry: WaitlistEntry, status: str, reason: str, by: Actor) -> WaitlistEntry:
    entry.status, entry.end_reason, entry.ended_at = status, reason, clock.now()
    entry.save(update_fields=["status", "end_reason", "ended_at"])
    _audit(entry, f"waitlist_{status}", by)
    return entry


@transaction.atomic
def remove_entry(*, entry: WaitlistEntry, by: Actor) -> WaitlistEntry:
    """Off the list; the row stays for the figures. Removing twice changes nothing."""
    entry = _lock(entry)
    if not entry.is_live:
        return entry
    return _end(entry, WaitlistStatus.REMOVED, EndReason.REMOVED, by)


@transaction.atomic
def mark_booked(*, entry: WaitlistEntry, appointment: Appointment, by: Actor) -> WaitlistEntry:
    entry = _lock(entry)
    entry.appointment = appointment
    entry.save(update_fields=["appointment"])
    return _end(entry, WaitlistStatus.BOOKED, EndReason.BOOKED, by)


def mark_offered(*, entry_ids: Iterable[int]) -> int:
    """Waiting entries asked about a time; the caller holds their locks."""
    return WaitlistEntry.objects.filter(
        pk__in=list(entry_ids), status=WaitlistStatus.WAITING
    ).update(status=WaitlistStatus.OFFERED)


def return_to_waiting(*, entry_ids: Iterable[int]) -> int:
    """An offer that lapsed or went to someone else: the patient keeps their place."""
    return WaitlistEntry.objects.filter(
        pk__in=list(entry_ids), status=WaitlistStatus.OFFERED
    ).update(status=WaitlistStatus.WAITING)


def expired_entries(today: date) -> QuerySet[WaitlistEntry]:
    return WaitlistEntry.objects.filter(status__in=LIVE_WAITLIST, latest_on__lt=today)


@transaction.atomic
def expire_entries() -> int:
    """Entries past their latest date end (the sweep, every minute). One update."""
    return expired_entries(clock.today()).update(
        status=WaitlistStatus.EXPIRED, end_reason=EndReason.EXPIRED, ended_at=clock.now()
    )
