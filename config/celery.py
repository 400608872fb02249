"""The Celery application; tasks are found in each app's tasks.py."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_start_up_heap(**_: object) -> None:
    """A pool process has loaded the app and its tasks: see config/heap.py."""
    from config.heap import freeze_start_up_heap

    freeze_start_up_heap()
