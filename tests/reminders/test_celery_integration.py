"""Real PostgreSQL, a real Redis broker and a real Celery worker thread."""

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from config.celery import app
from reminders.models import Message, MessageStatus
from reminders.sweeps import dispatch_due_messages, sweep_recalls
from reminders.tasks import send_sms_batch_task, send_sms_task
from scheduler import clock
from tests.conftest import wait_until
from tests.factories import MessageFactory, PractitionerFactory

from .conftest import make_recall

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_two_concurrent_recall_sweeps_queue_and_send_each_due_message_exactly_once(worker):
    practitioner = PractitionerFactory()
    recalls = [make_recall(due_on=clock.today(), practitioner=practitioner) for _ in range(12)]
    start = threading.Barrier(2)

    def sweep() -> None:
        try:
            start.wait()
            sweep_recalls()
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    wait_until(lambda: Message.objects.filter(status=MessageStatus.SENT).count() == 12)
    assert Message.objects.count() == 12
    assert len(worker.requests) == 12
    assert sorted(r["form"]["To"] for r in worker.requests) == sorted(
        r.patient.phone for r in recalls
    )


def test_a_redelivered_send_task_does_not_send_twice(worker):
    twice, marker = MessageFactory(), MessageFactory()
    send_sms_task.delay(twice.pk)
    send_sms_task.delay(twice.pk)  # the broker hands the same task out again
    send_sms_task.delay(marker.pk)  # one worker, one queue: this runs after both
    wait_until(lambda: Message.objects.filter(pk=marker.pk, status=MessageStatus.SENT).exists())
    assert len(worker.posts_to(twice.to)) == 1
    assert Message.objects.get(pk=twice.pk).attempts == 1


def test_a_queued_message_whose_task_was_lost_is_sent_by_the_dispatcher_task(worker):
    from reminders.tasks import dispatch_messages_task

    message = MessageFactory()  # queued, but no send task was ever put on the broker
    dispatch_messages_task.delay()
    wait_until(lambda: Message.objects.filter(pk=message.pk, status=MessageStatus.SENT).exists())
    assert len(worker.posts_to(message.to)) == 1


def test_a_redelivered_send_batch_sends_each_message_once(worker):
    batch = [MessageFactory() for _ in range(3)]
    marker = MessageFactory()
    ids = [m.pk for m in batch]
    send_sms_batch_task.delay(ids)
    send_sms_batch_task.delay(ids)  # the same batch handed out again
    send_sms_task.delay(marker.pk)  # one worker, one queue: this runs after both
    wait_until(lambda: Message.objects.filter(pk=marker.pk, status=MessageStatus.SENT).exists())
    assert sorted(r["form"]["To"] for r in worker.requests) == sorted(
        m.to for m in [*batch, marker]
    )
    assert set(Message.objects.values_list("status", "attempts")) == {(MessageStatus.SENT, 1)}


def test_a_batch_past_its_deadline_hands_the_rest_to_a_new_task(worker, monkeypatch):
    from reminders import tasks

    monkeypatch.setattr(tasks, "SEND_BATCH_DEADLINE_SECONDS", 0.0)  # one message a task
    messages = [MessageFactory() for _ in range(3)]
    send_sms_batch_task.delay([m.pk for m in messages])
    wait_until(lambda: Message.objects.filter(status=MessageStatus.SENT).count() == 3)
    assert len(worker.requests) == 3


def test_send_batches_go_to_the_sms_queue(twilio):
    with app.connection_for_write() as conn:
        # The Redis channel has queue_purge; kombu types only the abstract channel.
        conn.default_channel.queue_purge("sms")  # type: ignore[attr-defined]
    message = MessageFactory()
    with start_worker(app, pool="solo", perform_ping_check=False, queues=["sms"]):
        assert dispatch_due_messages() == [message.pk]
        wait_until(lambda: Message.objects.filter(status=MessageStatus.SENT).exists())
    assert len(twilio.posts_to(message.to)) == 1
