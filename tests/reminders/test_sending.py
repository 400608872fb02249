"""Sending one outbox row through the real twilio client, against a fake Twilio."""

from datetime import date, time, timedelta

import pytest

from bookings.models import Appointment, Patient
from reminders.models import Message, MessageStatus, Recall, RecallStatus
from reminders.sending import send_sms
from scheduler import clock
from tests.clock import frozen_at
from tests.conftest import ACCOUNT_SID, PUBLIC_BASE_URL
from tests.factories import MessageFactory, PatientFactory

from .conftest import make_injection, make_recall

pytestmark = pytest.mark.django_db


def test_a_queued_message_goes_to_twilios_messages_endpoint_with_a_status_callback(twilio):
    recall = make_recall(due_on=clock.today())
    message = MessageFactory(patient=recall.patient, recall=recall, stage="due")
    assert send_sms(message_id=message.pk) == MessageStatus.SENT
    [request] = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request["form"] == {
        "To": message.to,
        "From": "+15005550006",
        "Body": message.body,
        "StatusCallback": f"{PUBLIC_BASE_URL}/webhooks/twilio/status/?m={message.pk}",
    }
    assert request["auth"].startswith("Basic ")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert message.provider_sid.startswith("SM")
    assert message.sent_at is not None
    recall.refresh_from_db()
    assert recall.status == RecallStatus.REMINDED
    assert recall.reminded_at is not None


