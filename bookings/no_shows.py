"""Marking a no-show, and taking it back the same clinic day.

A no-show withdraws the appointment's reminders and puts its recalls back on the
list, so a wrong click matters: staff confirm it first (the web pages ask), and until
the clinic day it was marked on ends it can be undone. Both are in the audit trail,
and the mark keeps the status it replaced so the undo restores exactly that.
"""

from datetime import datetime, time, timedelta

from django.db import transaction

from bookings.errors import PathwayError
from bookings.events import Event, publish
from bookings.models import Appointment, AuditEntry, Status
from bookings.roles import Actor
from bookings.services import audit, change_status, lock
from scheduler import clock

MARKED = Status.NO_SHOW.value
UNDONE = "no_show_undone"


@transaction.atomic
def mark_no_show(*, appointment: Appointment, by: Actor) -> Appointment:
    appointment = lock(appointment)
    return change_status(appointment, Status.NO_SHOW, by, previous=appointment.status)


def _last_mark(appointment: Appointment) -> AuditEntry | None:
    return (
        AuditEntry.objects.filter(appointment=appointment, action=MARKED)
        .order_by("-at", "-id")
        .first()
    )


def get_no_show_undo_until(*, appointment: Appointment) -> datetime | None:
    """Until when the no-show may be undone (the end of the day it was marked), or None."""
    if appointment.status != Status.NO_SHOW:
        return None
    mark = _last_mark(appointment)
    if mark is None:
        return None
    until = clock.at(clock.local_date(mark.at) + timedelta(days=1), time(0))
    return until if clock.now() < until else None


@transaction.atomic
def undo_no_show(*, appointment: Appointment, by: Actor) -> Appointment:
    """The patient did come (or the wrong row was clicked): back to the status before."""
    appointment = lock(appointment)
    if appointment.status != Status.NO_SHOW:
        raise PathwayError(
            "invalid_transition",
            f"This appointment is {appointment.get_status_display().lower()}, not a no-show.",
        )
    mark = _last_mark(appointment)
    if get_no_show_undo_until(appointment=appointment) is None or mark is None:
        raise PathwayError(
            "undo_too_late",
            "A no-show can only be undone on the day it was marked; "
            "after that, book the patient again.",
        )
    previous = mark.detail.get("previous")
    appointment.status = (
        previous if previous in (Status.BOOKED, Status.CONFIRMED) else Status.BOOKED
    )
    appointment.save(update_fields=["status", "updated_at"])
    audit(appointment, UNDONE, by, restored=appointment.status)
    publish(Event.NO_SHOW_UNDONE, appointment)
    return appointment
