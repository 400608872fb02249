"""Every change to patients, courses and appointments goes through here."""

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from bookings import actions, pathway, roles
from bookings.calendar_checks import check_calendar, save_without_overlap
from bookings.errors import PathwayError
from bookings.events import Event, publish
from bookings.models import Appointment, AuditEntry, Course, Patient, Status
from bookings.outcomes import check_recorded_units, record_outcome
from bookings.roles import Actor, recorded_by
from bookings.selectors import get_course_history, get_current_prescription, limits
from scheduler import clock
from scheduler.models import (
    RECALL_INTERVAL_MAX_DAYS,
    RECALL_INTERVAL_MIN_DAYS,
    Kind,
    Practitioner,
    TreatmentType,
)


def audit(appointment: Appointment, action: str, by: Actor, **detail: Any) -> None:
    AuditEntry.objects.create(
        appointment=appointment, action=action, by=recorded_by(by), detail=detail
    )


def audit_patient(patient_id: int, action: str, by: Actor, **detail: Any) -> None:
    """A change about the patient rather than one appointment (funding, the waitlist)."""
    AuditEntry.objects.create(
        patient_id=patient_id, action=action, by=recorded_by(by), detail=detail
    )


# --- booking --------------------------------------------------------------------


def _check_rules(
    *,
    patient: Patient,
    course: Course | None,
    treatment: TreatmentType,
    kind: str,
    start_at: datetime,
    planned_units: int | None,
    by: Actor,
    override_reason: str,
    override_rules: Collection[str],
    exclude_id: int | None = None,
    new_plan: bool = True,
) -> tuple[list[str], int]:
    """The rules overridden and the units planned, or the refusal; a move (``new_plan``
    False) keeps the units checked when they were planned."""
    history = get_course_history(
        patient=patient, treatment=treatment, course=course, exclude_id=exclude_id
    )
    rules = limits()
    pathway.check_pathway(kind, start_at, history, rules)
    verdict = pathway.Verdict()
    clinician = roles.can_record_clinical(by)
    units = planned_units or 0
    if kind == Kind.INJECTION:
        if planned_units is None:
            units = pathway.planned_units_floor(history, treatment.typical_units)
        elif new_plan:
            pathway.check_planned_units(
                units, history, treatment.typical_units, may_plan_fewer=clinician
            )
        verdict = pathway.check_safety(start_at, units, history, rules, exclude_id=exclude_id)
    overridden = pathway.apply_overrides(
        verdict,
        override_reason=override_reason,
        override_rules=override_rules,
        may_override=clinician,
    )
    return overridden, units


@transaction.atomic
def book_appointment(
    *,
    patient: Patient,
    practitioner: Practitioner,
    treatment: TreatmentType,
    kind: str,
    start_at: datetime,
    by: Actor,
    planned_units: int | None = None,
    override_reason: str = "",
    override_rules: Collection[str] = (),
) -> Appointment:
    """Book after the pathway and the calendar both agree."""
    # One booking per patient at a time, so the dose and interval rules see every
    # injection; the practitioner's calendar is guarded by the overlap check below.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    kind = Kind(kind)
    # In UTC: adding minutes to a clinic-zone datetime adds wall-clock time, which is
    # wrong across a DST change.
    start_at = start_at.astimezone(UTC)
    end_at = start_at + timedelta(minutes=treatment.minutes_for(kind))
    check_calendar(
        patient=patient,
        practitioner=practitioner,
        treatment=treatment,
        kind=kind,
        start_at=start_at,
        end_at=end_at,
    )
    course = Course.objects.filter(patient=patient, treatment_type=treatment).first()
    overridden, units = _check_rules(
        patient=patient,
        course=course,
        treatment=treatment,
        kind=kind,
        start_at=start_at,
        planned_units=planned_units,
        by=by,
        override_reason=override_reason,
        override_rules=override_rules,
    )
    if course is None:
        course = Course.objects.create(patient=patient, treatment_type=treatment)
    appointment = Appointment(
        course=course,
        patient=patient,
        practitioner=practitioner,
        kind=kind,
        start_at=start_at,
        end_at=end_at,
        planned_units=units if kind == Kind.INJECTION else None,
        override_reason=override_reason.strip() if overridden else "",
        overridden_rules=overridden,
        created_by=recorded_by(by),
    )
    if kind == Kind.INJECTION and treatment.requires_prescription:
        appointment.prescription = get_current_prescription(course)
    save_without_overlap(appointment)
    audit(appointment, "booked", by, start_at=start_at.isoformat(), practitioner=practitioner.pk)
    if overridden:
        audit(appointment, "override", by, rules=overridden, reason=appointment.override_reason)
    publish(Event.BOOKED, appointment)
    return appointment


