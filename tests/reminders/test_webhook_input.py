"""Signed webhooks with odd or oversized fields: a plain answer, safe rows, never a 500.

Twilio retries a webhook that fails, so a 500 on one odd field would come back for
ever. Whatever Twilio (or a tester holding the auth token) sends is answered the same
way each time and stored within the columns' limits.
"""

import logging

import pytest
from twilio.request_validator import RequestValidator

from bookings.models import Patient
from reminders.models import (
    InboundAction,
    InboundMessage,
    Message,
    MessageStatus,
    MessageStatusEvent,
)
from scheduler import clock
from tests.conftest import AUTH_TOKEN, PUBLIC_BASE_URL
from tests.factories import MessageFactory, PatientFactory

pytestmark = pytest.mark.django_db
STATUS = "/webhooks/twilio/status/"
INBOUND = "/webhooks/twilio/inbound/"
LONG_SID = "SM" + "7" * 70  # 72 characters; Twilio's are 34


@pytest.fixture(autouse=True)
def _signed_webhooks(sms_settings):
    return sms_settings


def post_signed(client, path, params):
    url = PUBLIC_BASE_URL + path
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def sent_message(sid="SM" + "1" * 32):
    return MessageFactory(status=MessageStatus.SENT, provider_sid=sid, sent_at=clock.now())


# --- status callbacks ----------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"MessageSid": LONG_SID, "MessageStatus": "delivered"},
        {"MessageSid": "SM\x00" + "1" * 31, "MessageStatus": "delivered"},
        {"MessageSid": "SM" + "1" * 32, "MessageStatus": "deliv\x00ered"},
        {"MessageSid": "SM" + "1" * 32, "MessageStatus": "x" * 300},
        {"MessageSid": "SM" + "1" * 32, "MessageStatus": "failed", "ErrorCode": "99999999999"},
        {"MessageSid": "SM" + "1" * 32, "MessageStatus": "failed", "ErrorCode": "3\x000003"},
        {"MessageSid": "SM" + "1" * 32, "MessageStatus": "failed", "ErrorCode": "-5"},
    ],
    ids=["72-char sid", "NUL sid", "NUL status", "long status", "huge code", "NUL code", "-5"],
)
def test_an_odd_status_callback_is_answered_and_stored_safely(client, params):
    sent_message()
    first = post_signed(client, STATUS, params)
    again = post_signed(client, STATUS, params)  # Twilio's retry gets the same answer
    assert first.status_code == again.status_code == 204
    for event in MessageStatusEvent.objects.all():
        assert "\x00" not in event.provider_sid + event.status
        assert len(event.provider_sid) <= 64 and len(event.status) <= 20


def test_a_callback_naming_an_impossible_message_id_is_answered(client):
    params = {"MessageSid": "SM" + "2" * 32, "MessageStatus": "delivered"}
    url = STATUS + "?m=" + "9" * 30
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + url, params)
    response = client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 204


def test_an_out_of_range_error_code_still_moves_the_message_on_without_the_code(client, caplog):
    message = sent_message()
    params = {"MessageSid": message.provider_sid, "MessageStatus": "failed", "ErrorCode": "9" * 11}
    with caplog.at_level(logging.INFO, logger="reminders"):
        assert post_signed(client, STATUS, params).status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.error_code is None
    assert "ErrorCode" in caplog.text and message.to not in caplog.text


def test_a_negative_error_code_is_not_mistaken_for_a_repeated_callback(client):
    message = sent_message()
    params = {"MessageSid": message.provider_sid, "MessageStatus": "undelivered", "ErrorCode": "-5"}
    assert post_signed(client, STATUS, params).status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.UNDELIVERED
    assert MessageStatusEvent.objects.get().status == "undelivered"


def test_a_repeated_callback_is_still_recognised_as_one(client):
    message = sent_message()
    params = {"MessageSid": message.provider_sid, "MessageStatus": "failed", "ErrorCode": "30003"}
    post_signed(client, STATUS, params)
    post_signed(client, STATUS, params)
    assert MessageStatusEvent.objects.count() == 1
    assert Message.objects.get().error_code == 30003


@pytest.mark.parametrize(
    ("raw", "code"),
    [("30003", 30003), ("", None), ("-5", None), ("9" * 11, None), ("2147483647", 2147483647)],
)
def test_error_codes_outside_what_the_column_holds_are_dropped(raw, code):
    from reminders.webhooks import error_code_or_none

    assert error_code_or_none(raw) == code


# --- inbound texts ---------------------------------------------------------------------


def inbound(client, **params):
    data = {"MessageSid": "SM" + "9" * 32, "To": "+15005550006", "Body": "hello", **params}
    return post_signed(client, INBOUND, data)


def test_a_whatsapp_stop_opts_the_number_out_like_an_sms_stop(client):
    patient = PatientFactory(phone="+14165550123")
    response = inbound(client, From="whatsapp:+14165550123", Body="STOP")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    patient.refresh_from_db()
    assert patient.sms_opted_out
    row = InboundMessage.objects.get()
    assert row.from_number == "+14165550123" and row.action == InboundAction.OPT_OUT


@pytest.mark.parametrize(
    "params",
    [
        {"From": "x" * 300},
        {"From": "+1416\x005550123"},
        {"From": "+14165550123", "To": "whatsapp:+15005550006000000"},
        {"From": "+14165550123", "Body": "please call\x00 me"},
        {"From": "+14165550123", "MessageSid": LONG_SID},
        {"From": "+14165550123", "Body": "y" * 5000},
    ],
    ids=["long From", "NUL From", "long To", "NUL Body", "72-char sid", "long Body"],
)
def test_an_odd_inbound_text_is_answered_and_kept_for_staff(client, params, caplog):
    PatientFactory(phone="+14165550123")
    with caplog.at_level(logging.INFO, logger="reminders"):
        first = inbound(client, **params)
        again = inbound(client, **params)  # Twilio's retry: answered, not stored twice
    assert first.status_code == again.status_code == 200
    row = InboundMessage.objects.get()
    for value in (row.provider_sid, row.from_number, row.to_number, row.body):
        assert "\x00" not in value
    assert len(row.from_number) <= 20 and len(row.to_number) <= 20
    assert len(row.provider_sid) <= 64 and len(row.body) <= 1600
    assert "+14165550123" not in caplog.text and "please call" not in caplog.text


def test_a_nul_in_a_keyword_text_still_acts_on_it(client):
    patient = PatientFactory(phone="+14165550123")
    inbound(client, From="+14165550123", Body="STOP\x00")
    assert Patient.objects.get(pk=patient.pk).sms_opted_out


def test_a_status_callback_for_a_message_still_sends_nothing_extra(client, twilio):
    # The odd-field handling must not touch the outbox beyond the one message named.
    message, other = sent_message(), MessageFactory()
    params = {"MessageSid": message.provider_sid, "MessageStatus": "delivered", "ErrorCode": "-5"}
    post_signed(client, STATUS, params)
    assert Message.objects.get(pk=other.pk).status == MessageStatus.QUEUED
    assert twilio.requests == []
