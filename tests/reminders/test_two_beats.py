"""Exactly one beat should run, but a second one by mistake must not double any SMS."""

from datetime import timedelta

import pytest
from django_celery_beat.models import PeriodicTask, PeriodicTasks
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app
from reminders.models import Message, MessageStatus
from scheduler import clock
from tests.conftest import wait_until
from tests.factories import PractitionerFactory

from .conftest import make_recall

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def beat() -> DatabaseScheduler:
    """A beat scheduler as `celery beat` builds it, from the same database."""
    return DatabaseScheduler(app=app, lazy=False)


def test_two_beats_firing_the_same_sweeps_send_each_recall_sms_once(worker):
    practitioner = PractitionerFactory()
    recalls = [make_recall(due_on=clock.today(), practitioner=practitioner) for _ in range(5)]
    first, second = beat(), beat()
    # Both find every entry overdue, as two beats started together would.
    PeriodicTask.objects.exclude(name="celery.backend_cleanup").update(
        last_run_at=clock.now() - timedelta(days=1)
    )
    PeriodicTasks.update_changed()
    sent_by = []
    for scheduler in (first, second):
        scheduler.sync()
        scheduler._schedule = None  # reread the rows, with last_run_at a day ago
        due = [e for e in scheduler.schedule.values() if e.is_due()[0]]
        assert {e.name for e in due} >= {"sweep-recalls", "dispatch-sms"}
        for entry in due:
            scheduler.apply_entry(entry, producer=None)
        sent_by.append({e.name for e in due})
    assert sent_by[0] == sent_by[1]  # each sweep really ran twice

    wait_until(lambda: Message.objects.filter(status=MessageStatus.SENT).count() == 5)
    wait_until(lambda: not Message.objects.filter(status=MessageStatus.QUEUED).exists())
    assert Message.objects.count() == 5
    assert sorted(r["form"]["To"] for r in worker.requests) == sorted(
        r.patient.phone for r in recalls
    )
