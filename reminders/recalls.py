"""Recalls follow the appointments: created by a completed injection, closed by a booking.

``handle_booking_event`` is named in settings ``BOOKING_EVENT_HANDLERS`` and called by
bookings inside its own transaction, so a recall is created (or closed) together with
the change that causes it, or not at all.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, Value, When

from bookings.errors import FieldRefused, PathwayError
from bookings.events import Event
from bookings.models import Appointment
from bookings.roles import Actor, recorded_by
from reminders.models import (
    OPEN_RECALL_STATUSES,
    Message,
    MessageStatus,
    Recall,
    RecallKind,
    RecallStatus,
)
from scheduler import clock
from scheduler.models import Kind


def handle_booking_event(event: Event, appointment: Appointment) -> None:
    if event == Event.COMPLETED and appointment.kind == Kind.INJECTION:
        create_recalls_for_injection(injection=appointment)
    elif event in (Event.BOOKED, Event.NO_SHOW_UNDONE):
        mark_recalls_booked(appointment=appointment)
    elif event in (Event.CANCELLED, Event.NO_SHOW):
        reopen_recalls(appointment=appointment)
        _withdraw_appointment_messages(appointment, reason=f"appointment {event.value}")
    elif event == Event.MOVED:
        # The reminder not yet sent is for the old time; the sweep writes a new one.
        Message.objects.filter(appointment=appointment, status=MessageStatus.QUEUED).delete()


def recall_kind_for(appointment_kind: str) -> RecallKind | None:
    return {Kind.INJECTION: RecallKind.REINJECTION, Kind.REVIEW: RecallKind.REVIEW}.get(
        Kind(appointment_kind)
    )


def due_dates(
    *, injected_on: date, recall_interval_days: int, review_after_days: int | None
) -> dict[RecallKind, date]:
    """When a patient injected on ``injected_on`` is due back, per kind of follow-up."""
    due = {RecallKind.REINJECTION: injected_on + timedelta(days=recall_interval_days)}
    if review_after_days:
        due[RecallKind.REVIEW] = injected_on + timedelta(days=review_after_days)
    return due


def create_recalls_for_injection(*, injection: Appointment) -> list[Recall]:
    """The reinjection recall (and a cosmetic review) of a completed injection; idempotent."""
    course = injection.course
    treatment = course.treatment_type
    injected_on = clock.local_date(injection.start_at)
    # This injection fulfils whatever recall of the course was still open.
    Recall.objects.filter(
        course=course, kind=RecallKind.REINJECTION, status__in=OPEN_RECALL_STATUSES
    ).exclude(source_appointment=injection).update(
        status=RecallStatus.BOOKED, booked_appointment=injection, booked_at=clock.now()
    )
    recalls = [
        Recall(
            patient_id=injection.patient_id,
            course=course,
            treatment_type=treatment,
            kind=kind,
            source_appointment=injection,
            due_on=due_on,
            last_injection_on=injected_on,
        )
        for kind, due_on in due_dates(
            injected_on=injected_on,
            recall_interval_days=course.effective_recall_interval_days,
            review_after_days=treatment.review_after_days,
        ).items()
    ]
    Recall.objects.bulk_create(recalls, ignore_conflicts=True)
    return list(Recall.objects.filter(source_appointment=injection).order_by("kind"))


def mark_recalls_booked(*, appointment: Appointment) -> int:
    """Booking the next injection (or the review) closes the course's open recalls."""
    kind = recall_kind_for(appointment.kind)
    if kind is None:
        return 0
    return Recall.objects.filter(
        course_id=appointment.course_id, kind=kind, status__in=OPEN_RECALL_STATUSES
    ).update(status=RecallStatus.BOOKED, booked_appointment=appointment, booked_at=clock.now())


def reopen_recalls(*, appointment: Appointment) -> int:
    """A cancelled or missed booking puts its recalls back on the list."""
    return Recall.objects.filter(booked_appointment=appointment, status=RecallStatus.BOOKED).update(
        status=Case(
            When(reminded_at__isnull=False, then=Value(RecallStatus.REMINDED)),
            default=Value(RecallStatus.PENDING),
        ),
        booked_appointment=None,
        booked_at=None,
    )


@transaction.atomic
def dismiss_recall(*, recall: Recall, by: Actor, reason: str) -> Recall:
    """Staff take a recall off the list, saying why; its unsent SMS are withdrawn."""
    reason = reason.strip()
    if not reason:
        raise FieldRefused("reason", "Say why this recall is dismissed.")
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if not recall.is_open:
        raise PathwayError(
            "invalid_transition",
            f"This recall is already {recall.get_status_display().lower()}.",
        )
    recall.status = RecallStatus.DISMISSED
    recall.dismissed_reason = reason[:200]
    recall.dismissed_by = recorded_by(by)
    recall.dismissed_at = clock.now()
    recall.save(
        update_fields=["status", "dismissed_reason", "dismissed_by", "dismissed_at", "updated_at"]
    )
    Message.objects.filter(recall=recall, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SUPPRESSED, error_message="recall dismissed"
    )
    return recall


def lapse_recalls(*, as_of: date) -> int:
    """Recalls long overdue with nothing booked leave the active list."""
    cutoff = as_of - timedelta(days=settings.RECALL_LAPSE_AFTER_DAYS)
    return Recall.objects.filter(status__in=OPEN_RECALL_STATUSES, due_on__lte=cutoff).update(
        status=RecallStatus.LAPSED, lapsed_at=clock.now()
    )


def _withdraw_appointment_messages(appointment: Appointment, *, reason: str) -> None:
    Message.objects.filter(Q(appointment=appointment), status=MessageStatus.QUEUED).update(
        status=MessageStatus.SUPPRESSED, error_message=reason
    )
