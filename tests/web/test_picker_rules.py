"""The booking and Move pages: the slot picker offers only what the booking will accept."""

from datetime import datetime, timedelta

import pytest

from bookings import services
from bookings.models import Appointment, Status
from scheduler.models import Kind
from tests.clock import TZ, in_march
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory, treatment

pytestmark = pytest.mark.django_db


def booking_post(patient, doctor, kind, start, code="migraine"):
    return {
        "patient": patient.pk,
        "treatment": code,
        "kind": kind,
        "practitioner": doctor.pk,
        "start": start.isoformat(),
    }


# --- one patient, one place -------------------------------------------------------


def test_booking_a_busy_patient_with_another_practitioner_is_refused_with_409(
    client_for, patient, doctor, book, frozen
):
    book(patient, "exam", in_march(3, 10))
    other = PractitionerFactory(name="Dr. Ben Okafor")
    response = client_for("front_desk").post(
        "/book/confirm/",
        booking_post(patient, other, "exam", in_march(3, 10, 15), code="frown-lines"),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "already has an appointment from 10:00 to 10:30" in html
    assert "patient_busy" not in html.replace('data-code="patient_busy"', "")
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_the_picker_does_not_offer_times_the_patient_is_busy_elsewhere(
    client_for, patient, doctor, book, frozen
):
    other = PractitionerFactory(name="Dr. Ben Okafor")
    book(patient, "exam", in_march(3, 10), practitioner=other)
    html = (
        client_for("front_desk")
        .get(f"/book/?patient={patient.pk}&treatment=frown-lines&kind=exam&day=2026-03-03")
        .content.decode()
    )
    assert "Free on Tuesday 3 March" in html
    assert "Dr. Amelia Hart" in html
    assert ">09:30<" in html and ">10:30<" in html
    for taken in (">09:45<", ">10:00<", ">10:15<"):
        assert taken not in html


def test_moving_onto_the_patients_other_appointment_is_refused_with_409(
    client_for, patient, doctor, book, frozen
):
    other = PractitionerFactory(name="Dr. Ben Okafor")
    book(patient, "exam", in_march(3, 10), practitioner=other)
    moving = book(patient, "exam", in_march(4, 10), code="frown-lines")
    client = client_for("front_desk")
    picker = client.get(f"/appointments/{moving.pk}/move/?day=2026-03-03").content.decode()
    assert "Free on Tuesday 3 March" in picker
    assert ">10:00<" not in picker and ">10:30<" in picker
    response = client.post(
        f"/appointments/{moving.pk}/move/", {"practitioner": doctor.pk, "start": in_march(3, 10)}
    )
    assert response.status_code == 409
    assert "already has an appointment" in response.content.decode()
    moving.refresh_from_db()
    assert moving.start_at == in_march(4, 10)


# --- the Move page leaves the moved appointment out of its own way -----------------


def test_the_move_page_offers_the_starts_next_to_the_appointment_being_moved(
    client_for, patient, doctor, book, frozen
):
    appointment = book(patient, "exam", in_march(3, 10))
    html = (
        client_for("front_desk")
        .get(f"/appointments/{appointment.pk}/move/?day=2026-03-03")
        .content.decode()
    )
    assert "Free on Tuesday 3 March" in html
    # A 30-minute exam at 09:45 or 10:15 overlaps only its own old time.
    for start in (">09:30<", ">09:45<", ">10:00<", ">10:15<", ">10:30<"):
        assert start in html, start


def test_moving_an_injection_a_few_days_is_offered_and_accepted(client_for, doctor, users, frozen):
    patient = PatientFactory()
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        treatment_code="frown-lines",
        start_at=in_march(2, 9) - timedelta(days=30),
        status=Status.COMPLETED,
    )
    moving = services.book_appointment(
        patient=patient,
        practitioner=doctor,
        treatment=treatment("frown-lines"),
        kind="injection",
        start_at=in_march(3, 10),
        by=users["front_desk"],
    )
    client = client_for("front_desk")
    html = client.get(f"/appointments/{moving.pk}/move/?day=2026-03-05").content.decode()
    assert "Free on Thursday 5 March" in html and ">10:00<" in html
    response = client.post(
        f"/appointments/{moving.pk}/move/", {"practitioner": doctor.pk, "start": in_march(5, 10)}
    )
    assert response.status_code == 302