def test_a_messaging_service_sends_instead_of_a_from_number(twilio, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "2" * 32
    send_sms(message_id=MessageFactory().pk)
    form = twilio.requests[0]["form"]
    assert form["MessagingServiceSid"] == "MG" + "2" * 32
    assert "From" not in form


def test_too_many_requests_then_accepted_sends_one_message(twilio):
    twilio.script = [(429, 20429), 201]
    message = MessageFactory()
    assert send_sms(message_id=message.pk) == MessageStatus.SENT
    assert len(twilio.requests) == 2
    assert Message.objects.get().status == MessageStatus.SENT


def test_twilio_busy_for_every_retry_puts_the_message_back_in_the_queue(twilio):
    twilio.script = [(429, 20429)] * 3
    message = MessageFactory()
    assert send_sms(message_id=message.pk) == "deferred"
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.error_code == 20429
    assert message.send_after > clock.now()


def test_an_unsubscribed_recipient_is_opted_out_and_never_retried(twilio):
    patient = PatientFactory()
    message = MessageFactory(patient=patient)
    waiting = MessageFactory(patient=patient, purpose="recall_overdue")
    twilio.script = [(400, 21610)]
    assert send_sms(message_id=message.pk) == MessageStatus.FAILED
    assert len(twilio.requests) == 1
    message.refresh_from_db()
    assert (message.status, message.error_code) == (MessageStatus.FAILED, 21610)
    patient.refresh_from_db()
    assert patient.sms_opted_out and patient.sms_opted_out_at is not None
    waiting.refresh_from_db()
    assert waiting.status == MessageStatus.SUPPRESSED


@pytest.mark.parametrize("code", [21211, 21614])
def test_an_invalid_number_is_flagged_and_never_retried(twilio, code):
    message = MessageFactory()
    twilio.script = [(400, code)]
    assert send_sms(message_id=message.pk) == MessageStatus.FAILED
    assert len(twilio.requests) == 1
    assert Patient.objects.get().phone_invalid
    assert Message.objects.get().error_code == code


def test_a_read_timeout_after_sending_is_unknown_and_not_resent(twilio, settings):
    settings.SMS_HTTP_TIMEOUT_SECONDS = 0.3
    twilio.script = [("hang", 1.5)]
    message = MessageFactory()
    assert send_sms(message_id=message.pk) == MessageStatus.UNKNOWN
    assert send_sms(message_id=message.pk) == "not_claimed"
    assert len(twilio.requests) == 1
    assert Message.objects.get().status == MessageStatus.UNKNOWN


def test_a_server_error_from_twilio_is_unknown_not_resent(twilio):
    twilio.script = [(500, 20500)]
    message = MessageFactory()
    assert send_sms(message_id=message.pk) == MessageStatus.UNKNOWN
    assert len(twilio.requests) == 1


def test_a_refused_connection_sent_nothing_so_the_message_waits_in_the_queue(twilio, settings):
    twilio.close()
    message = MessageFactory()
    assert send_sms(message_id=message.pk) == "deferred"
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert "could not connect" in message.error_message


def test_a_message_that_failed_too_often_is_failed_with_its_error(twilio, settings):
    settings.SMS_MAX_ATTEMPTS = 1
    twilio.script = [(429, 20429)] * 3
    message = MessageFactory()
    assert send_sms(message_id=message.pk) == MessageStatus.FAILED
    assert Message.objects.get().error_code == 20429


def test_a_second_send_of_the_same_message_does_nothing(twilio):
    message = MessageFactory()
    send_sms(message_id=message.pk)
    assert send_sms(message_id=message.pk) == "not_claimed"
    assert len(twilio.requests) == 1


def test_consent_withdrawn_after_queueing_suppresses_the_message(twilio):
    message = MessageFactory()
    Patient.objects.update(sms_consent=False)
    assert send_sms(message_id=message.pk) == MessageStatus.SUPPRESSED
    assert twilio.requests == []


def test_a_recall_booked_after_queueing_gets_no_sms(twilio):
    recall = make_recall(due_on=clock.today())
    message = MessageFactory(patient=recall.patient, recall=recall, stage="due")
    Recall.objects.update(status=RecallStatus.BOOKED)
    assert send_sms(message_id=message.pk) == MessageStatus.SUPPRESSED
    assert Message.objects.get().error_message == "recall booked"


def test_a_message_due_in_quiet_hours_is_deferred_not_dropped(twilio, settings):
    settings.SMS_QUIET_HOURS = "20:00-09:00"
    with frozen_at(clock.at(date(2025, 10, 31), time(22))):
        message = MessageFactory()
        assert send_sms(message_id=message.pk) == "deferred"
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert clock.local(message.send_after) == clock.at(date(2025, 11, 1), time(9))
    with frozen_at(message.send_after + timedelta(seconds=1)):
        assert send_sms(message_id=message.pk) == MessageStatus.SENT


def test_the_console_backend_prints_the_sms_and_marks_it_sent(sms_settings, capsys):
    sms_settings.SMS_BACKEND = "console"
    message = MessageFactory()
    assert send_sms(message_id=message.pk) == MessageStatus.SENT
    assert f"SMS to {message.to}: {message.body}" in capsys.readouterr().out
    assert Message.objects.get().provider_sid.startswith("console-")


def test_a_recall_reminded_before_keeps_its_first_reminder_time(twilio):
    first = clock.now() - timedelta(days=14)
    recall = make_recall(due_on=clock.today(), status=RecallStatus.REMINDED, reminded_at=first)
    message = MessageFactory(patient=recall.patient, recall=recall, stage="due")
    assert send_sms(message_id=message.pk) == MessageStatus.SENT
    recall.refresh_from_db()
    assert (recall.status, recall.reminded_at) == (RecallStatus.REMINDED, first)


def test_a_message_for_an_appointment_that_already_started_is_suppressed(twilio):
    appointment = make_injection(on=clock.today(), status="booked")
    Appointment.objects.filter(pk=appointment.pk).update(
        start_at=clock.now() - timedelta(hours=1), end_at=clock.now() - timedelta(minutes=30)
    )
    message = MessageFactory(
        patient=appointment.patient, appointment=appointment, purpose="appointment_reminder"
    )
    assert send_sms(message_id=message.pk) == MessageStatus.SUPPRESSED
    assert Message.objects.get().error_message == "appointment already started"
    assert twilio.requests == []


def test_an_answer_twilio_cannot_have_meant_leaves_the_message_unknown_not_resent(twilio):
    twilio.script = ["garbage"]
    message = MessageFactory()
    assert send_sms(message_id=message.pk) == MessageStatus.UNKNOWN
    assert len(twilio.requests) == 1
    assert "could not be read" in Message.objects.get().error_message


def test_a_send_batch_goes_on_past_a_message_that_broke(twilio):
    from reminders.tasks import send_sms_batch_task

    first, broken, last = MessageFactory(), MessageFactory(), MessageFactory()
    # A real break at the edge: Twilio answers the middle one with something unreadable.
    twilio.script = [201, "garbage", 201]
    send_sms_batch_task.run([first.pk, broken.pk, last.pk])
    assert len(twilio.requests) == 3
    assert Message.objects.get(pk=first.pk).status == MessageStatus.SENT
    assert Message.objects.get(pk=broken.pk).status == MessageStatus.UNKNOWN
    assert Message.objects.get(pk=last.pk).status == MessageStatus.SENT


def test_each_send_logs_one_line_with_the_id_and_never_the_number_or_text(twilio, caplog):
    message = MessageFactory()
    with caplog.at_level("INFO", logger="reminders.sending"):
        send_sms(message_id=message.pk)
    lines = [r.getMessage() for r in caplog.records if r.name == "reminders.sending"]
    assert lines == [f"SMS {message.pk}: sent"]
    assert message.to not in " ".join(lines) and message.body not in " ".join(lines)
