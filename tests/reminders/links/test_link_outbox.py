"""The outbox never keeps a link token, whatever becomes of the text; a retry sends a new link.

Tokens are stored only as a hash (docs/rules.md#patient-links): the link read here is the
one the fake Twilio server received, as the patient's phone would.
"""

from datetime import timedelta

import pytest

from benchmarks.fake_twilio import FakeTwilio
from reminders import consent, sending, throttle
from reminders.links import tokens
from reminders.links.tokens import LINK_SLOT, find_link
from reminders.models import Link, Message, MessageStatus
from reminders.sending import send_sms
from reminders.sweeps import settle_abandoned_sends, sweep_recalls
from scheduler import clock
from tests.clock import frozen_at

from .support import migraine_patient_due, verified

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


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


def test_a_text_twilio_did_not_take_is_retried_with_a_new_link_and_the_old_one_is_gone(
    twilio: FakeTwilio, settings
):
    twilio.script = [(429, 20429)] * settings.SMS_SEND_TRIES
    message = queued_recall_text()
    assert send_sms(message_id=message.pk) == "deferred"
    [first] = {token_sent(request) for request in twilio.requests}
    assert nowhere_in_the_outbox(first)
    message.refresh_from_db()
    assert LINK_SLOT in message.body  # its place waits for the retry's link
    with frozen_at(message.send_after + timedelta(seconds=1)):
        assert send_sms(message_id=message.pk) == MessageStatus.SENT
    second = token_sent(twilio.requests[-1])
    assert second != first and nowhere_in_the_outbox(second)
    assert find_link(first) is None  # it reached nobody
    assert find_link(second) is not None and Link.objects.count() == 1


def test_a_worker_killed_before_the_hand_over_leaves_no_token(twilio: FakeTwilio, monkeypatch):
    """Killed while waiting for its turn: the row is settled (queued again) and a patient
    who opts out meanwhile has the text suppressed; no step ever stored the token."""
    made: list[str] = []
    real_fill = tokens.fill_link

    def fill_and_remember(**kwargs: object) -> str:
        body = real_fill(**kwargs)  # type: ignore[arg-type]
        made.append(body.split("/p/")[1].split()[0])
        return body

    def killed() -> None:
        raise SystemExit("worker killed")

    monkeypatch.setattr(sending, "fill_link", fill_and_remember)
    monkeypatch.setattr(throttle, "wait_for_turn", killed)
    message = queued_recall_text()
    with pytest.raises(SystemExit):
        send_sms(message_id=message.pk)
    [token] = made
    assert nowhere_in_the_outbox(token)
    assert settle_abandoned_sends(now=clock.now() + timedelta(days=1)) == 1
    consent.opt_out_number(phone=message.to, source="sms")
    message.refresh_from_db()
    assert message.status == MessageStatus.SUPPRESSED
    assert nowhere_in_the_outbox(token) and twilio.requests == []


def test_a_text_twilio_refused_leaves_no_link_that_reached_nobody(twilio: FakeTwilio):
    twilio.script = [(400, 21211)]  # not a valid phone number
    message = queued_recall_text()
    assert send_sms(message_id=message.pk) == MessageStatus.FAILED
    token = token_sent(twilio.requests[0])
    assert nowhere_in_the_outbox(token) and find_link(token) is None
    message.refresh_from_db()
    assert LINK_SLOT in message.body and not Link.objects.exists()


def test_a_text_whose_outcome_is_unknown_keeps_no_token(twilio: FakeTwilio, settings):
    settings.SMS_HTTP_TIMEOUT_SECONDS = 0.3
    twilio.script = [("hang", 1.5)]
    message = queued_recall_text()
    assert send_sms(message_id=message.pk) == MessageStatus.UNKNOWN
    assert nowhere_in_the_outbox(token_sent(twilio.requests[0]))


def test_texts_stored_with_a_token_before_the_change_lose_it():
    from importlib import import_module

    from django.apps import apps

    from tests.factories import MessageFactory

    migration = import_module("reminders.migrations.0013_outbox_keeps_no_token")
    link = "https://clinic.example.org/p/AbC-12_xyzABCDEFGHIJKL"
    waiting = MessageFactory(status=MessageStatus.QUEUED, body=f"Due. Book: {link} Reply STOP")
    settled = MessageFactory(status=MessageStatus.SUPPRESSED, body=f"Due. Book: {link} Reply STOP")
    migration.forget_tokens(apps, None)
    waiting.refresh_from_db()
    settled.refresh_from_db()
    assert waiting.body == f"Due. Book: {LINK_SLOT} Reply STOP"
    assert settled.body == "Due. Book: https://clinic.example.org/p/*** Reply STOP"
