"""Thin Celery tasks: they take ids, call a service, and may safely run twice."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def send_sms_task(message_id: int) -> None:
    from reminders.sending import send_sms

    send_sms(message_id=message_id)


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
