"""What bookings tells the rest of the system, without importing it.

Bookings must not depend on reminders (dependencies point reminders → bookings), yet
completing an injection has to create its recall in the same transaction. So the
handlers are named in settings (``BOOKING_EVENT_HANDLERS``, wired in config) and
called synchronously here, inside the caller's transaction: a handler that fails
rolls the whole change back, so a recall can never be lost.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from bookings.models import Appointment


class Event(StrEnum):
    BOOKED = "booked"
    MOVED = "moved"
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    # Undone the same clinic day: the appointment is live again (bookings.no_shows).
    NO_SHOW_UNDONE = "no_show_undone"


Handler = Callable[[Event, "Appointment"], None]


@cache
def _handlers(paths: tuple[str, ...]) -> list[Handler]:
    return [import_string(path) for path in paths]


def publish(event: Event, appointment: "Appointment") -> None:
    for handler in _handlers(tuple(getattr(settings, "BOOKING_EVENT_HANDLERS", ()))):
        handler(event, appointment)