# --- the picker starts when the next injection is allowed, and says why ------------


def _frown_lines_given(patient, doctor, on):
    """A completed consultation and injection of frown lines at 09:00 and 09:30 on ``on``."""
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        treatment_code="frown-lines",
        start_at=on,
        status=Status.COMPLETED,
    )
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        treatment_code="frown-lines",
        kind=Kind.INJECTION,
        start_at=on + timedelta(minutes=30),
        status=Status.COMPLETED,
        units_given=20,
    )


def test_after_an_injection_the_picker_starts_at_the_first_allowed_day_and_says_why(
    client_for, patient, doctor, frozen
):
    _frown_lines_given(patient, doctor, datetime(2026, 1, 5, 9, tzinfo=TZ))
    html = (
        client_for("front_desk")
        .get(f"/book/?patient={patient.pk}&treatment=frown-lines&kind=injection")
        .content.decode()
    )
    assert "Next injection from Sun 5 Apr 2026: the last frown lines injection was given" in html
    assert "Free on Monday 6 April" in html
    assert "No free time in these two weeks" not in html
    assert "← Earlier" not in html
    # A clinician about to override sees the times the rule refuses, from today.
    clinician = client_for("clinician").get(
        f"/book/?patient={patient.pk}&treatment=frown-lines&kind=injection&all=1"
    )
    assert "Free on Monday 2 March" in clinician.content.decode()
    assert "Next injection from" not in clinician.content.decode()


def test_the_picker_does_not_offer_days_the_dose_limit_refuses(client_for, patient, doctor, frozen):
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        treatment_code="frown-lines",
        start_at=datetime(2026, 2, 20, 9, tzinfo=TZ),
        status=Status.COMPLETED,
    )
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        treatment_code="neck-pain",
        kind=Kind.INJECTION,
        start_at=datetime(2026, 2, 23, 9, tzinfo=TZ),
        status=Status.COMPLETED,
        units_given=390,
    )
    html = (
        client_for("front_desk")
        .get(f"/book/?patient={patient.pk}&treatment=frown-lines&kind=injection")
        .content.decode()
    )
    assert "Next injection from Mon 18 May 2026:" in html
    assert "400-unit limit" in html
    assert "Free on Monday 18 May" in html
    # Asked for a refused day directly, the picker still starts when it is allowed.
    later = client_for("front_desk").get(
        f"/book/?patient={patient.pk}&treatment=frown-lines&kind=injection&from=2026-04-01"
    )
    assert "Free on Monday 18 May" in later.content.decode()


# --- one start-time rule for the web too ---------------------------------------------


def test_booking_off_the_grid_on_the_web_is_refused_in_plain_words(
    client_for, patient, doctor, frozen
):
    response = client_for("front_desk").post(
        "/book/confirm/", booking_post(patient, doctor, "exam", in_march(3, 10, 7))
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert ":00, :15, :30 or :45 past the hour" in html
    assert "off_the_grid" not in html.replace('data-code="off_the_grid"', "")
    assert not Appointment.objects.exists()


def test_a_web_start_in_the_spring_forward_gap_gets_the_apis_words(
    client_for, patient, doctor, book, frozen
):
    appointment = book(patient, "exam", in_march(3, 10))
    response = client_for("front_desk").post(
        f"/appointments/{appointment.pk}/move/",
        {"practitioner": doctor.pk, "start": "2026-03-08T02:30"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "02:30 on Sun 8 Mar 2026 does not exist in clinic time" in html
    appointment.refresh_from_db()
    assert appointment.start_at == in_march(3, 10)


def test_moving_off_the_grid_on_the_web_is_refused(client_for, patient, doctor, book, frozen):
    appointment = book(patient, "exam", in_march(3, 10))
    response = client_for("front_desk").post(
        f"/appointments/{appointment.pk}/move/",
        {"practitioner": doctor.pk, "start": in_march(4, 10).replace(second=30).isoformat()},
    )
    assert response.status_code == 400
    assert "not one of those times" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.start_at == in_march(3, 10)
