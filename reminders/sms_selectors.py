"""Reads of the SMS outbox: the messages list and the dashboard's delivery health.

Like reminders/selectors.py, every read is one aggregate or one page of rows,
whatever the number of messages.
"""

from datetime import datetime
from typing import TypedDict, Unpack

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    QuerySet,
    Value,
    When,
)

from reminders.models import (
    Message,
    MessageStatus,
)
from reminders.selectors import only_given


class MessageFilters(TypedDict, total=False):
    """The SMS dashboard's filters: when a text was written to the outbox, and what about."""

    sent_after: datetime | None
    sent_before: datetime | None
    treatment_type: str | None
    practitioner_id: int | None


def filter_messages(
    messages: QuerySet[Message], **given: Unpack[MessageFilters]
) -> QuerySet[Message]:
    """Messages written to the outbox in ``[sent_after, sent_before)``, by what they are about.

    A recall's SMS belongs to the recall's treatment and to whoever gave the injection
    it came from; an appointment reminder to the appointment's treatment and practitioner.
    """
    messages = only_given(
        messages, created_at__gte=given.get("sent_after"), created_at__lt=given.get("sent_before")
    )
    if treatment_type := given.get("treatment_type"):
        messages = messages.filter(
            Q(recall__treatment_type__code=treatment_type)
            | Q(appointment__course__treatment_type__code=treatment_type)
        )
    if practitioner_id := given.get("practitioner_id"):
        messages = messages.filter(
            Q(recall__source_appointment__practitioner_id=practitioner_id)
            | Q(appointment__practitioner_id=practitioner_id)
        )
    return messages


def get_sms_health(**given: Unpack[MessageFilters]) -> dict[str, int]:
    """How many SMS are in each status (every status present, zero if none); one query."""
    counts = {status.value: 0 for status in MessageStatus}
    rows = (
        filter_messages(
            Message.objects.all(),
            **given,
        )
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


NOT_DELIVERED = (
    MessageStatus.FAILED,
    MessageStatus.UNDELIVERED,
    MessageStatus.SUPPRESSED,
    MessageStatus.UNKNOWN,
)


class FailureReason(TypedDict):
    status: str
    error_code: int | None
    reason: str
    count: int


def get_sms_failure_reasons(**given: Unpack[MessageFilters]) -> list[FailureReason]:
    """Why SMS did not reach patients, grouped: by provider error code, or stored reason.

    A provider's error text names the number, so only the code groups failures; the
    reasons we store for suppressed texts are fixed words and group as they are.
    """
    rows = (
        filter_messages(
            Message.objects.filter(status__in=NOT_DELIVERED),
            **given,
        )
        .annotate(
            reason=Case(
                When(status=MessageStatus.SUPPRESSED, then=F("error_message")),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .values("status", "error_code", "reason")
        .annotate(count=Count("id"))
        .order_by("-count", "status", "error_code", "reason")
    )
    return [
        {
            "status": row["status"],
            "error_code": row["error_code"],
            "reason": row["reason"],
            "count": row["count"],
        }
        for row in rows
    ]


def list_failed_messages(**given: Unpack[MessageFilters]) -> QuerySet[Message]:
    """Failed and undelivered SMS, newest first, with their patient (one query)."""
    return (
        filter_messages(
            Message.objects.filter(status__in=(MessageStatus.FAILED, MessageStatus.UNDELIVERED)),
            **given,
        )
        .select_related("patient")
        .order_by("-created_at", "-id")
    )


def list_messages(*, patient_id: int | None = None, status: str | None = None) -> QuerySet[Message]:
    messages = only_given(Message.objects.all(), patient_id=patient_id, status=status)
    return messages.order_by("-created_at", "-id")
