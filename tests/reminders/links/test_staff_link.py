"""Staff text an open recall's booking link from the patient page."""

import pytest
from django.test import Client

from reminders.models import Message, MessageStatus, RecallStatus
from reminders.sending import send_sms
from tests.clock import NOW, frozen_at
from tests.factories import UserFactory

from .support import migraine_patient_due

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with frozen_at(NOW):
        yield


@pytest.fixture
def desk(sms_settings):
    sms_settings.SMS_BACKEND = "console"
    client = Client()
    client.force_login(UserFactory(groups=["front_desk"]))
    return client


def test_staff_text_the_booking_link_from_the_patient_page(desk, twilio):
    recall = migraine_patient_due()
    page = desk.get(f"/patients/{recall.patient_id}/").content.decode()
    assert "Text the booking link" in page
    response = desk.post(f"/recalls/{recall.pk}/send-link/", follow=True)
    assert "on its way" in response.content.decode()
    desk.post(f"/recalls/{recall.pk}/send-link/")
    first, second = Message.objects.filter(recall=recall).order_by("id")
    assert (first.stage, second.stage) == ("link1", "link2")
    assert send_sms(message_id=first.pk) == MessageStatus.SENT
    [sent] = twilio.requests
    assert "https://clinic.example.org/p/" in sent["form"]["Body"]
    token = sent["form"]["Body"].split("/p/")[1].split()[0]
    page = desk.get(f"/patients/{recall.patient_id}/").content.decode()
    assert token not in page and "%LINK%" not in page


def test_a_closed_recall_or_a_patient_without_consent_gets_no_link(desk):
    recall = migraine_patient_due(sms_consent=False)
    response = desk.post(f"/recalls/{recall.pk}/send-link/", follow=True)
    assert "cannot be texted" in response.content.decode()
    recall.status = RecallStatus.BOOKED
    recall.save()
    response = desk.post(f"/recalls/{recall.pk}/send-link/", follow=True)
    assert "nothing to book" in response.content.decode()
    assert not Message.objects.exists()


def test_a_manager_who_does_not_book_cannot_send_links(sms_settings):
    manager = Client()
    manager.force_login(UserFactory(groups=["manager"]))
    recall = migraine_patient_due()
    assert manager.post(f"/recalls/{recall.pk}/send-link/").status_code == 403


def test_a_patient_without_a_date_of_birth_gets_no_link_and_staff_are_told_why(desk):
    recall = migraine_patient_due()
    recall.patient.date_of_birth = None
    recall.patient.save()
    page = desk.get(f"/patients/{recall.patient_id}/").content.decode()
    assert "Text the booking link" not in page
    assert "No date of birth on file" in page
    response = desk.post(f"/recalls/{recall.pk}/send-link/", follow=True)
    assert "Add the date of birth to the patient&#x27;s details first" in response.content.decode()
    assert not Message.objects.exists()
