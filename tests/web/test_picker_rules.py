"""The booking and Move pages: the slot picker offers only what the booking will accept."""

import pytest

from bookings.models import Appointment
from tests.factories import PractitionerFactory
from tests.web.conftest import at

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
    book(patient, "exam", at(3, 10))
    other = PractitionerFactory(name="Dr. Ben Okafor")
    response = client_for("front_desk").post(
        "/book/confirm/", booking_post(patient, other, "exam", at(3, 10, 15), code="frown-lines")
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
    book(patient, "exam", at(3, 10), practitioner=other)
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
    book(patient, "exam", at(3, 10), practitioner=other)
    moving = book(patient, "exam", at(4, 10), code="frown-lines")
    client = client_for("front_desk")
    picker = client.get(f"/appointments/{moving.pk}/move/?day=2026-03-03").content.decode()
    assert "Free on Tuesday 3 March" in picker
    assert ">10:00<" not in picker and ">10:30<" in picker
    response = client.post(
        f"/appointments/{moving.pk}/move/", {"practitioner": doctor.pk, "start": at(3, 10)}
    )
    assert response.status_code == 409
    assert "already has an appointment" in response.content.decode()
    moving.refresh_from_db()
    assert moving.start_at == at(4, 10)
