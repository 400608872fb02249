"""Twilio's webhooks, signed as Twilio signs them."""

from datetime import date, time
from xml.etree import ElementTree

import pytest
from twilio.request_validator import RequestValidator

from bookings.models import Appointment, Patient, Status
from reminders.models import (
    InboundAction,
    InboundMessage,
    Message,
    MessageStatus,
    MessageStatusEvent,
)
from reminders.sending import send_sms
from reminders.sweeps import sweep_recalls
from scheduler import clock
from tests.clock import frozen_at
from tests.conftest import AUTH_TOKEN, PUBLIC_BASE_URL
from tests.factories import MessageFactory, PatientFactory

from .conftest import make_injection, make_recall

pytestmark = pytest.mark.django_db
STATUS = "/webhooks/twilio/status/"
INBOUND = "/webhooks/twilio/inbound/"


def post_signed(client, path, params, *, token=AUTH_TOKEN, signature=None):
    url = PUBLIC_BASE_URL + path
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def sms_from(client, patient, body, sid="SM" + "9" * 32):
    params = {"MessageSid": sid, "From": patient.phone, "To": "+15005550006", "Body": body}
    return post_signed(client, INBOUND, params)


def reply_of(response) -> str:
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own answer)
    return " ".join(node.text or "" for node in root.iter("Message"))


def sent_message(sid="SM" + "1" * 32, **fields):
    return MessageFactory(
        status=MessageStatus.SENT, provider_sid=sid, sent_at=clock.now(), **fields
    )


# --- signatures ------------------------------------------------------------------------


def test_a_correctly_signed_status_callback_is_accepted(client, sms_settings):
    message = sent_message()
    params = {"MessageSid": message.provider_sid, "MessageStatus": "delivered"}
    assert post_signed(client, STATUS, params).status_code == 204
    assert Message.objects.get().status == MessageStatus.DELIVERED


@pytest.mark.parametrize("path", [STATUS, INBOUND])
def test_a_forged_signature_is_refused(client, sms_settings, path):
    params = {"MessageSid": "SM1", "MessageStatus": "delivered", "From": "+14165550000"}
    assert post_signed(client, path, params, token="not-our-token").status_code == 403


@pytest.mark.parametrize("path", [STATUS, INBOUND])
def test_a_missing_signature_is_refused(client, sms_settings, path):
    response = client.post(path, {"MessageSid": "SM1", "MessageStatus": "delivered"})
    assert response.status_code == 403


def test_a_signature_over_other_parameters_is_refused(client, sms_settings):
    message = sent_message()
    url = PUBLIC_BASE_URL + STATUS
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        url, {"MessageSid": message.provider_sid, "MessageStatus": "sent"}
    )
    response = client.post(
        STATUS,
        {"MessageSid": message.provider_sid, "MessageStatus": "delivered"},
        HTTP_X_TWILIO_SIGNATURE=signature,
    )
    assert response.status_code == 403
    assert Message.objects.get().status == MessageStatus.SENT


def test_webhooks_answer_only_post(client, sms_settings):
    assert client.get(STATUS).status_code == 405


# --- delivery status -----------------------------------------------------------------------


def test_a_late_sent_callback_does_not_overwrite_delivered(client, sms_settings):
    message = sent_message()
    for status in ("delivered", "sent", "sending"):
        params = {"MessageSid": message.provider_sid, "MessageStatus": status}
        assert post_signed(client, STATUS, params).status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at is not None
    assert MessageStatusEvent.objects.count() == 3


def test_an_undelivered_callback_keeps_its_error_code(client, sms_settings):
    message = sent_message()
    params = {
        "MessageSid": message.provider_sid,
        "MessageStatus": "undelivered",
        "ErrorCode": "30003",
    }
    post_signed(client, STATUS, params)
    message.refresh_from_db()
    assert (message.status, message.error_code) == (MessageStatus.UNDELIVERED, 30003)


def test_a_repeated_callback_is_recorded_once(client, sms_settings):
    message = sent_message()
    params = {"MessageSid": message.provider_sid, "MessageStatus": "delivered"}
    post_signed(client, STATUS, params)
    post_signed(client, STATUS, params)
    assert MessageStatusEvent.objects.count() == 1


def test_a_callback_for_an_unknown_sid_is_answered_200(client, sms_settings):
    params = {"MessageSid": "SM" + "7" * 32, "MessageStatus": "delivered"}
    assert post_signed(client, STATUS, params).status_code < 300


def test_a_callback_settles_a_message_whose_create_call_timed_out(client, sms_settings):
    message = MessageFactory(status=MessageStatus.UNKNOWN)
    path = f"{STATUS}?m={message.pk}"
    params = {"MessageSid": "SM" + "5" * 32, "MessageStatus": "delivered"}
    assert post_signed(client, path, params).status_code == 204
    message.refresh_from_db()
    assert (message.status, message.provider_sid) == (MessageStatus.DELIVERED, "SM" + "5" * 32)


