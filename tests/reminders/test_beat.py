"""Beat runs a handful of fixed interval entries from settings, visible in the admin."""

from datetime import timedelta

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app


def test_the_sweeps_are_interval_entries_in_settings():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {
        "reminders.tasks.sweep_recalls_task",
        "reminders.tasks.queue_appointment_reminders_task",
        "reminders.tasks.dispatch_messages_task",
    } <= {entry["task"] for entry in schedule.values()}
    assert all(isinstance(entry["schedule"], timedelta) for entry in schedule.values())


def test_sends_go_to_their_own_queue():
    assert app.amqp.router.route({}, "reminders.tasks.send_sms_task")["queue"].name == "sms"


@pytest.mark.django_db(transaction=True)
def test_the_database_scheduler_stores_the_entries_as_interval_periodic_tasks():
    DatabaseScheduler(app=app)
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {"sweep-recalls", "queue-appointment-reminders", "dispatch-sms"} <= names
    assert not PeriodicTask.objects.filter(
        name__in=settings.CELERY_BEAT_SCHEDULE, interval__isnull=True
    ).exists()
