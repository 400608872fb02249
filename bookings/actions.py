"""What may be done to an appointment now: one definition for the services and the pages.

The services refuse an action with ``refusal``'s words; the pages offer exactly the
actions ``get_appointment_actions`` allows, so a button is never shown for something
the service would refuse (and the other way round). Pure: no database, the clock is
passed in. Who may act (the roles) is the caller's question; what the appointment
allows is this module's.
"""

from dataclasses import dataclass
from datetime import datetime

from bookings.models import Appointment, Status
from scheduler import clock

# Which statuses each status change may start from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.CONFIRMED: (Status.BOOKED,),
    Status.CHECKED_IN: (Status.BOOKED, Status.CONFIRMED),
    Status.COMPLETED: (Status.BOOKED, Status.CONFIRMED, Status.CHECKED_IN),
    Status.CANCELLED: (Status.BOOKED, Status.CONFIRMED, Status.CHECKED_IN),
    Status.NO_SHOW: (Status.BOOKED, Status.CONFIRMED),
}
MOVABLE = (Status.BOOKED, Status.CONFIRMED)
MOVE = "move"


def refusal(
    action: str,
    *,
    status: str,
    start_at: datetime,
    checked_in_at: datetime | None,
    now: datetime,
) -> str | None:
    """Why ``action`` (a status it would change to, or ``MOVE``) is refused now; None if
    it is allowed."""
    allowed = MOVABLE if action == MOVE else TRANSITIONS[action]
    if status not in allowed:
        verb = "moved" if action == MOVE else Status(action).label.lower()
        return f"A {Status(status).label.lower()} appointment cannot be {verb}."
    if action == Status.CHECKED_IN and clock.local_date(start_at) != clock.local_date(now):
        return "A patient can only be checked in on the day of the appointment."
    if action == Status.NO_SHOW and start_at > now:
        return "A patient can only be marked a no-show after the start time."
    if action == Status.COMPLETED and start_at > now and checked_in_at is None:
        return "This appointment has not started yet; check the patient in first."
    return None


def allows(action: str, appointment: Appointment, now: datetime) -> bool:
    return (
        refusal(
            action,
            status=appointment.status,
            start_at=appointment.start_at,
            checked_in_at=appointment.checked_in_at,
            now=now,
        )
        is None
    )


@dataclass(frozen=True)
class AppointmentActions:
    confirm: bool
    check_in: bool
    no_show: bool
    cancel: bool
    move: bool
    complete: bool
    amend: bool


def get_appointment_actions(
    *, appointment: Appointment, now: datetime, can_book: bool, can_record: bool
) -> AppointmentActions:
    """The actions a user with these roles is offered on this appointment now."""
    return AppointmentActions(
        confirm=can_book and allows(Status.CONFIRMED, appointment, now),
        check_in=can_book and allows(Status.CHECKED_IN, appointment, now),
        no_show=can_book and allows(Status.NO_SHOW, appointment, now),
        cancel=can_book and allows(Status.CANCELLED, appointment, now),
        move=can_book and allows(MOVE, appointment, now),
        complete=can_record and allows(Status.COMPLETED, appointment, now),
        amend=can_record and appointment.status == Status.COMPLETED,
    )
