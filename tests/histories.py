"""A patient's clinical history written straight into the database, for any test.

No pathway checks run here: these are what already happened (an exam, a prescription,
an injection given) so a test can ask the rules about what comes next.
"""

from datetime import date, datetime, timedelta

from bookings.models import (
    Appointment,
    Authorization,
    Course,
    Funding,
    Patient,
    Prescription,
    Status,
)
from scheduler.models import Kind
from tests.clock import at
from tests.factories import AppointmentFactory, PatientFactory, PrescriptionFactory


def given_injection(patient: Patient, code: str, start_at: datetime, units: int) -> Appointment:
    """An injection already given, straight into the history."""
    return AppointmentFactory(
        patient=patient,
        treatment_code=code,
        kind=Kind.INJECTION,
        status=Status.COMPLETED,
        start_at=start_at,
        planned_units=units,
        units_given=units,
    )


def diagnosed_exam(patient: Patient, code: str, start_at: datetime) -> Appointment:
    return AppointmentFactory(
        patient=patient,
        treatment_code=code,
        kind=Kind.EXAM,
        status=Status.COMPLETED,
        start_at=start_at,
        diagnosis="Confirmed at consultation",
    )


def written_prescription(
    patient: Patient,
    code: str = "migraine",
    *,
    examined_at: datetime | None = None,
    **fields: object,
) -> Prescription:
    """An exam with its diagnosis, then the prescription half an hour later (by default
    on 2 February 2026, 09:00)."""
    examined_at = examined_at or at(2026, 2, 2, 9)
    diagnosed_exam(patient, code, examined_at)
    return PrescriptionFactory(
        appointment__patient=patient,
        appointment__treatment_code=code,
        appointment__start_at=examined_at + timedelta(minutes=30),
        **fields,
    )


def cosmetic_patient_injected(on: datetime, units: int = 20) -> Patient:
    patient = PatientFactory()
    diagnosed_exam(patient, "frown-lines", at(2026, 1, 5, 9))
    given_injection(patient, "frown-lines", on, units)
    return patient


def insured(
    course: Course,
    *,
    authorized: bool = True,
    units: int = 620,
    sessions: int = 4,
    valid_from: date = date(2026, 2, 1),
    valid_until: date = date(2026, 8, 31),
) -> None:
    """The course paid by insurance, with the insurer's authorization unless told not."""
    course.funding = Funding.INSURANCE
    course.save(update_fields=["funding"])
    if authorized:
        Authorization.objects.create(
            course=course,
            payer="Sun Life",
            number="A-1",
            approved_units=units,
            approved_sessions=sessions,
            valid_from=valid_from,
            valid_until=valid_until,
        )
