"""Sending one outbox row: claim it, check it may still go, send, write the outcome back."""

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce

from bookings.models import Status as AppointmentStatus
from reminders import budget, consent, eligibility, gateway, throttle
from reminders.links.tokens import fill_link, take_link_back, text_to_keep
from reminders.models import (
    OPEN_RECALL_STATUSES,
    Message,
    MessageStatus,
    Recall,
    RecallStatus,
)
from reminders.windows import QuietHours, next_send_at
from scheduler import clock

logger = logging.getLogger(__name__)


def quiet_hours() -> QuietHours:
    return QuietHours.parse(settings.SMS_QUIET_HOURS)


def first_allowed_at(moment: datetime) -> datetime:
    return next_send_at(moment, quiet_hours(), clock.clinic_tz())


@dataclass(frozen=True)
class Claim:
    """A message this send moved to "sending", with what deciding to send it needs."""

    id: int
    patient_id: int
    to: str
    body: str
    purpose: str
    recall_id: int | None
    appointment_id: int | None
    attempts: int
    sending_at: datetime
    opted_out: bool
    phone_invalid: bool
    consented: bool
    recall_status: str | None
    appointment_status: str | None
    appointment_start_at: datetime | None


def send_sms(*, message_id: int) -> str:
    """Send a queued message once; any second call (a redelivered task) changes nothing.

    Returns what happened, for logs and tests: the message's new status, ``deferred``
    (quiet hours, a retry later), ``over_budget`` (the patient's text limit; it waits
    in the outbox with its reason) or ``not_claimed``. Logs one line with the message id only: no number, no text.
    """
    outcome = _send_sms(message_id)
    logger.info("SMS %s: %s", message_id, outcome)
    return outcome


def _send_sms(message_id: int) -> str:
    now = clock.now()
    opening = first_allowed_at(now)
    if opening > now:
        Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
            send_after=opening, queued_at=None
        )
        return "deferred"

    message = _claim_within_budget(message_id, now)
    if message is None or isinstance(message, str):
        return message or "not_claimed"

    reason = reason_not_to_send(message, now)
    if reason:
        _finish(message, MessageStatus.SUPPRESSED, error_message=reason)
        return MessageStatus.SUPPRESSED

    message = _with_link(message)
    throttle.wait_for_turn()
    try:
        sent = gateway.send(
            to=message.to,
            body=message.body,
            message_id=message.id,
            before_request=lambda: _hand_over(message),
        )
    except ClaimLost:
        take_link_back(message.body)  # the other send makes its own; this one reached nobody
        logger.warning("SMS %s: given up on while waiting, another send has it", message.id)
        return "not_claimed"
    except gateway.NotProcessed as exc:
        if message.attempts >= settings.SMS_MAX_ATTEMPTS:
            _finish(message, MessageStatus.FAILED, error=exc)
            return MessageStatus.FAILED
        later = now + timedelta(seconds=settings.SMS_RETRY_LATER_SECONDS * message.attempts)
        _put_back(message, send_after=first_allowed_at(later), error=exc)
        return "deferred"
    except gateway.Uncertain as exc:
        logger.warning("SMS %s outcome unknown: %s", message.id, exc.message)
        _finish(message, MessageStatus.UNKNOWN, error=exc, sent_at=now)
        return MessageStatus.UNKNOWN
    except gateway.Rejected as exc:
        _finish(message, MessageStatus.FAILED, error=exc)
        if exc.opted_out:
            consent.opt_out_number(phone=message.to, source="provider")
        elif exc.invalid_number:
            consent.mark_number_invalid(patient_id=message.patient_id)
        return MessageStatus.FAILED

    _mark_sent(message, sid=sent.sid, now=now)
    return MessageStatus.SENT


def _with_link(message: Claim) -> Claim:
    """Make the text's personal link now, only for a text that is about to go out.

    The filled text is not written back: the token lives in this worker and then in the
    patient's text only. The outbox gets the text with its token masked at the hand-over
    (``_hand_over``); a worker killed before it leaves the link's place empty, so the
    next attempt makes a new link (the old token died with the worker).
    """
    body = fill_link(
        body=message.body,
        patient_id=message.patient_id,
        recall_id=message.recall_id,
        appointment_id=message.appointment_id,
        message_id=message.id,
    )
    return message if body == message.body else replace(message, body=body)


class ClaimLost(Exception):
    """The dispatcher gave this claim up (it looked abandoned); the row is not ours."""


