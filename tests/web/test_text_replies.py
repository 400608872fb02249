"""Two-way texting: staff answer from the inbox and the patient page; one thread shows both."""

from datetime import date, time

import pytest

from reminders.models import Message, MessageStatus, Purpose
from reminders.sending import send_sms
from scheduler import clock
from tests.clock import frozen_at
from tests.factories import InboundMessageFactory, MessageFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_settings(settings):
    settings.SMS_QUIET_HOURS = ""
    settings.SMS_MAX_PER_SECOND = 0
    settings.SMS_BACKEND = "console"
    return settings


def reply(client, patient, body, **extra):
    return client.post(f"/inbox/patients/{patient.pk}/reply/", {"body": body, **extra})


def test_front_desk_replies_from_the_inbox_and_the_thread_shows_both_sides(
    client_for, sms_settings
):
    patient = PatientFactory(first_name="Ana")
    text = InboundMessageFactory(patient=patient, body="Can I come at 4 instead?")
    client = client_for("front_desk")
    response = reply(
        client,
        patient,
        "Yes, 4 pm is fine.",
        in_reply_to=text.pk,
        next=f"/inbox/patients/{patient.pk}/",
    )
    assert response.status_code == 302
    message = Message.objects.get(purpose=Purpose.STAFF_REPLY)
    assert message.body == "Lakeshore Clinic: Yes, 4 pm is fine."
    assert message.in_reply_to == text
    assert message.sent_by is not None
    text.refresh_from_db()
    assert text.read_at is not None  # answering it is dealing with it
    assert send_sms(message_id=message.pk) == MessageStatus.SENT
    page = client.get(f"/inbox/patients/{patient.pk}/").content.decode()
    assert page.index("Can I come at 4 instead?") < page.index("Yes, 4 pm is fine.")
    assert "Reply from staff · Sent" in page


def test_a_reply_to_an_opted_out_patient_is_refused_in_plain_words(client_for, sms_settings):
    patient = PatientFactory(first_name="Ana", last_name="Lima")
    InboundMessageFactory(patient=patient, body="Can I come at 4 instead?")
    patient.sms_opted_out = True
    patient.save()
    response = reply(client_for("front_desk"), patient, "Are you sure?")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ana Lima asked for no more texts, so no reply can be sent." in page
    assert "Are you sure?" in page  # nothing typed is lost
    assert "sms_not_allowed" not in page
    assert not Message.objects.exists()


def test_an_empty_reply_is_a_field_error_and_a_long_one_keeps_what_was_typed(
    client_for, sms_settings
):
    patient = PatientFactory()
    client = client_for("front_desk")
    empty = reply(client, patient, "  ")
    assert empty.status_code == 400
    assert "Write a reply first." in empty.content.decode()
    long_words = "Please bring your card " * 8
    too_long = reply(client, patient, long_words)
    assert too_long.status_code == 400
    page = too_long.content.decode()
    assert "a text holds 160" in page
    assert long_words.strip() in page
    assert 'aria-invalid="true"' in page
    assert not Message.objects.exists()


def test_a_reply_in_quiet_hours_waits_for_the_morning_and_ignores_the_budget(
    client_for, sms_settings
):
    sms_settings.SMS_QUIET_HOURS = "20:00-09:00"
    sms_settings.SMS_MAX_PER_DAY = 1
    with frozen_at(clock.at(date(2026, 3, 2), time(10))):
        patient = PatientFactory()
        assert send_sms(message_id=MessageFactory(patient=patient).pk) == MessageStatus.SENT
    with frozen_at(clock.at(date(2026, 3, 2), time(21))):
        response = reply(client_for("front_desk"), patient, "We open at 9.")
        assert response.status_code == 302
        message = Message.objects.get(purpose=Purpose.STAFF_REPLY)
        assert clock.local(message.send_after).time() == time(9)
        assert send_sms(message_id=message.pk) == "deferred"  # quiet hours
    with frozen_at(clock.at(date(2026, 3, 3), time(9))):
        assert send_sms(message_id=message.pk) == MessageStatus.SENT


def test_a_manager_reads_the_thread_but_cannot_reply(client_for, sms_settings):
    patient = PatientFactory()
    InboundMessageFactory(patient=patient, body="Hello")
    client = client_for("manager")
    page = client.get(f"/inbox/patients/{patient.pk}/")
    assert page.status_code == 200 and "Hello" in page.content.decode()
    assert "Send reply" not in page.content.decode()
    assert reply(client, patient, "Hi").status_code == 403


def test_the_patient_page_shows_the_conversation_and_a_reply_form(client_for, sms_settings):
    patient = PatientFactory()
    InboundMessageFactory(patient=patient, body="Running late")
    page = client_for("front_desk").get(f"/patients/{patient.pk}/").content.decode()
    assert "Conversation by text" in page
    assert f'action="/inbox/patients/{patient.pk}/reply/"' in page
