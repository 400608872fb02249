"""Where and when a visit can be: the calendar's rules and the database's last word.

The booking service asks ``check_calendar`` before saving (past, grid, qualification,
hours and time off, the practitioner and the patient free) and saves through
``save_without_overlap``, which turns the PostgreSQL exclusion constraints' refusals into
the same rule codes (docs/rules.md#calendar).
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction

from bookings.errors import PathwayError, PatientBusy, SlotTaken
from bookings.models import LIVE_STATUSES, Appointment, Patient, Status
from bookings.start_times import check_on_grid
from scheduler import clock
from scheduler.models import Kind, Practitioner, TimeOff, TreatmentType
from scheduler.selectors import hours_of, is_qualified, overlapping
from scheduler.slots import fits_hours


def check_calendar(
    *,
    patient: Patient,
    practitioner: Practitioner,
    treatment: TreatmentType,
    kind: str,
    start_at: datetime,
    end_at: datetime,
    exclude_id: int | None = None,
) -> None:
    if start_at < clock.now():
        raise PathwayError(
            "in_the_past", "That time has already passed; choose a time from now on."
        )
    check_on_grid(start_at, grid_minutes=settings.SLOT_GRID_MINUTES)
    if not is_qualified(practitioner, treatment, kind):
        raise PathwayError(
            "practitioner_not_qualified",
            f"{practitioner.name} does not do {Kind(kind).label.lower()} appointments "
            f"for {treatment.name.lower()}.",
        )
    span = overlapping(start_at, end_at)
    off = TimeOff.objects.filter(span, practitioner=practitioner).exists()
    if off or not fits_hours(start_at, end_at, hours_of(practitioner)):
        local = clock.local(start_at)
        raise PathwayError(
            "outside_working_hours",
            f"{practitioner.name} is not working at {local:%H:%M} on {local:%a %d %b %Y} "
            f"for the whole {int((end_at - start_at).total_seconds() // 60)} minutes.",
        )
    others = Appointment.objects.filter(span, practitioner=practitioner).exclude(
        status=Status.CANCELLED
    )
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    if others.exists():
        raise SlotTaken()
    check_patient_free(patient=patient, start_at=start_at, end_at=end_at, exclude_id=exclude_id)


def check_patient_free(
    *, patient: Patient, start_at: datetime, end_at: datetime, exclude_id: int | None
) -> None:
    """One patient, one place: no two live appointments overlap, whoever the practitioners."""
    others = Appointment.objects.filter(
        overlapping(start_at, end_at), patient=patient, status__in=LIVE_STATUSES
    )
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    clash = others.select_related("practitioner").order_by("start_at").first()
    if clash is not None:
        begins, ends = clock.local(clash.start_at), clock.local(clash.end_at)
        raise PatientBusy(
            f"The patient already has an appointment from {begins:%H:%M} to {ends:%H:%M} on "
            f"{begins:%a} {begins.day} {begins:%b %Y} with {clash.practitioner.name}. "
            "Please choose another time."
        )


# PostgreSQL's "deadlock detected": two bookings that insert clashing rows at the same
# moment each wait on the other's row in the exclusion check, and PostgreSQL aborts one.
DEADLOCK_DETECTED = "40P01"


def save_without_overlap(appointment: Appointment) -> None:
    """The database has the last word on overlaps (PostgreSQL's exclusion constraints)."""
    try:
        with transaction.atomic():
            appointment.save()
    except OperationalError as exc:
        # The aborted one lost the race for that time: the other booking holds it.
        if getattr(exc.__cause__, "sqlstate", None) == DEADLOCK_DETECTED:
            raise SlotTaken() from exc
        raise
    except IntegrityError as exc:
        if "appointment_no_overlap" in str(exc):
            raise SlotTaken() from exc
        if "appointment_patient_no_overlap" in str(exc):
            raise PatientBusy() from exc
        raise