@transaction.atomic
def move_appointment(
    *,
    appointment: Appointment,
    start_at: datetime,
    by: Actor,
    practitioner: Practitioner | None = None,
    override_reason: str = "",
    override_rules: Collection[str] = (),
) -> Appointment:
    """Another time (or practitioner) for the same visit; the rules are checked again."""
    appointment = lock(appointment)
    Patient.objects.select_for_update().get(pk=appointment.patient_id)
    _allow(appointment, actions.MOVE)
    practitioner = practitioner or appointment.practitioner
    treatment = appointment.course.treatment_type
    start_at = start_at.astimezone(UTC)
    end_at = start_at + (appointment.end_at - appointment.start_at)
    check_calendar(
        patient=appointment.patient,
        practitioner=practitioner,
        treatment=treatment,
        kind=appointment.kind,
        start_at=start_at,
        end_at=end_at,
        exclude_id=appointment.pk,
    )
    overridden, _ = _check_rules(
        patient=appointment.patient,
        course=appointment.course,
        treatment=treatment,
        kind=appointment.kind,
        start_at=start_at,
        planned_units=appointment.planned_units,
        by=by,
        override_reason=override_reason,
        override_rules=override_rules,
        exclude_id=appointment.pk,
        new_plan=False,
    )
    before, before_practitioner = appointment.start_at, appointment.practitioner_id
    appointment.start_at, appointment.end_at = start_at, end_at
    appointment.practitioner = practitioner
    # A confirmation was for the old time.
    appointment.status, appointment.confirmed_at = Status.BOOKED, None
    if overridden:
        appointment.override_reason = override_reason.strip()
        appointment.overridden_rules = overridden
    save_without_overlap(appointment)
    audit(
        appointment,
        "moved",
        by,
        before=before.isoformat(),
        after=start_at.isoformat(),
        practitioner_before=before_practitioner,
    )
    if overridden:
        reason = appointment.override_reason
        audit(appointment, "override", by, rules=overridden, reason=reason, when="moved")
    publish(Event.MOVED, appointment)
    return appointment


# --- status actions -------------------------------------------------------------


def lock(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update()
        .select_related("course__treatment_type", "patient", "practitioner")
        .get(pk=appointment.pk)
    )


def _allow(appointment: Appointment, action: str) -> None:
    """Refuse what bookings/actions.py refuses: the pages offer only what it allows."""
    words = actions.refusal(
        action,
        status=appointment.status,
        start_at=appointment.start_at,
        checked_in_at=appointment.checked_in_at,
        now=clock.now(),
    )
    if words is not None:
        raise PathwayError("invalid_transition", words)


def transition(appointment: Appointment, to: str) -> None:
    _allow(appointment, to)
    appointment.status = to


@transaction.atomic
def confirm_appointment(*, appointment: Appointment, by: Actor) -> Appointment:
    appointment = lock(appointment)
    transition(appointment, Status.CONFIRMED)
    appointment.confirmed_at = clock.now()
    appointment.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit(appointment, "confirmed", by)
    publish(Event.CONFIRMED, appointment)
    return appointment


@transaction.atomic
def check_in_appointment(*, appointment: Appointment, by: Actor) -> Appointment:
    appointment = lock(appointment)
    transition(appointment, Status.CHECKED_IN)
    appointment.checked_in_at = clock.now()
    appointment.save(update_fields=["status", "checked_in_at", "updated_at"])
    audit(appointment, "checked_in", by)
    publish(Event.CHECKED_IN, appointment)
    return appointment


@transaction.atomic
def cancel_appointment(*, appointment: Appointment, by: Actor, reason: str) -> Appointment:
    appointment = lock(appointment)
    transition(appointment, Status.CANCELLED)
    appointment.cancel_reason = reason.strip()[:200]
    appointment.cancelled_at = clock.now()
    appointment.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
    audit(appointment, "cancelled", by, reason=appointment.cancel_reason)
    publish(Event.CANCELLED, appointment)
    return appointment


@transaction.atomic
def complete_appointment(
    *,
    appointment: Appointment,
    by: Actor,
    outcome: dict[str, Any],
    override_reason: str = "",
    override_rules: Collection[str] = (),
) -> Appointment:
    """Record the clinical outcome (docs/rules.md#pathway); clinicians only. An injection's units
    pass the booking's safety rules, or a clinician overrides them by name."""
    if not roles.can_record_clinical(by):
        raise PathwayError(
            "not_allowed", "Only a clinician can record the outcome of an appointment.", status=403
        )
    appointment = lock(appointment)
    transition(appointment, Status.COMPLETED)
    record_outcome(appointment, recorded_by(by), outcome)
    overridden = check_recorded_units(
        appointment=appointment,
        by=by,
        override_reason=override_reason,
        override_rules=override_rules,
    )
    appointment.completed_at = clock.now()
    appointment.completed_by = recorded_by(by)
    appointment.save()
    recorded = {k: v if isinstance(v, list) else str(v) for k, v in outcome.items()}
    if appointment.product_lot_id is not None:
        # The trail names the lot as a recall reads it, beside the id sent.
        recorded["lot_number"] = appointment.lot
    audit(appointment, "completed", by, **recorded)
    if overridden:
        reason = override_reason.strip()
        audit(appointment, "override", by, rules=overridden, reason=reason, when="recorded")
    publish(Event.COMPLETED, appointment)
    return appointment


# --- courses --------------------------------------------------------------------


@transaction.atomic
def set_recall_interval(*, course: Course, days: int | None, by: Actor) -> Course:
    """A clinician tailors the recall to the patient (the seeds: it depends on severity)."""
    if not roles.can_record_clinical(by):
        raise PathwayError(
            "not_allowed", "Only a clinician can change the recall interval.", status=403
        )
    if days is not None and not RECALL_INTERVAL_MIN_DAYS <= days <= RECALL_INTERVAL_MAX_DAYS:
        raise PathwayError(
            "recall_interval_out_of_range",
            f"The recall interval must be {RECALL_INTERVAL_MIN_DAYS} to "
            f"{RECALL_INTERVAL_MAX_DAYS} days.",
        )
    course.recall_interval_days = days
    course.save(update_fields=["recall_interval_days"])
    return course


__all__ = [
    "book_appointment",
    "cancel_appointment",
    "check_in_appointment",
    "complete_appointment",
    "confirm_appointment",
    "move_appointment",
    "set_recall_interval",
]
