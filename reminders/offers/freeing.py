"""A cancellation or a move frees time: record it and, after the commit, offer it.

Named in settings ``BOOKING_EVENT_HANDLERS``: it runs inside the booking change's own
transaction, so the freed time is recorded with the change or not at all, and the task
that offers it is queued only once the change is committed (``on_commit``); a task that
never runs is caught by the minute sweep (docs/rules.md#waitlist).
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from bookings.events import Event
from bookings.models import Appointment, AuditEntry
from reminders.offers.models import FreedSource, FreedTime
from scheduler import clock


def _moved_from(appointment: Appointment) -> tuple[int, datetime] | None:
    """Where a moved visit was: the move's own audit entry, written just before."""
    entry = (
        AuditEntry.objects.filter(appointment=appointment, action="moved")
        .order_by("-at", "-id")
        .first()
    )
    if entry is None or "before" not in entry.detail:
        return None
    practitioner_id = entry.detail.get("practitioner_before", appointment.practitioner_id)
    return practitioner_id, datetime.fromisoformat(entry.detail["before"])


def record_freed_time(
    *,
    practitioner_id: int,
    start_at: datetime,
    end_at: datetime,
    source: str,
    appointment: Appointment | None = None,
) -> FreedTime | None:
    """The freed time, queued for its offers after the commit; None for a time already past
    or already open (freed twice before it was filled)."""
    now = clock.now()
    if start_at <= now:
        return None
    try:
        with transaction.atomic():
            freed = FreedTime.objects.create(
                practitioner_id=practitioner_id,
                start_at=start_at,
                end_at=end_at,
                source=source,
                appointment=appointment,
                freed_at=now,
            )
    except IntegrityError:
        return None
    from reminders.tasks import offer_freed_time_task

    transaction.on_commit(lambda: offer_freed_time_task.delay(freed.pk))
    return freed


def handle_booking_event(event: Event, appointment: Appointment) -> None:
    if event == Event.CANCELLED:
        record_freed_time(
            practitioner_id=appointment.practitioner_id,
            start_at=appointment.start_at,
            end_at=appointment.end_at,
            source=FreedSource.CANCELLED,
            appointment=appointment,
        )
    elif event == Event.MOVED:
        moved = _moved_from(appointment)
        if moved is None:
            return
        practitioner_id, before = moved
        if (practitioner_id, before) == (appointment.practitioner_id, appointment.start_at):
            return
        length: timedelta = appointment.end_at - appointment.start_at
        record_freed_time(
            practitioner_id=practitioner_id,
            start_at=before,
            end_at=before + length,
            source=FreedSource.MOVED,
            appointment=appointment,
        )
