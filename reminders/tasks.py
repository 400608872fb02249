"""Thin Celery tasks: they take ids, call a service, and may safely run twice."""

import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

logger = logging.getLogger(__name__)

# A batch stops taking new messages after this long and hands the rest to a new task,
# so it ends far below CELERY_TASK_SOFT_TIME_LIMIT even when Twilio is slow.
SEND_BATCH_DEADLINE_SECONDS = 60.0


@shared_task(acks_late=True, ignore_result=True, queue="sms")
def send_sms_task(message_id: int) -> None:
    from reminders.sending import send_sms

    send_sms(message_id=message_id)


@shared_task(acks_late=True, ignore_result=True, queue="sms")
def send_sms_batch_task(message_ids: list[int]) -> None:
    """send_sms for each id in turn: each is claimed on its own, so a redelivered batch
    sends only what the first delivery did not."""
    from reminders.sending import send_sms

    deadline = time.monotonic() + SEND_BATCH_DEADLINE_SECONDS
    for index, message_id in enumerate(message_ids):
        if index and time.monotonic() > deadline:
            send_sms_batch_task.delay(message_ids[index:])
            return
        try:
            send_sms(message_id=message_id)
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            # One bad row must not hold back the others; it stays in the outbox as it is
            # (queued rows go out again with the dispatcher).
            logger.exception("SMS %s: send failed", message_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_recalls_task() -> None:
    from reminders.sweeps import sweep_recalls

    sweep_recalls()


@shared_task(acks_late=True, ignore_result=True)
def queue_appointment_reminders_task() -> None:
    from reminders.sweeps import queue_appointment_reminders

    queue_appointment_reminders()


@shared_task(acks_late=True, ignore_result=True)
def dispatch_messages_task() -> None:
    from reminders.sweeps import dispatch_due_messages

    dispatch_due_messages()


@shared_task(acks_late=True, ignore_result=True)
def offer_freed_time_task(freed_id: int) -> None:
    from reminders.offers.engine import offer_freed_time

    offer_freed_time(freed_id=freed_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_offers_task() -> None:
    from reminders.offers.engine import sweep_offers

    sweep_offers()