def _hand_over(message: Claim) -> None:
    """Mark the row just before the request that could reach Twilio.

    A worker killed before this line sent nothing, so the dispatcher may queue the row
    again; after it the outcome is unknown. The mark is written only while the claim is
    still this one (same claim time and attempt), in one statement: either it lands
    first and the dispatcher leaves the row alone, or the dispatcher took the row back
    first and this send stops. Never both, so never twice.

    The same statement masks the link's token in the stored text: from here on the text
    is Twilio's to deliver, and the token lives only in it (when Twilio did not take the
    text, ``_put_back`` empties the link's place for the retry's new link).
    """
    marked = Message.objects.filter(
        pk=message.id,
        status=MessageStatus.SENDING,
        sending_at=message.sending_at,
        attempts=message.attempts,
    ).update(handed_over_at=clock.now(), body=text_to_keep(message.body))
    if marked != 1:
        raise ClaimLost


def reason_not_to_send(message: Claim, now: datetime) -> str:
    reason = eligibility.reason_not_to_text(
        phone=message.to,
        consented=message.consented,
        opted_out=message.opted_out,
        invalid=message.phone_invalid,
    )
    if reason:
        return reason
    if message.recall_status is not None and message.recall_status not in OPEN_RECALL_STATUSES:
        return f"recall {message.recall_status}"
    if message.appointment_status is not None:
        if message.appointment_status not in (
            AppointmentStatus.BOOKED,
            AppointmentStatus.CONFIRMED,
        ):
            return f"appointment {message.appointment_status}"
        assert message.appointment_start_at is not None
        if message.appointment_start_at <= now:
            return "appointment already started"
    return ""


OVER_BUDGET = "over_budget"


def _claim_within_budget(message_id: int, now: datetime) -> Claim | str | None:
    """Claim the row, holding its patient, and keep it only if their text budget has room.

    Claim, budget and (when over) the way back to the queue are one transaction that
    holds the patient (PostgreSQL: a row lock taken by the claim; SQLite: the write
    lock the claim takes), so of two workers sending this patient's texts the second
    waits, then counts the first one's claim (docs/rules.md#texts). A row over the
    budget goes back to the outbox with its reason and the moment it may go.
    """
    with transaction.atomic():
        claim = _claim(message_id, now)
        if claim is None or not budget.counts(claim.purpose):
            return claim
        verdict = budget.check(
            patient_id=claim.patient_id, message_id=claim.id, purpose=claim.purpose, now=now
        )
        if verdict.send:
            return claim
        Message.objects.filter(pk=claim.id, status=MessageStatus.SENDING).update(
            status=MessageStatus.QUEUED,
            attempts=F("attempts") - 1,  # no attempt was made
            sending_at=None,
            send_after=verdict.wait_until,
            queued_at=None,
            error_message=verdict.reason,
        )
        return OVER_BUDGET


def _claim(message_id: int, now: datetime) -> Claim | None:
    """Exactly one caller moves the row out of "queued"; it also gets what it needs to know."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CLAIM_SQL, {"id": message_id, "now": now, "waiting": budget.WAITING})
            row = cursor.fetchone()
        if row is None:
            return None
        (id_, patient_id, to, body, purpose, recall_id, appointment_id, attempts, *flags) = row
        opted_out, phone_invalid, consented, recall_status, appointment_status, start_at = flags
        return Claim(
            id=id_,
            patient_id=patient_id,
            to=to,
            body=body,
            purpose=purpose,
            recall_id=recall_id,
            appointment_id=appointment_id,
            attempts=attempts,
            sending_at=now,
            opted_out=opted_out,
            phone_invalid=phone_invalid,
            consented=consented,
            recall_status=recall_status,
            appointment_status=appointment_status,
            appointment_start_at=start_at,
        )
    claimed = Message.objects.filter(
        pk=message_id, status=MessageStatus.QUEUED, send_after__lte=now
    ).update(
        status=MessageStatus.SENDING,
        sending_at=now,
        attempts=F("attempts") + 1,
        error_message=Case(
            When(error_message__startswith=budget.WAITING, then=Value("")),
            default=F("error_message"),
        ),
    )
    if claimed != 1:
        return None
    message = Message.objects.select_related("patient", "recall", "appointment").get(pk=message_id)
    return Claim(
        id=message.pk,
        patient_id=message.patient_id,
        to=message.to,
        body=message.body,
        purpose=message.purpose,
        recall_id=message.recall_id,
        appointment_id=message.appointment_id,
        attempts=message.attempts,
        sending_at=now,
        opted_out=message.patient.sms_opted_out,
        phone_invalid=message.patient.phone_invalid,
        consented=message.patient.sms_consent,
        recall_status=message.recall.status if message.recall else None,
        appointment_status=message.appointment.status if message.appointment else None,
        appointment_start_at=message.appointment.start_at if message.appointment else None,
    )


# The claim, the lock on its patient and the load in one round trip (PostgreSQL): the
# UPDATE decides who sends; the patient row is locked until the transaction ends (the
# text budget is counted after this statement, so it sees every earlier claim) and
# read as it is now; the recall and appointment as they were when the statement began.
_CLAIM_SQL = """
WITH claimed AS (
    UPDATE reminders_message
    SET status = 'sending', sending_at = %(now)s, attempts = attempts + 1,
        error_message = CASE WHEN starts_with(error_message, %(waiting)s) THEN ''
                             ELSE error_message END
    WHERE id = %(id)s AND status = 'queued' AND send_after <= %(now)s
    RETURNING id, patient_id, "to", body, purpose, recall_id, appointment_id, attempts
),
held AS (
    SELECT p.id, p.sms_opted_out, p.phone_invalid, p.sms_consent
    FROM bookings_patient p JOIN claimed c ON p.id = c.patient_id
    FOR UPDATE OF p
)
SELECT c.id, c.patient_id, c."to", c.body, c.purpose, c.recall_id, c.appointment_id,
       c.attempts,
       p.sms_opted_out, p.phone_invalid, p.sms_consent, r.status, a.status, a.start_at
