"""A worker killed mid-send: what provably never reached Twilio goes again, the rest never.

A send claims its row ("sending"), waits for its turn under SMS_MAX_PER_SECOND, then
marks the row handed over just before the request to Twilio. A row abandoned before
that mark never left, so the dispatcher queues it again; after it, the outcome is
unknown and it is never resent blindly.
"""

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection

from reminders import throttle
from reminders.models import Message, MessageStatus
from reminders.sending import send_sms
from reminders.sweeps import dispatch_due_messages, settle_abandoned_sends
from scheduler import clock
from tests.clock import ticking_at
from tests.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL, wait_until
from tests.factories import MessageFactory


def abandoned(settings) -> timedelta:
    """Longer than any live task may hold a claim."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2 + 1)


@pytest.mark.django_db
def test_a_claim_abandoned_before_the_hand_over_goes_back_to_the_queue(twilio, settings):
    message = MessageFactory()
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, sending_at=clock.now(), attempts=1
    )
    with ticking_at(clock.now() + abandoned(settings)):
        assert dispatch_due_messages() == [message.pk]
        assert send_sms(message_id=message.pk) == MessageStatus.SENT
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert len(twilio.requests) == 1


@pytest.mark.django_db
def test_a_claim_abandoned_after_the_hand_over_is_unknown_and_never_resent(twilio, settings):
    message = MessageFactory()
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING,
        sending_at=clock.now(),
        handed_over_at=clock.now(),
        attempts=1,
    )
    with ticking_at(clock.now() + abandoned(settings)):
        assert dispatch_due_messages() == []
        assert send_sms(message_id=message.pk) == "not_claimed"
    message.refresh_from_db()
    assert message.status == MessageStatus.UNKNOWN
    assert twilio.requests == []


@pytest.mark.django_db
def test_a_worker_that_keeps_dying_before_sending_ends_failed_for_staff(settings):
    settings.SMS_MAX_ATTEMPTS = 3
    message = MessageFactory()
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, sending_at=clock.now(), attempts=3
    )
    assert settle_abandoned_sends(now=clock.now() + abandoned(settings)) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "stopped before" in message.error_message


@pytest.mark.django_db
def test_every_send_is_marked_handed_over_before_its_request(twilio):
    message = MessageFactory()
    twilio.script = [(503, 20500)]
    assert send_sms(message_id=message.pk) == MessageStatus.UNKNOWN
    message.refresh_from_db()
    assert message.handed_over_at is not None


@pytest.mark.django_db
def test_a_send_twilio_did_not_take_goes_back_without_the_hand_over_mark(twilio, settings):
    settings.SMS_SEND_TRIES = 1
    message = MessageFactory()
    twilio.script = [(429, 20429)]
    assert send_sms(message_id=message.pk) == "deferred"
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.handed_over_at is None


def _far_turn(seconds: float) -> None:
    """Take the throttle's next free moment ``seconds`` ahead: the next send waits for it."""
    throttle.reserve(round(seconds * 1_000_000))


def _reset_throttle() -> None:
    if django_settings.REDIS_URL:
        import redis

        redis.Redis.from_url(django_settings.REDIS_URL).delete(
            f"reminders:sms-next-free:{throttle.KEY}"
        )
    else:
        from reminders.models import SendPace

        SendPace.objects.all().delete()


@pytest.fixture
def throttled(settings):
    settings.SMS_MAX_PER_SECOND = 1
    _reset_throttle()
    yield settings
    _reset_throttle()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_waiting_for_its_turn_leaves_a_text_that_is_sent_once(
    worker, throttled
):
    """A real process, really killed (SIGKILL) while the rate limiter holds it."""
    message = MessageFactory()
    _far_turn(120)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SMS_BACKEND": "twilio",
        "SMS_MAX_PER_SECOND": "1",
        "SMS_QUIET_HOURS": "",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": "+15005550006",
        "TWILIO_API_BASE_URL": worker.url,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    code = (
        "import django; django.setup(); from reminders.sending import send_sms; "
        f"send_sms(message_id={message.pk})"
    )
    process = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        wait_until(
            lambda: Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).exists()
        )
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    _reset_throttle()
    throttled.SMS_MAX_PER_SECOND = 0
    assert worker.requests == []

    from reminders.tasks import dispatch_messages_task

    with ticking_at(clock.now() + abandoned(throttled)):
        dispatch_messages_task.delay()
        wait_until(
            lambda: Message.objects.filter(pk=message.pk, status=MessageStatus.SENT).exists()
        )
    assert len(worker.posts_to(message.to)) == 1
    assert Message.objects.get(pk=message.pk).attempts == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_slow_worker_whose_claim_was_given_up_on_does_not_send_it_too(
    twilio, settings, monkeypatch
):
    """Never twice: the hand-over mark is written only while the claim is still its own."""
    message = MessageFactory()
    waiting, turn = threading.Event(), threading.Event()

    def wait_for_turn() -> None:
        # The limiter holds this worker until the test says so: no race on a sleep.
        waiting.set()
        assert turn.wait(timeout=30)

    monkeypatch.setattr(throttle, "wait_for_turn", wait_for_turn)
    outcomes: list[str] = []

    def slow_worker() -> None:
        try:
            outcomes.append(send_sms(message_id=message.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=slow_worker)
    thread.start()
    try:
        assert waiting.wait(timeout=30)
        # The dispatcher, much later by its clock, takes the row back while the first
        # worker still waits for its turn; then another send takes it and sends it.
        later = clock.now() + abandoned(settings)
        assert settle_abandoned_sends(now=later) == 1
        monkeypatch.setattr(throttle, "wait_for_turn", lambda: None)
        with ticking_at(later):
            assert send_sms(message_id=message.pk) == MessageStatus.SENT
    finally:
        turn.set()
        thread.join()
    assert outcomes == ["not_claimed"]
    assert len(twilio.requests) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
