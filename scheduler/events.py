"""What scheduler tells the rest of the system, without importing it.

Scheduler must not depend on bookings or reminders (dependencies point reminders →
bookings → scheduler), yet time a practitioner gains — new working hours, time off
taken back — is offered to the waitlist (docs/rules.md#waitlist). So the handlers are
named in settings (``SCHEDULER_EVENT_HANDLERS``, wired in config) and called here,
inside the caller's transaction, as ``bookings/events.py`` does for bookings.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from scheduler.models import Practitioner
from scheduler.slots import Interval


class Event(StrEnum):
    # Time the practitioner did not have open before the change and has now.
    TIME_FREED = "time_freed"


Handler = Callable[[Event, Practitioner, list[Interval]], None]


@cache
def _handlers(paths: tuple[str, ...]) -> list[Handler]:
    return [import_string(path) for path in paths]


def publish(event: Event, practitioner: Practitioner, windows: list[Interval]) -> None:
    for handler in _handlers(tuple(getattr(settings, "SCHEDULER_EVENT_HANDLERS", ()))):
        handler(event, practitioner, windows)
