"""The periodic sweeps: they read the database and write outbox rows, nothing else.

Each sweep is set-based (a handful of queries whatever the number of recalls) and
idempotent: the outbox's unique keys (recall, stage) and (appointment, purpose) make a
repeated or concurrent run insert nothing twice, so beat may miss or repeat a tick.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from bookings.models import Appointment, Patient
from bookings.models import Status as AppointmentStatus
from reminders import eligibility, texts
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

# A send task gets at most SEND_BATCH_MAX ids, fewer when the rate limit would make the
# batch take longer than SEND_BATCH_SECONDS: a batch stays far below the task time limit.
SEND_BATCH_MAX = 100
SEND_BATCH_SECONDS = 5


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
    """Queue the recall SMS due on ``as_of`` (default: today in the clinic).

    Rules, whichever database does the work: each stage of a recall once (the unique
    key (recall, stage) settles concurrent sweeps); no recall SMS for a patient who
    has one still queued; at most one queued per patient per sweep (the earliest
    stage, then the earliest due); patients who may not be texted get a suppressed
    row that says why.
    """
    as_of = as_of or clock.today()
    now = clock.now()
    send_after = first_allowed_at(now)
    # Each stage's text with its link, and without for patients who could not open one.
    stages = [
        (
            stage,
            texts.render(stage.purpose.value, **texts.link_context(stage.purpose.value)),
            texts.render(stage.purpose.value),
        )
        for stage in recall_stages()
    ]
    with transaction.atomic():
        lapsed = lapse_recalls(as_of=as_of)
        if connection.vendor == "postgresql":
            queued, suppressed = _insert_recall_messages_sql(stages, as_of, now, send_after)
        else:
            queued, suppressed = _insert_recall_messages_orm(stages, as_of, send_after)
        transaction.on_commit(dispatch_due_messages)
    return SweepResult(lapsed=lapsed, queued=queued, suppressed=suppressed)


# One statement whatever the number of recalls: 100,000 rows built in Python took
# seconds and 150 MiB; PostgreSQL writes them straight from the SELECT.
_RECALL_MESSAGES_SQL = """
WITH stage (name, purpose, kind, due_after, due_until, body, plain, ord) AS (
    VALUES {stages}
),
candidate AS (
    SELECT r.id AS recall_id, r.patient_id, r.due_on, p.phone,
           s.name AS stage, s.purpose, s.ord,
           CASE WHEN {can_open_link} THEN s.body ELSE s.plain END AS body,
           {reason} AS reason
    FROM {recall} r
    JOIN stage s ON r.kind = s.kind AND r.due_on > s.due_after AND r.due_on <= s.due_until
    JOIN {patient} p ON p.id = r.patient_id
    WHERE r.status = ANY(%(open)s)
      AND NOT EXISTS (SELECT 1 FROM {message} m
                      WHERE m.recall_id = r.id AND m.stage = s.name)
      AND NOT EXISTS (SELECT 1 FROM {message} m
                      WHERE m.patient_id = r.patient_id AND m.purpose = ANY(%(purposes)s)
                        AND m.status = %(queued)s)
),
ranked AS (
    SELECT candidate.*, row_number() OVER (
        PARTITION BY patient_id, reason = '' ORDER BY ord, due_on, recall_id
    ) AS n
    FROM candidate
),
inserted AS (
    INSERT INTO {message} (
        patient_id, "to", body, purpose, recall_id, stage, appointment_id, status,
        provider_sid, error_code, error_message, attempts, send_after, created_at,
        queued_at, sending_at, sent_at, delivered_at, updated_at)
    SELECT patient_id, phone, body, purpose, recall_id, stage, NULL,
           CASE WHEN reason = '' THEN %(queued)s ELSE %(suppressed)s END,
           '', NULL, reason, 0, %(send_after)s, %(now)s, NULL, NULL, NULL, NULL, %(now)s
    FROM ranked
    WHERE reason <> '' OR n = 1
    ON CONFLICT DO NOTHING
    RETURNING status
)
SELECT count(*) FILTER (WHERE status = %(queued)s),
       count(*) FILTER (WHERE status = %(suppressed)s)
