"""The periodic sweeps: they read the database and write outbox rows, nothing else.

Each sweep is set-based (a handful of queries whatever the number of recalls) and
idempotent: the outbox's unique keys (recall, stage) and (appointment, purpose) make a
repeated or concurrent run insert nothing twice, so beat may miss or repeat a tick.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from bookings.models import Appointment
from bookings.models import Status as AppointmentStatus
from reminders import texts
from reminders.models import (
    OPEN_RECALL_STATUSES,
    RECALL_PURPOSES,
    Message,
    MessageStatus,
    Purpose,
    Recall,
    RecallKind,
)
from reminders.recalls import lapse_recalls
from reminders.sending import first_allowed_at
from scheduler import clock


@dataclass(frozen=True)
class Stage:
    """One recall SMS, sent while ``start <= days past due < end``."""

    name: str
    purpose: Purpose
    kind: RecallKind
    start: int
    end: int


def recall_stages() -> list[Stage]:
    soon = settings.RECALL_DUE_SOON_LEAD_DAYS
    overdue = settings.RECALL_OVERDUE_AFTER_DAYS
    lapse = settings.RECALL_LAPSE_AFTER_DAYS
    review_lead = settings.REVIEW_REMINDER_LEAD_DAYS
    return [
        Stage("due_soon", Purpose.RECALL_DUE_SOON, RecallKind.REINJECTION, -soon, 0),
        Stage("due", Purpose.RECALL_DUE, RecallKind.REINJECTION, 0, overdue),
        Stage("overdue", Purpose.RECALL_OVERDUE, RecallKind.REINJECTION, overdue, lapse),
        Stage("review", Purpose.REVIEW, RecallKind.REVIEW, -review_lead, lapse),
    ]


@dataclass(frozen=True)
class SweepResult:
    lapsed: int
    queued: int
    suppressed: int


def sweep_recalls(*, as_of: date | None = None) -> SweepResult:
    """Queue the recall SMS due on ``as_of`` (default: today in the clinic)."""
    as_of = as_of or clock.today()
    now = clock.now()
    send_after = first_allowed_at(now)
    with transaction.atomic():
        lapsed = lapse_recalls(as_of=as_of)
        # Patients with a recall SMS still waiting get no second one on top of it.
        waiting = Message.objects.filter(
            patient_id=OuterRef("patient_id"),
            purpose__in=RECALL_PURPOSES,
            status=MessageStatus.QUEUED,
        )
        chosen: set[int] = set()
        rows: list[Message] = []
        for stage in recall_stages():
            body = texts.render(stage.purpose.value)
            already = Message.objects.filter(recall_id=OuterRef("pk"), stage=stage.name)
            candidates = (
                Recall.objects.filter(
                    kind=stage.kind,
                    status__in=OPEN_RECALL_STATUSES,
                    due_on__gt=as_of - timedelta(days=stage.end),
                    due_on__lte=as_of - timedelta(days=stage.start),
                )
                .filter(~Exists(already), ~Exists(waiting))
                .order_by("due_on", "id")
                .values_list(
                    "id",
                    "patient_id",
                    "patient__phone",
                    "patient__sms_consent",
                    "patient__sms_opted_out",
                    "patient__phone_invalid",
                )
            )
            for recall_id, patient_id, phone, consented, opted_out, invalid in candidates:
                reason = _reason_not_to_text(phone, consented, opted_out, invalid)
                if not reason:
                    # At most one recall SMS per patient per sweep (and so per day).
                    if patient_id in chosen:
                        continue
                    chosen.add(patient_id)
                rows.append(
                    Message(
                        patient_id=patient_id,
                        to=phone,
                        body=body,
                        purpose=stage.purpose,
                        recall_id=recall_id,
                        stage=stage.name,
                        status=MessageStatus.SUPPRESSED if reason else MessageStatus.QUEUED,
                        error_message=reason,
                        send_after=send_after,
                    )
                )
        Message.objects.bulk_create(rows, ignore_conflicts=True)
        transaction.on_commit(dispatch_due_messages)
    suppressed = sum(1 for row in rows if row.status == MessageStatus.SUPPRESSED)
    return SweepResult(lapsed=lapsed, queued=len(rows) - suppressed, suppressed=suppressed)


def queue_appointment_reminders() -> int:
    """A reminder for every live appointment starting within APPOINTMENT_REMINDER_HOURS."""
    now = clock.now()
    horizon = now + timedelta(hours=settings.APPOINTMENT_REMINDER_HOURS)
    already = Message.objects.filter(
        appointment_id=OuterRef("pk"), purpose=Purpose.APPOINTMENT_REMINDER
    )
    appointments = (
        Appointment.objects.filter(
            status__in=(AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED),
            start_at__gt=now,
            start_at__lte=horizon,
        )
        .filter(~Exists(already))
        .values_list(
            "id",
            "status",
            "start_at",
            "patient_id",
            "patient__phone",
            "patient__sms_consent",
            "patient__sms_opted_out",
            "patient__phone_invalid",
        )
    )
    send_after = first_allowed_at(now)
    rows = []
    for appointment_id, status, start_at, patient_id, phone, *flags in appointments:
        reason = _reason_not_to_text(phone, *flags)
        template = (
            "appointment_reminder_confirmed"
            if status == AppointmentStatus.CONFIRMED
            else "appointment_reminder"
        )
        rows.append(
            Message(
                patient_id=patient_id,
                to=phone,
                body=texts.render(template, when=texts.spoken_time(start_at)),
                purpose=Purpose.APPOINTMENT_REMINDER,
                appointment_id=appointment_id,
                status=MessageStatus.SUPPRESSED if reason else MessageStatus.QUEUED,
                error_message=reason,
                send_after=send_after,
            )
        )
    with transaction.atomic():
        Message.objects.bulk_create(rows, ignore_conflicts=True)
        transaction.on_commit(dispatch_due_messages)
    return len(rows)


def dispatch_due_messages(*, limit: int | None = None) -> list[int]:
    """Put a send task on the broker for queued rows that are due and have none.

    A row whose task was put on the broker more than SMS_REDISPATCH_AFTER_SECONDS ago
    and is still queued lost its task (a broker restart, a purge): it gets a new one.
    A duplicate task is harmless, since only one send can claim the row.
    """
    from reminders.tasks import send_sms_task

    now = clock.now()
    stale = now - timedelta(seconds=settings.SMS_REDISPATCH_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            Message.objects.filter(status=MessageStatus.QUEUED, send_after__lte=now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale))
            .order_by("send_after", "id")
            .values_list("id", flat=True)[: limit or settings.SMS_DISPATCH_BATCH]
        )
        Message.objects.filter(id__in=ids, status=MessageStatus.QUEUED).update(queued_at=now)
        transaction.on_commit(lambda: _enqueue(send_sms_task, ids))
    return ids


def _enqueue(task: Any, ids: Iterable[int]) -> None:
    for message_id in ids:
        task.delay(message_id)


def _reason_not_to_text(phone: str, consented: bool, opted_out: bool, invalid: bool) -> str:
    if opted_out:
        return "patient opted out"
    if invalid:
        return "number cannot receive texts"
    if not consented:
        return "no SMS consent"
    if not phone:
        return "no phone number"
    return ""
