"""Sending one outbox row: claim it, check it may still go, send, write the outcome back."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q

from bookings.models import Status as AppointmentStatus
from reminders import consent, gateway, throttle
from reminders.models import (
    RECALL_PURPOSES,
    Message,
    MessageStatus,
    Recall,
    RecallStatus,
)
from reminders.windows import QuietHours, day_bounds, next_day_opening, next_send_at
from scheduler import clock

logger = logging.getLogger(__name__)

# Statuses that count as "this patient was texted" for the one-a-day rule.
TEXTED = (
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.UNDELIVERED,
    MessageStatus.UNKNOWN,
)


def quiet_hours() -> QuietHours:
    return QuietHours.parse(settings.SMS_QUIET_HOURS)


def first_allowed_at(moment: datetime) -> datetime:
    return next_send_at(moment, quiet_hours(), clock.clinic_tz())


def send_sms(*, message_id: int) -> str:
    """Send a queued message once; any second call (a redelivered task) changes nothing.

    Returns what happened, for logs and tests: the message's new status, ``deferred``
    or ``not_claimed``.
    """
    now = clock.now()
    opening = first_allowed_at(now)
    if opening > now:
        Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
            send_after=opening, queued_at=None
        )
        return "deferred"

    # The claim: exactly one caller moves the row out of "queued".
    claimed = Message.objects.filter(
        pk=message_id, status=MessageStatus.QUEUED, send_after__lte=now
    ).update(status=MessageStatus.SENDING, sending_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return "not_claimed"
    message = Message.objects.select_related("patient", "recall", "appointment").get(pk=message_id)

    reason = reason_not_to_send(message, now)
    if reason:
        _finish(message, MessageStatus.SUPPRESSED, error_message=reason)
        return MessageStatus.SUPPRESSED
    if message.purpose in RECALL_PURPOSES and _texted_earlier_today(message, now):
        _put_back(message, send_after=next_day_opening(now, quiet_hours(), clock.clinic_tz()))
        return "deferred"

    throttle.wait_for_turn()
    try:
        sent = gateway.send(to=message.to, body=message.body, message_id=message.pk)
    except gateway.NotProcessed as exc:
        if message.attempts >= settings.SMS_MAX_ATTEMPTS:
            _finish(message, MessageStatus.FAILED, error=exc)
            return MessageStatus.FAILED
        later = now + timedelta(seconds=settings.SMS_RETRY_LATER_SECONDS * message.attempts)
        _put_back(message, send_after=first_allowed_at(later), error=exc)
        return "deferred"
    except gateway.Uncertain as exc:
        logger.warning("SMS %s outcome unknown: %s", message.pk, exc.message)
        _finish(message, MessageStatus.UNKNOWN, error=exc, sent_at=now)
        return MessageStatus.UNKNOWN
    except gateway.Rejected as exc:
        _finish(message, MessageStatus.FAILED, error=exc)
        if exc.opted_out:
            consent.opt_out_number(phone=message.to)
        elif exc.invalid_number:
            consent.mark_number_invalid(patient_id=message.patient_id)
        return MessageStatus.FAILED

    # A status callback may already have moved it on (it carries our id): keep that.
    advanced = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT, provider_sid=sent.sid, sent_at=now
    )
    if not advanced:
        Message.objects.filter(pk=message.pk).update(provider_sid=sent.sid, sent_at=now)
    if message.recall_id:
        _mark_reminded(message.recall_id, now)
    return MessageStatus.SENT


def reason_not_to_send(message: Message, now: datetime) -> str:
    patient = message.patient
    if patient.sms_opted_out:
        return "patient opted out"
    if patient.phone_invalid:
        return "number cannot receive texts"
    if not patient.sms_consent:
        return "no SMS consent"
    if not message.to:
        return "no phone number"
    if message.recall is not None and not message.recall.is_open:
        return f"recall {message.recall.status}"
    appointment = message.appointment
    if appointment is not None:
        if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED):
            return f"appointment {appointment.status}"
        if appointment.start_at <= now:
            return "appointment already started"
    return ""


def _texted_earlier_today(message: Message, now: datetime) -> bool:
    """Another recall SMS to this patient claimed today before this one (the earlier wins)."""
    start, end = day_bounds(clock.local_date(now), clock.clinic_tz())
    assert message.sending_at is not None
    return (
        Message.objects.filter(
            patient_id=message.patient_id,
            purpose__in=RECALL_PURPOSES,
            status__in=TEXTED,
            sending_at__gte=start,
            sending_at__lt=end,
        )
        .filter(
            Q(sending_at__lt=message.sending_at)
            | Q(sending_at=message.sending_at, id__lt=message.pk)
        )
        .exclude(pk=message.pk)
        .exists()
    )


def _mark_reminded(recall_id: int, now: datetime) -> None:
    Recall.objects.filter(pk=recall_id, reminded_at__isnull=True).update(reminded_at=now)
    Recall.objects.filter(pk=recall_id, status=RecallStatus.PENDING).update(
        status=RecallStatus.REMINDED
    )


def _finish(
    message: Message,
    status: MessageStatus,
    *,
    error: gateway.SmsError | None = None,
    error_message: str = "",
    sent_at: datetime | None = None,
) -> None:
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=status,
        error_code=error.code if error else None,
        error_message=(error.message if error else error_message)[:300],
        sent_at=sent_at,
    )


def _put_back(
    message: Message, *, send_after: datetime, error: gateway.SmsError | None = None
) -> None:
    """Back to the queue, for the dispatcher to pick up when it is due (never dropped).

    A deferral without an error was no attempt at all, so it does not count as one.
    """
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.QUEUED,
        attempts=F("attempts") if error else F("attempts") - 1,
        send_after=send_after,
        queued_at=None,
        error_code=error.code if error else None,
        error_message=error.message[:300] if error else "",
    )
