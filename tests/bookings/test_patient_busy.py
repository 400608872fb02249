"""A patient is never in two live appointments at once, whoever the practitioners are."""

import pytest
from django.db import IntegrityError, transaction

from bookings.models import Appointment, Status
from bookings.selectors import list_slots
from scheduler.models import Kind
from tests.bookings.support import act, book
from tests.clock import NOW, at, frozen_at
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory, treatment

pytestmark = pytest.mark.django_db


def test_booking_a_patient_already_busy_with_another_practitioner_is_patient_busy(desk):
    patient, first, second = PatientFactory(), PractitionerFactory(), PractitionerFactory()
    with frozen_at(NOW):
        booked = book(
            desk,
            patient=patient,
            practitioner=first,
            treatment_type="migraine",
            kind="exam",
            start=at(2026, 3, 3, 10),
        )
        clash = book(
            desk,
            patient=patient,
            practitioner=second,
            treatment_type="frown-lines",
            kind="exam",
            start=at(2026, 3, 3, 10, 15),
        )
    assert booked.status_code == 201, booked.json()
    assert clash.status_code == 409
    assert clash.json()["code"] == "patient_busy"
    assert "10:00" in clash.json()["detail"]
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_back_to_back_and_cancelled_appointments_leave_the_patient_free(desk):
    patient, first, second = PatientFactory(), PractitionerFactory(), PractitionerFactory()
    AppointmentFactory(patient=patient, practitioner=first, start_at=at(2026, 3, 3, 10))
    AppointmentFactory(
        patient=patient, practitioner=first, start_at=at(2026, 3, 3, 11), status=Status.CANCELLED
    )
    common = dict(patient=patient, practitioner=second, treatment_type="frown-lines", kind="exam")
    with frozen_at(NOW):
        after = book(desk, **common, start=at(2026, 3, 3, 10, 30))
        over_cancelled = book(desk, **common, start=at(2026, 3, 3, 11))
    assert after.status_code == 201, after.json()
    assert over_cancelled.status_code == 201, over_cancelled.json()


def test_moving_onto_the_patients_other_appointment_is_patient_busy(desk):
    patient, first, second = PatientFactory(), PractitionerFactory(), PractitionerFactory()
    AppointmentFactory(patient=patient, practitioner=first, start_at=at(2026, 3, 3, 10))
    moving = AppointmentFactory(
        patient=patient,
        practitioner=second,
        treatment_code="frown-lines",
        start_at=at(2026, 3, 4, 10),
    )
    with frozen_at(NOW):
        clash = act(desk, moving.pk, "move", start=at(2026, 3, 3, 10).isoformat())
        # Overlapping its own old time is no clash.
        nudged = act(desk, moving.pk, "move", start=at(2026, 3, 4, 10, 15).isoformat())
    assert clash.status_code == 409
    assert clash.json()["code"] == "patient_busy"
    assert nudged.status_code == 200, nudged.json()


def test_the_slot_search_for_a_patient_leaves_out_times_they_are_busy():
    patient, first, second = PatientFactory(), PractitionerFactory(), PractitionerFactory()
    AppointmentFactory(patient=patient, practitioner=first, start_at=at(2026, 3, 3, 10))
    with frozen_at(NOW):
        slots = list_slots(
            treatment=treatment("migraine"),
            kind=Kind.EXAM,
            first=at(2026, 3, 3).date(),
            last=at(2026, 3, 3).date(),
            practitioner_id=second.pk,
            patient=patient,
        )
    starts = {s.start_at for s in slots}
    # A 30-minute exam may not start from 09:45 (it would run into 10:00) to 10:15.
    assert at(2026, 3, 3, 9, 30) in starts
    assert not starts & {at(2026, 3, 3, 9, 45), at(2026, 3, 3, 10), at(2026, 3, 3, 10, 15)}
    assert at(2026, 3, 3, 10, 30) in starts


@pytest.mark.postgres
def test_the_database_refuses_a_second_live_appointment_of_one_patient_at_once():
    patient = PatientFactory()
    AppointmentFactory(patient=patient, start_at=at(2026, 3, 3, 10))
    AppointmentFactory(patient=patient, start_at=at(2026, 3, 3, 10, 30))  # back to back
    AppointmentFactory(patient=patient, start_at=at(2026, 3, 3, 11), status=Status.CANCELLED)
    AppointmentFactory(patient=patient, start_at=at(2026, 3, 3, 11))
    with (
        pytest.raises(IntegrityError, match="appointment_patient_no_overlap"),
        transaction.atomic(),
    ):
        AppointmentFactory(patient=patient, start_at=at(2026, 3, 3, 10, 15))
