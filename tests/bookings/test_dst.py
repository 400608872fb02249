"""Bookings across the clinic's DST changes: stored in UTC, shown with the right offset."""

from datetime import UTC, datetime, time, timedelta

import pytest

from bookings.models import Appointment, Status
from scheduler.models import Kind
from tests.bookings.support import act, book
from tests.clock import NOW, at, frozen_at
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def stored_start(body) -> datetime:
    return Appointment.objects.get(pk=body["id"]).start_at.astimezone(UTC)


def test_a_therapeutic_pathway_across_the_spring_forward(desk, clinician):
    doctor, patient = PractitionerFactory(), PatientFactory()
    common = dict(patient=patient, practitioner=doctor, treatment_type="migraine")
    with frozen_at(NOW):
        exam = book(desk, **common, kind="exam", start=at(2026, 3, 6, 10)).json()
        rx = book(desk, **common, kind="prescription", start=at(2026, 3, 9, 10)).json()
    assert exam["start"] == "2026-03-06T10:00:00-05:00"
    assert stored_start(exam) == datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
    assert (rx["start"], rx["end"]) == ("2026-03-09T10:00:00-04:00", "2026-03-09T10:15:00-04:00")
    assert stored_start(rx) == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)

    with frozen_at(at(2026, 3, 6, 10, 5)):
        assert act(desk, exam["id"], "check-in").status_code == 200
        done = act(clinician, exam["id"], "complete", diagnosis="Chronic migraine")
        assert done.status_code == 200, done.json()
    with frozen_at(at(2026, 3, 9, 10, 5)):
        assert act(desk, rx["id"], "check-in").status_code == 200
        done = act(clinician, rx["id"], "complete", units_per_session=155, sessions=4)
        assert done.status_code == 200, done.json()
        injection = book(desk, **common, kind="injection", start=at(2026, 3, 10, 10))
    assert injection.status_code == 201, injection.json()
    assert injection.json()["end"] == "2026-03-10T10:30:00-04:00"
    assert stored_start(injection.json()) == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)

    on_monday = desk.get("/api/v1/appointments/", {"date": "2026-03-09"}).json()["results"]
    assert [a["id"] for a in on_monday] == [rx["id"]]
    course = desk.get("/api/v1/courses/", {"patient": patient.pk}).json()["results"][0]
    assert course["prescription"]["written_on"] == "2026-03-09"


def test_a_cosmetic_injection_after_the_fall_back(desk, clinician):
    doctor, patient = PractitionerFactory(), PatientFactory()
    common = dict(patient=patient, practitioner=doctor, treatment_type="frown-lines")
    with frozen_at(at(2026, 10, 26, 8)):
        exam = book(desk, **common, kind="exam", start=at(2026, 10, 30, 10)).json()
    assert exam["start"] == "2026-10-30T10:00:00-04:00"
    assert stored_start(exam) == datetime(2026, 10, 30, 14, 0, tzinfo=UTC)
    with frozen_at(at(2026, 10, 30, 10, 35)):
        assert act(clinician, exam["id"], "complete").status_code == 200
        injection = book(desk, **common, kind="injection", start=at(2026, 11, 2, 10))
        # A start sent in UTC is the same instant, shown back in clinic time.
        review_slot = book(
            desk,
            patient=PatientFactory(),
            practitioner=doctor,
            treatment_type="migraine",
            kind="exam",
            start="2026-11-02T16:00:00Z",
        )
    assert injection.status_code == 201, injection.json()
    assert injection.json()["start"] == "2026-11-02T10:00:00-05:00"
    assert stored_start(injection.json()) == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    assert review_slot.json()["start"] == "2026-11-02T11:00:00-05:00"


def test_the_reinjection_interval_is_counted_in_clinic_days_across_dst(desk):
    doctor, patient = PractitionerFactory(), PatientFactory()
    AppointmentFactory(
        patient=patient,
        treatment_code="frown-lines",
        start_at=at(2026, 1, 7, 9, 30),
        status=Status.COMPLETED,
    )
    AppointmentFactory(
        patient=patient,
        treatment_code="frown-lines",
        kind=Kind.INJECTION,
        start_at=at(2026, 1, 7, 10),
        status=Status.COMPLETED,
        units_given=20,
    )
    common = dict(
        patient=patient, practitioner=doctor, treatment_type="frown-lines", kind="injection"
    )
    with frozen_at(NOW):
        too_soon = book(desk, **common, start=at(2026, 4, 6, 10))  # 89 days
        # 90 clinic days later, though only 89 days 23 hours have passed.
        allowed = book(desk, **common, start=at(2026, 4, 7, 10))
    assert too_soon.json()["code"] == "reinjection_too_soon"
    assert "Tue 7 Apr 2026" in too_soon.json()["detail"]
    assert allowed.status_code == 201, allowed.json()


def test_an_appointment_across_the_doubled_hour_lasts_its_real_duration(desk):
    # A night clinic on the Sunday of the fall-back: 01:45 EDT + 30 min is 01:15 EST.
    doctor = PractitionerFactory(hours=([6], time(0), time(6)))
    with frozen_at(at(2026, 10, 26, 8)):
        response = book(
            desk,
            patient=PatientFactory(),
            practitioner=doctor,
            treatment_type="migraine",
            kind="exam",
            start="2026-11-01T01:45:00-04:00",
        )
    assert response.status_code == 201, response.json()
    assert response.json()["end"] == "2026-11-01T01:15:00-05:00"
    appointment = Appointment.objects.get(pk=response.json()["id"])
    assert appointment.end_at - appointment.start_at == timedelta(minutes=30)
