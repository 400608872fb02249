"""Real PostgreSQL, a real Redis broker and a real Celery worker thread."""

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from config.celery import app
from reminders.models import Message, MessageStatus
from reminders.sweeps import sweep_recalls
from reminders.tasks import send_sms_task
from scheduler import clock
from tests.factories import PractitionerFactory

from .conftest import make_message, make_recall, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker(twilio):
    with app.connection_for_write() as conn:
        for queue in ("sms", "celery"):
            conn.default_channel.queue_purge(queue)
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=["sms", "celery"], shutdown_timeout=10
    ):
        yield twilio


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
    twice, marker = make_message(), make_message()
    send_sms_task.delay(twice.pk)
    send_sms_task.delay(twice.pk)  # the broker hands the same task out again
    send_sms_task.delay(marker.pk)  # one worker, one queue: this runs after both
    wait_until(lambda: Message.objects.filter(pk=marker.pk, status=MessageStatus.SENT).exists())
    assert len(worker.posts_to(twice.to)) == 1
    assert Message.objects.get(pk=twice.pk).attempts == 1


def test_a_queued_message_whose_task_was_lost_is_sent_by_the_dispatcher_task(worker):
    from reminders.tasks import dispatch_messages_task

    message = make_message()  # queued, but no send task was ever put on the broker
    dispatch_messages_task.delay()
    wait_until(lambda: Message.objects.filter(pk=message.pk, status=MessageStatus.SENT).exists())
    assert len(worker.posts_to(message.to)) == 1
