"""Fixtures for reminders: rows made through the ORM and a real Celery worker (the fake
Twilio fixtures are in tests/conftest.py: the browser tests read texts from it too)."""

import itertools
from datetime import date, datetime, timedelta

from bookings.models import Appointment, Course, Patient, Status
from reminders.models import Recall, RecallKind
from scheduler import clock
from tests.factories import PatientFactory, PractitionerFactory, RecallFactory, treatment


def make_injection(
    patient: Patient | None = None,
    *,
    code: str = "migraine",
    on: date | None = None,
    practitioner=None,
    status: str = Status.COMPLETED,
    slot: int = 0,
) -> Appointment:
    """A given injection written straight to the database (no pathway checks).

    At 10:00, or for ``slot`` n at 00:00 + n × 10 minutes, so many injections of one
    practitioner on one day do not overlap (PostgreSQL refuses that); a patient's next
    one that day starts when their last one ends.
    """
    patient = patient or PatientFactory()
    course, _ = Course.objects.get_or_create(patient=patient, treatment_type=treatment(code))
    start_at = clock.at(on or clock.today(), datetime.min.time().replace(hour=10))
    if slot:
        start_at = clock.at(on or clock.today(), datetime.min.time()) + timedelta(minutes=10 * slot)
    # Nor two of one patient: a patient is in one appointment at a time.
    while Appointment.objects.filter(
        patient=patient, start_at__lt=start_at + timedelta(minutes=10), end_at__gt=start_at
    ).exists():
        start_at += timedelta(minutes=10)
    return Appointment.objects.create(
        course=course,
        patient=patient,
        practitioner=practitioner or PractitionerFactory(),
        kind="injection",
        start_at=start_at,
        end_at=start_at + timedelta(minutes=10),
        status=status,
        product="onabotulinumtoxinA",
        units_given=155,
    )


_slots = itertools.count()


def make_recall(
    patient: Patient | None = None,
    *,
    due_on: date,
    kind: str = RecallKind.REINJECTION,
    code: str = "migraine",
    practitioner=None,
    **fields: object,
) -> Recall:
    """A recall due on ``due_on`` from an injection given 90 days before it."""
    injection = make_injection(
        patient,
        code=code,
        on=due_on - timedelta(days=90),
        practitioner=practitioner,
        slot=next(_slots) % 140 + 1 if practitioner else 0,
    )
    return RecallFactory(
        patient=injection.patient,
        kind=kind,
        source_appointment=injection,
        due_on=due_on,
        **fields,
    )
