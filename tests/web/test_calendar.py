"""The day calendar: columns, placement, and a constant number of queries."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Appointment, Course, Status
from scheduler.models import Kind
from tests.clock import in_march
from tests.factories import PatientFactory, PractitionerFactory, treatment

pytestmark = pytest.mark.django_db


def fill(practitioners: int, per_practitioner: int) -> None:
    migraine = treatment("migraine")
    for p in range(practitioners):
        doctor = PractitionerFactory(name=f"Dr. Column {p}")
        for i in range(per_practitioner):
            patient = PatientFactory()
            course = Course.objects.create(patient=patient, treatment_type=migraine)
            start = in_march(2, 9) + timedelta(minutes=15 * i)
            Appointment.objects.create(
                course=course,
                patient=patient,
                practitioner=doctor,
                kind=list(Kind)[i % 4],
                start_at=start,
                end_at=start + timedelta(minutes=15),
                status=[Status.BOOKED, Status.CONFIRMED, Status.CHECKED_IN, Status.CANCELLED][
                    i % 4
                ],
            )


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/calendar/?date=2026-03-02")
    assert response.status_code == 200
    return len(captured)


def test_the_calendar_takes_the_same_queries_for_6_practitioners_x_60_as_for_a_few(client_for):
    client = client_for("front_desk")
    fill(1, 2)
    client.get("/calendar/?date=2026-03-02")  # warm up sessions and caches
    few = queries_for(client)
    fill(5, 12)
    assert Appointment.objects.count() == 62
    many = queries_for(client)
    assert many == few


def test_the_calendar_shows_a_column_per_working_practitioner(client_for, frozen):
    PractitionerFactory(name="Dr. Weekday")
    PractitionerFactory(name="Dr. Saturday", hours=([5], time(9), time(13)))
    client = client_for("front_desk")
    monday = client.get("/calendar/?date=2026-03-02").content.decode()
    assert "Dr. Weekday" in monday and "Dr. Saturday" not in monday
    saturday = client.get("/calendar/?date=2026-03-07").content.decode()
    assert "Dr. Saturday" in saturday and "Dr. Weekday" not in saturday


def test_appointments_show_kind_status_and_cancelled_only_on_request(
    client_for, patient, book, frozen
):
    kept = book(patient, "exam", in_march(2, 9))
    gone = book(PatientFactory(first_name="Gone"), "exam", in_march(2, 10))
    from bookings import services

    services.cancel_appointment(appointment=gone, by=None, reason="Patient unwell")
    client = client_for("front_desk")
    html = client.get("/calendar/?date=2026-03-02").content.decode()
    assert f"/appointments/{kept.pk}/" in html
    assert "appt kind-exam status-booked" in html
    assert "Gone Example" not in html
    assert "Show 1 cancelled" in html
    shown = client.get("/calendar/?date=2026-03-02&cancelled=1").content.decode()
    assert "status-cancelled" in shown and "Gone Example" in shown


def test_a_bad_date_falls_back_to_today_with_a_message(client_for, frozen):
    html = client_for("front_desk").get("/calendar/?date=tomorrow").content.decode()
    assert "is not a date; showing today" in html
    assert "Monday 2 March 2026" in html
