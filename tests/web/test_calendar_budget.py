"""The calendar day page at the size the budget names: 10 practitioners × 30 appointments,
in the same number of queries as an almost empty day (docs/performance.md)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Appointment, Course, Patient
from scheduler.models import Kind
from tests.clock import in_march
from tests.factories import PatientFactory, PractitionerFactory, treatment

pytestmark = pytest.mark.django_db


def fill(practitioners: int, per_practitioner: int) -> None:
    migraine = treatment("migraine")
    for p in range(practitioners):
        doctor = PractitionerFactory(name=f"Dr. Budget {p}")
        patients = Patient.objects.bulk_create(
            PatientFactory.build(alerts="Latex allergy" if i % 5 == 0 else "")
            for i in range(per_practitioner)
        )
        courses = Course.objects.bulk_create(
            Course(patient=patient, treatment_type=migraine) for patient in patients
        )
        Appointment.objects.bulk_create(
            Appointment(
                course=course,
                patient=course.patient,
                practitioner=doctor,
                kind=list(Kind)[i % 4],
                start_at=in_march(2, 9) + timedelta(minutes=15 * i),
                end_at=in_march(2, 9) + timedelta(minutes=15 * (i + 1)),
            )
            for i, course in enumerate(courses)
        )


def test_the_day_page_for_10_practitioners_x_30_costs_what_a_quiet_day_costs(client_for):
    client = client_for("front_desk")
    fill(1, 1)
    client.get("/calendar/?date=2026-03-02")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/calendar/?date=2026-03-02")
        assert response.status_code == 200
        return len(captured)

    quiet = count()
    fill(9, 30)
    assert Appointment.objects.count() == 271
    assert count() == quiet