FROM inserted
"""


def _insert_recall_messages_sql(
    stages: list[tuple[Stage, str, str]], as_of: date, now: datetime, send_after: datetime
) -> tuple[int, int]:
    params: dict[str, Any] = {
        "open": [str(s) for s in OPEN_RECALL_STATUSES],
        "purposes": [str(p) for p in RECALL_PURPOSES],
        "queued": str(MessageStatus.QUEUED),
        "suppressed": str(MessageStatus.SUPPRESSED),
        "send_after": send_after,
        "now": now,
    }
    reason_sql, reason_params = eligibility.reason_case_sql("p")
    params.update(reason_params)
    values = []
    for order, (stage, body, plain) in enumerate(stages):
        values.append(
            f"(%(name{order})s, %(purpose{order})s, %(kind{order})s, %(after{order})s::date, "
            f"%(until{order})s::date, %(body{order})s, %(plain{order})s, {order})"
        )
        params.update(
            {
                f"name{order}": stage.name,
                f"purpose{order}": str(stage.purpose),
                f"kind{order}": str(stage.kind),
                f"after{order}": as_of - timedelta(days=stage.end),
                f"until{order}": as_of - timedelta(days=stage.start),
                f"body{order}": body,
                f"plain{order}": plain,
            }
        )
    with connection.cursor() as cursor:
        sql = _RECALL_MESSAGES_SQL.format(
            stages=", ".join(values),
            reason=reason_sql,
            can_open_link=eligibility.can_open_link_sql("p"),
            recall=connection.ops.quote_name(Recall._meta.db_table),
            patient=connection.ops.quote_name(Patient._meta.db_table),
            message=connection.ops.quote_name(Message._meta.db_table),
        )
        cursor.execute(sql, params)
        queued, suppressed = cursor.fetchone()
    return int(queued), int(suppressed)


def _insert_recall_messages_orm(
    stages: list[tuple[Stage, str, str]], as_of: date, send_after: datetime
) -> tuple[int, int]:
    """The same rules row by row in Python, for SQLite (development): fine for a few."""
    waiting = Message.objects.filter(
        patient_id=OuterRef("patient_id"),
        purpose__in=RECALL_PURPOSES,
        status=MessageStatus.QUEUED,
    )
    chosen: set[int] = set()
    rows: list[Message] = []
    for stage, body, plain in stages:
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
                "patient__date_of_birth",
            )
        )
        for recall_id, patient_id, phone, consented, opted_out, invalid, born in candidates:
            reason = eligibility.reason_not_to_text(
                phone=phone, consented=consented, opted_out=opted_out, invalid=invalid
            )
            if not reason:
                if patient_id in chosen:
                    continue
                chosen.add(patient_id)
            rows.append(
                Message(
                    patient_id=patient_id,
                    to=phone,
                    body=body if eligibility.can_open_link(born) else plain,
                    purpose=stage.purpose,
                    recall_id=recall_id,
                    stage=stage.name,
                    status=MessageStatus.SUPPRESSED if reason else MessageStatus.QUEUED,
                    error_message=reason,
                    send_after=send_after,
                )
            )
    Message.objects.bulk_create(rows, ignore_conflicts=True)
    suppressed = sum(1 for row in rows if row.status == MessageStatus.SUPPRESSED)
    return len(rows) - suppressed, suppressed


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
            "patient__date_of_birth",
        )
    )
    send_after = first_allowed_at(now)
    rows = []
    for row in appointments:
        appointment_id, status, start_at, patient_id, phone = row[:5]
        consented, opted_out, invalid, born = row[5:]  # born: the date of birth
        reason = eligibility.reason_not_to_text(
            phone=phone, consented=consented, opted_out=opted_out, invalid=invalid
        )
        template = (
            "appointment_reminder_confirmed"
            if status == AppointmentStatus.CONFIRMED
            else "appointment_reminder"
        )
        rows.append(
            Message(
                patient_id=patient_id,
                to=phone,
                body=texts.render(
                    template,
                    when=texts.spoken_time(start_at),
                    **texts.link_context(template, can_open=eligibility.can_open_link(born)),
                ),
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
    """Put send tasks on the broker for queued rows that are due and have none.

    A row whose task was put on the broker more than SMS_REDISPATCH_AFTER_SECONDS ago
    and is still queued lost its task (a broker restart, a purge): it gets a new one.
    A duplicate task is harmless, since only one send can claim the row.
    """
    now = clock.now()
    stale = now - timedelta(seconds=settings.SMS_REDISPATCH_AFTER_SECONDS)
    settle_abandoned_sends(now=now)
    with transaction.atomic():
        ids = list(
            Message.objects.filter(status=MessageStatus.QUEUED, send_after__lte=now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale))
            .order_by("send_after", "id")
            .values_list("id", flat=True)[: limit or settings.SMS_DISPATCH_BATCH]
        )
        Message.objects.filter(id__in=ids, status=MessageStatus.QUEUED).update(queued_at=now)
        transaction.on_commit(lambda: _enqueue(ids))
    return ids


def settle_abandoned_sends(*, now: datetime) -> int:
    """A row still "sending" long after any task could still be at it lost its worker.

    Not handed over (killed while it waited for its turn, say): nothing reached Twilio,
    so it is queued again, and failed for staff once it has used up its attempts. Handed
    over: Twilio may have it, so it becomes "unknown", never resent blindly. Either way
    it shows up instead of sitting in "sending" for ever. A slow worker that still holds
    such a claim cannot send it afterwards (see ``sending._hand_over``).
    """
    abandoned = Message.objects.filter(
        status=MessageStatus.SENDING,
        sending_at__lt=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2),
    )
    never_left = abandoned.filter(handed_over_at__isnull=True)
    settled = never_left.filter(attempts__lt=settings.SMS_MAX_ATTEMPTS).update(
        status=MessageStatus.QUEUED,
        send_after=now,
        queued_at=None,
        error_message="The worker stopped before sending; queued again.",
    )
    settled += never_left.update(
        status=MessageStatus.FAILED,
        error_message="The worker stopped before sending, too many times.",
    )
    return settled + abandoned.update(
        status=MessageStatus.UNKNOWN,
        error_message="The worker stopped while sending; the outcome is unknown.",
    )


def _enqueue(ids: list[int]) -> None:
    """One task per batch of ids: the broker's and the worker's cost per task is paid once."""
    from reminders.tasks import send_sms_batch_task

    size = send_batch_size()
    for start in range(0, len(ids), size):
        send_sms_batch_task.delay(ids[start : start + size])


def send_batch_size() -> int:
    """Ids per send task: about SEND_BATCH_SECONDS of sending at the rate limit."""
    limit = int(settings.SMS_MAX_PER_SECOND)
    if limit <= 0:
        return SEND_BATCH_MAX
    return max(1, min(SEND_BATCH_MAX, limit * SEND_BATCH_SECONDS))
