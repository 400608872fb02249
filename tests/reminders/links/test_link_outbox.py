"""The outbox keeps no link token once a text is handed over; a retry sends the same link.

Tokens are stored only as a hash (docs/rules.md#patient-links): the link read here is the
one the fake Twilio server received, as the patient's phone would.
"""

from datetime import timedelta

import pytest

from benchmarks.fake_twilio import FakeTwilio
from reminders.links.tokens import find_link
from reminders.models import Link, Message, MessageStatus
from reminders.sending import send_sms
from reminders.sweeps import sweep_recalls
from tests.clock import frozen_at

from .support import migraine_patient_due, verified

pytestmark = pytest.mark.django_db


def token_sent(request: dict[str, dict[str, str]]) -> str:
    return request["form"]["Body"].split("/p/")[1].split()[0]


def nowhere_in_the_outbox(token: str) -> bool:
    return token not in str(list(Message.objects.values()))


def queued_recall_text() -> Message:
    recall = migraine_patient_due()
    sweep_recalls()
    return Message.objects.get(recall=recall)


def test_a_sent_text_keeps_its_link_masked_and_the_link_still_works(twilio: FakeTwilio):
    message = queued_recall_text()
    assert send_sms(message_id=message.pk) == MessageStatus.SENT
    [sent] = twilio.requests
    token = token_sent(sent)
    assert nowhere_in_the_outbox(token)
    message.refresh_from_db()
    assert message.body == sent["form"]["Body"].replace(token, "***")
    verified(token)  # the patient's link opens all the same


def test_a_text_twilio_did_not_take_is_retried_with_the_same_link(twilio: FakeTwilio, settings):
    twilio.script = [(429, 20429)] * settings.SMS_SEND_TRIES
    message = queued_recall_text()
    assert send_sms(message_id=message.pk) == "deferred"
    message.refresh_from_db()
    with frozen_at(message.send_after + timedelta(seconds=1)):
        assert send_sms(message_id=message.pk) == MessageStatus.SENT
    tokens = {token_sent(request) for request in twilio.requests}
    assert len(tokens) == 1 and Link.objects.count() == 1
    [token] = tokens
    assert nowhere_in_the_outbox(token)
    assert find_link(token) is not None


def test_a_text_whose_outcome_is_unknown_keeps_no_token(twilio: FakeTwilio, settings):
    settings.SMS_HTTP_TIMEOUT_SECONDS = 0.3
    twilio.script = [("hang", 1.5)]
    message = queued_recall_text()
    assert send_sms(message_id=message.pk) == MessageStatus.UNKNOWN
    assert nowhere_in_the_outbox(token_sent(twilio.requests[0]))