# --- texts from patients -----------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["STOP", "stop", " Stop ", "STOPALL", "UNSUBSCRIBE", "cancel", "END", "quit"]
)
def test_an_opt_out_word_opts_the_patient_out(client, sms_settings, word):
    patient = PatientFactory()
    response = sms_from(client, patient, word)
    assert response.status_code == 200
    assert reply_of(response) == ""  # Twilio itself confirms an opt-out
    patient.refresh_from_db()
    assert patient.sms_opted_out


def test_stop_inside_a_sentence_is_a_message_for_staff_not_an_opt_out(client, sms_settings):
    patient = PatientFactory()
    sms_from(client, patient, "please stop by the pharmacy")
    patient.refresh_from_db()
    assert not patient.sms_opted_out
    assert InboundMessage.objects.get().action == InboundAction.OTHER


def test_stop_then_a_sweep_sends_nothing_and_start_restores(client, sms_settings):
    recall = make_recall(due_on=clock.today())
    patient = recall.patient
    sms_from(client, patient, "STOP", sid="SM" + "1" * 32)
    sweep_recalls()
    message = Message.objects.get()
    assert message.status == MessageStatus.SUPPRESSED
    assert send_sms(message_id=message.pk) == "not_claimed"

    sms_from(client, patient, "start", sid="SM" + "2" * 32)
    patient.refresh_from_db()
    assert not patient.sms_opted_out
    make_recall(patient, due_on=clock.today(), code="neck-pain")
    sweep_recalls()
    assert Message.objects.filter(status=MessageStatus.QUEUED).count() == 1


def test_stop_withdraws_messages_waiting_to_be_sent(client, sms_settings):
    message = MessageFactory()
    sms_from(client, message.patient, "STOP")
    message.refresh_from_db()
    assert message.status == MessageStatus.SUPPRESSED


def test_help_answers_with_the_clinic_name_and_phone(client, sms_settings):
    reply = reply_of(sms_from(client, PatientFactory(), "help"))
    assert "Lakeshore Clinic" in reply
    assert "+1 416 555 0199" in reply


def test_c_confirms_the_patients_next_booked_appointment(client, sms_settings):
    with frozen_at(clock.at(date(2025, 6, 17), time(10))):
        patient = PatientFactory()
        later = make_injection(patient, on=date(2025, 6, 25), status=Status.BOOKED)
        sooner = make_injection(
            patient, code="neck-pain", on=date(2025, 6, 18), status=Status.BOOKED
        )
        reply = reply_of(sms_from(client, patient, "c"))
    assert "Wed Jun 18 at 10:00 is confirmed" in reply
    assert Appointment.objects.get(pk=sooner.pk).status == Status.CONFIRMED
    assert Appointment.objects.get(pk=later.pk).status == Status.BOOKED
    assert InboundMessage.objects.get().action == InboundAction.CONFIRM


def test_c_without_an_upcoming_appointment_says_so(client, sms_settings):
    reply = reply_of(sms_from(client, PatientFactory(), "C"))
    assert "no upcoming visit" in reply
    assert InboundMessage.objects.get().action == InboundAction.CONFIRM_FAILED


def test_r_asks_the_front_desk_to_call_back(client, sms_settings):
    patient = PatientFactory()
    reply = reply_of(sms_from(client, patient, "R"))
    patient.refresh_from_db()
    assert patient.callback_requested_at is not None
    assert "call you back" in reply


def test_any_other_text_is_kept_for_staff(client, sms_settings):
    patient = PatientFactory()
    sms_from(client, patient, "Can I bring my daughter along?")
    inbound = InboundMessage.objects.get()
    assert (inbound.patient, inbound.action, inbound.body) == (
        patient,
        InboundAction.OTHER,
        "Can I bring my daughter along?",
    )


def test_a_retried_inbound_webhook_is_handled_once(client, sms_settings):
    patient = PatientFactory()
    sms_from(client, patient, "R")
    Patient.objects.update(callback_requested_at=None)
    sms_from(client, patient, "R")
    assert InboundMessage.objects.count() == 1
    assert Patient.objects.get().callback_requested_at is None


def test_a_text_from_an_unknown_number_is_kept_without_a_patient(client, sms_settings):
    params = {"MessageSid": "SM" + "3" * 32, "From": "+14165559999", "Body": "hello?"}
    assert post_signed(client, INBOUND, params).status_code == 200
    assert InboundMessage.objects.get().patient is None


def test_twilio_unsubscribed_error_in_a_callback_opts_the_patient_out(client, sms_settings):
    message = sent_message()
    params = {"MessageSid": message.provider_sid, "MessageStatus": "failed", "ErrorCode": "21610"}
    post_signed(client, STATUS, params)
    assert Patient.objects.get().sms_opted_out
