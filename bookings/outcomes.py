"""The clinical outcome each kind of appointment records when completed (docs/rules.md#pathway)."""

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.conf import settings

from bookings import pathway, roles
from bookings.errors import FieldRefused, PathwayError
from bookings.injection_record import settle_injection
from bookings.models import Appointment, Prescription, Status
from bookings.roles import Actor, recorded_by
from bookings.selectors import get_course_history, limits
from scheduler import clock
from scheduler.models import Kind


def record_outcome(appointment: Appointment, by: Actor, outcome: dict[str, Any]) -> None:
    """Write the outcome onto the appointment (and the prescription, for one)."""
    RECORDERS[Kind(appointment.kind)](appointment, by, outcome)


def _require(outcome: dict[str, Any], name: str, words: str) -> Any:
    value = outcome.get(name)
    if value in (None, ""):
        raise FieldRefused(name, f"Enter the {words} to complete the appointment.")
    return value


def _complete_exam(appointment: Appointment, by: Actor, outcome: dict[str, Any]) -> None:
    diagnosis = str(outcome.get("diagnosis") or "").strip()
    if not diagnosis and appointment.course.treatment_type.requires_prescription:
        raise PathwayError(
            "diagnosis_required",
            "Enter the diagnosis: a therapeutic treatment needs one before its prescription.",
        )
    appointment.diagnosis = diagnosis
    appointment.notes = str(outcome.get("notes") or "")


def _complete_prescription(appointment: Appointment, by: Actor, outcome: dict[str, Any]) -> None:
    course = appointment.course
    exams = course.appointments.filter(
        kind=Kind.EXAM, status=Status.COMPLETED, end_at__lte=appointment.start_at
    )
    if course.treatment_type.requires_prescription:
        if not exams.exclude(diagnosis="").exists():
            raise PathwayError(
                "diagnosis_required",
                "The prescription can only be written after the exam is completed "
                "with a diagnosis.",
            )
    elif not exams.exists():
        # A cosmetic consultation records no diagnosis (docs/rules.md#pathway).
        raise PathwayError(
            "exam_required",
            "The prescription can only be written after the consultation is completed.",
        )
    units = int(_require(outcome, "units_per_session", "units per session"))
    sessions = int(_require(outcome, "sessions", "number of sessions"))
    written_on = clock.today()
    valid_until = outcome.get("valid_until") or written_on + timedelta(
        days=settings.PRESCRIPTION_VALIDITY_DAYS
    )
    if isinstance(valid_until, str):
        valid_until = date.fromisoformat(valid_until)
    if units < 1:
        raise FieldRefused("units_per_session", "Units per session must be at least 1.")
    if sessions < 1:
        raise FieldRefused("sessions", "The number of sessions must be at least 1.")
    if valid_until < written_on:
        raise FieldRefused("valid_until", "“Valid until” cannot be before today.")
    Prescription.objects.create(
        course=course,
        appointment=appointment,
        units_per_session=units,
        sessions=sessions,
        written_on=written_on,
        valid_until=valid_until,
        written_by=recorded_by(by),
    )


def _complete_injection(appointment: Appointment, by: Actor, outcome: dict[str, Any]) -> None:
    # The product is the lot's: a recall finds the injection by the lot's row
    # (docs/rules.md#lots-and-the-injection-record).
    units = int(_require(outcome, "units", "units given"))
    if units < 1:
        raise FieldRefused("units", "Units given must be at least 1.")
    settle_injection(
        appointment=appointment,
        lot=outcome.get("lot"),
        vial=outcome.get("vial"),
        sites=outcome.get("sites"),
        units=units,
    )
    appointment.notes = str(outcome.get("notes") or "")


def check_recorded_units(
    *,
    appointment: Appointment,
    by: Actor,
    override_reason: str = "",
    override_rules: Collection[str] = (),
) -> list[str]:
    """The units given pass the same safety rules as the units planned (docs/rules.md#pathway).

    Returns the rules a clinician overrode by naming them, or raises every rule broken.
    """
    if appointment.kind != Kind.INJECTION:
        return []
    history = get_course_history(
        patient=appointment.patient,
        treatment=appointment.course.treatment_type,
        course=appointment.course,
        exclude_id=appointment.pk,
    )
    rx = appointment.prescription
    if rx is not None and history.prescription is not None:
        # The injection answers to the prescription it was booked under, even if a
        # newer one has been written since.
        history = replace(
            history,
            prescription=replace(history.prescription, units_per_session=rx.units_per_session),
        )
    verdict = pathway.check_safety(
        appointment.start_at,
        appointment.units_given or 0,
        history,
        limits(),
        exclude_id=appointment.pk,
        recording=True,
    )
    return pathway.apply_overrides(
        verdict,
        override_reason=override_reason,
        override_rules=override_rules,
        may_override=roles.can_record_clinical(by),
    )


def _complete_review(appointment: Appointment, by: Actor, outcome: dict[str, Any]) -> None:
    appointment.notes = str(outcome.get("notes") or "")


RECORDERS: dict[Kind, Callable[[Appointment, Any, dict[str, Any]], None]] = {
    Kind.EXAM: _complete_exam,
    Kind.PRESCRIPTION: _complete_prescription,
    Kind.INJECTION: _complete_injection,
    Kind.REVIEW: _complete_review,
}
