"""Booked, moved, cancelled: the patient gets a short text, whoever made the change."""

import pytest

from bookings import services
from reminders.models import Message, MessageStatus, Purpose
from scheduler.models import Kind
from tests.clock import NOW, at, frozen_at
from tests.factories import PatientFactory, PractitionerFactory, UserFactory, treatment

from .support import migraine_patient_due, recall_link, verified

pytestmark = pytest.mark.django_db

HEALTH_WORDS = ("injection", "migraine", "botox", "treatment", "prescription", "review", "exam")


@pytest.fixture(autouse=True)
def _monday_morning():
    with frozen_at(NOW):
        yield


def confirmations() -> list[Message]:
    return list(Message.objects.filter(purpose=Purpose.BOOKING_CONFIRMATION).order_by("id"))


def test_staff_booking_moving_and_cancelling_each_send_a_confirmation_without_health_words():
    desk = UserFactory(groups=["front_desk"])
    doctor = PractitionerFactory()
    patient = PatientFactory()
    appointment = services.book_appointment(
        patient=patient,
        practitioner=doctor,
        treatment=treatment("frown-lines"),
        kind=Kind.EXAM,
        start_at=at(2026, 3, 3, 10),
        by=desk,
    )
    [booked] = confirmations()
    assert "booked for Tue Mar 3 at 10:00." in booked.body
    services.move_appointment(appointment=appointment, start_at=at(2026, 3, 4, 11), by=desk)
    services.cancel_appointment(appointment=appointment, by=desk, reason="Patient asked")
    # The booked text was still queued when the visit moved: it gives way, never sent late.
    moved, cancelled = confirmations()
    assert "now Wed Mar 4 at 11:00." in moved.body
    assert "Wed Mar 4 at 11:00 is cancelled" in cancelled.body
    assert (moved.status, cancelled.status) == (MessageStatus.QUEUED, MessageStatus.QUEUED)
    for message in (booked, moved, cancelled):
        assert not any(word in message.body.lower() for word in HEALTH_WORDS)
        assert len(message.body) <= 160


def test_a_patient_without_consent_gets_a_suppressed_row_not_a_text():
    patient = PatientFactory(sms_consent=False)
    services.book_appointment(
        patient=patient,
        practitioner=PractitionerFactory(),
        treatment=treatment("frown-lines"),
        kind=Kind.EXAM,
        start_at=at(2026, 3, 3, 10),
        by=UserFactory(groups=["front_desk"]),
    )
    [message] = confirmations()
    assert message.status == MessageStatus.SUPPRESSED
    assert message.error_message


def test_booking_from_a_link_sends_the_confirmation_too():
    doctor = PractitionerFactory()
    recall = migraine_patient_due()
    token = recall_link(recall)
    client = verified(token)
    response = client.post(
        f"/p/{token}/book/", {"practitioner": doctor.pk, "start": at(2026, 3, 3, 10).isoformat()}
    )
    assert response.status_code == 200, response.content
    [message] = confirmations()
    assert message.patient == recall.patient and message.status == MessageStatus.QUEUED