FROM claimed c
JOIN held p ON p.id = c.patient_id
LEFT JOIN reminders_recall r ON r.id = c.recall_id
LEFT JOIN bookings_appointment a ON a.id = c.appointment_id
"""


def _mark_sent(message: Claim, *, sid: str, now: datetime) -> None:
    """The provider's id on the row, and its recall marked reminded, in one statement.

    A status callback may already have moved the row on (it carries our id): keep that.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_MARK_SENT_SQL, {"id": message.id, "sid": sid, "now": now})
        return
    Message.objects.filter(pk=message.id).update(
        status=Case(
            When(status=MessageStatus.SENDING, then=Value(MessageStatus.SENT)),
            default=F("status"),
        ),
        provider_sid=sid,
        sent_at=now,
    )
    if message.recall_id:
        Recall.objects.filter(pk=message.recall_id).update(
            reminded_at=Coalesce(F("reminded_at"), Value(now)),
            status=Case(
                When(status=RecallStatus.PENDING, then=Value(RecallStatus.REMINDED)),
                default=F("status"),
            ),
        )


_MARK_SENT_SQL = """
WITH sent AS (
    UPDATE reminders_message
    SET status = CASE WHEN status = 'sending' THEN 'sent' ELSE status END,
        provider_sid = %(sid)s, sent_at = %(now)s
    WHERE id = %(id)s
    RETURNING recall_id
)
UPDATE reminders_recall r
SET reminded_at = coalesce(r.reminded_at, %(now)s),
    status = CASE WHEN r.status = 'pending' THEN 'reminded' ELSE r.status END
FROM sent
WHERE r.id = sent.recall_id
"""


def _finish(
    message: Claim,
    status: MessageStatus,
    *,
    error: gateway.SmsError | None = None,
    error_message: str = "",
    sent_at: datetime | None = None,
) -> None:
    # Never sent again: no token kept. A failed text reached nobody, so its link goes too;
    # any other end (unknown: Twilio may have it) keeps the link, masked.
    body = (
        take_link_back(message.body)
        if status == MessageStatus.FAILED
        else text_to_keep(message.body)
    )
    Message.objects.filter(pk=message.id, status=MessageStatus.SENDING).update(
        status=status,
        body=body,
        error_code=error.code if error else None,
        error_message=(error.message if error else error_message)[:300],
        sent_at=sent_at,
    )


def _put_back(
    message: Claim, *, send_after: datetime, error: gateway.SmsError | None = None
) -> None:
    """Back to the queue, for the dispatcher to pick up when it is due (never dropped).

    A deferral without an error was no attempt at all, so it does not count as one. The
    text goes back without its link (which reached nobody): the retry makes a new one.
    """
    Message.objects.filter(pk=message.id, status=MessageStatus.SENDING).update(
        status=MessageStatus.QUEUED,
        body=take_link_back(message.body),
        attempts=F("attempts") if error else F("attempts") - 1,
        send_after=send_after,
        queued_at=None,
        handed_over_at=None,  # nothing reached the provider (NotProcessed) or none tried
        error_code=error.code if error else None,
        error_message=error.message[:300] if error else "",
    )
