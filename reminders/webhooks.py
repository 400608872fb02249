"""Twilio's webhooks: delivery status callbacks and texts from patients.

Both are signed by Twilio (X-Twilio-Signature over PUBLIC_BASE_URL + path + every POST
parameter); anything else is answered 403. They only write rows and answer quickly:
Twilio gives up after 15 seconds.
"""

import logging
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.db import DataError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bookings.errors import PathwayError
from bookings.models import Appointment, Patient
from bookings.models import Status as AppointmentStatus
from reminders import consent, gateway, keywords, texts
from reminders.keywords import Intent
from reminders.models import (
    InboundAction,
    InboundMessage,
    Message,
    MessageStatus,
    MessageStatusEvent,
)
from scheduler import clock

logger = logging.getLogger(__name__)
View = Callable[[HttpRequest], HttpResponse]

# Twilio's statuses as ours, with a rank: a callback may only move a message forward.
PROVIDER_STATUS = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
    "canceled": MessageStatus.FAILED,
}
RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.UNKNOWN: 2,
    MessageStatus.SENT: 3,
    MessageStatus.DELIVERED: 4,
    MessageStatus.UNDELIVERED: 4,
    MessageStatus.FAILED: 4,
}


def _signed(request: HttpRequest) -> bool:
    url = settings.PUBLIC_BASE_URL.rstrip("/") + request.get_full_path()
    return gateway.signature_is_valid(
        url=url, params=request.POST, signature=request.headers.get("X-Twilio-Signature", "")
    )


def twilio_webhook(view: View) -> View:
    """What every Twilio webhook is: a POST without a CSRF token (Twilio cannot send
    one), signed by Twilio or answered 403 before anything is read."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def signed_only(request: HttpRequest) -> HttpResponse:
        if not _signed(request):
            return HttpResponseForbidden("Invalid Twilio signature")
        return view(request)

    return signed_only


def _message_sid(request: HttpRequest) -> str:
    """The text's id; older callbacks name it SmsSid."""
    return request.POST.get("MessageSid") or request.POST.get("SmsSid") or ""


# --- what Twilio sends, made safe to store -------------------------------------------
# Twilio retries a webhook that fails, so one odd field must never become a 500: every
# field loses its NUL bytes (PostgreSQL text cannot hold them) and is cut to its column,
# with a log line that names the field only (never a number or a text).

SID_LENGTH = MessageStatusEvent._meta.get_field("provider_sid").max_length or 64
STATUS_LENGTH = MessageStatusEvent._meta.get_field("status").max_length or 20
NUMBER_LENGTH = InboundMessage._meta.get_field("from_number").max_length or 20
BODY_LENGTH = 1600  # Twilio's own limit for one message
# What a PositiveIntegerField holds on every database.
ERROR_CODE_MAX = 2**31 - 1
# "whatsapp:+1416…" (and Twilio's other channels): the address after the channel name.
CHANNEL_PREFIX = re.compile(r"^[a-z][a-z-]*:", re.IGNORECASE)


def clean_field(value: str, *, name: str, limit: int) -> str:
    cleaned = value.replace("\x00", "")
    if len(cleaned) > limit:
        cleaned = cleaned[:limit]
    if cleaned != value:
        logger.info("Twilio webhook: %s had NUL bytes or was too long; stored trimmed", name)
    return cleaned


def clean_number(value: str, *, name: str) -> str:
    """An E.164 number as we store them; a channel name before it is dropped."""
    return clean_field(
        CHANNEL_PREFIX.sub("", value.strip(), count=1), name=name, limit=NUMBER_LENGTH
    )


def error_code_or_none(raw: str) -> int | None:
    """Twilio's error codes are positive numbers; anything else is dropped, not stored."""
    text = raw.replace("\x00", "").strip()
    if not text:
        return None
    code = _int_or_none(text)
    if code is None or not 0 <= code <= ERROR_CODE_MAX:
        logger.info("Twilio webhook: ErrorCode is not a Twilio error code; ignored")
        return None
    return code


@twilio_webhook
def twilio_status(request: HttpRequest) -> HttpResponse:
    sid = _message_sid(request)
    provider_status = request.POST.get("MessageStatus") or request.POST.get("SmsStatus") or ""
    try:
        apply_status_callback(
            sid=clean_field(sid, name="MessageSid", limit=SID_LENGTH),
            provider_status=clean_field(
                provider_status.lower(), name="MessageStatus", limit=STATUS_LENGTH
            ),
            error_code=error_code_or_none(request.POST.get("ErrorCode", "")),
            message_id=_int_or_none(request.GET.get("m")),
        )
    except DataError:
        # Should the cleaning above miss a case: a definite answer, not a retry loop.
        logger.warning("Twilio status callback refused: a field could not be stored")
        return HttpResponse(status=400)
    return HttpResponse(status=204)


@transaction.atomic
def apply_status_callback(
    *, sid: str, provider_status: str, error_code: int | None, message_id: int | None
) -> str:
    """Move a message forward to what Twilio says; never back (callbacks come out of order)."""
    if not sid or not provider_status:
        return "ignored"
    messages = Message.objects.filter(provider_sid=sid)
    if message_id is not None and not messages.exists():
        # The create call timed out ("unknown"), so we never learnt the sid: learn it now.
        messages = Message.objects.filter(pk=message_id, provider_sid="")
    message = messages.first()
    try:
        with transaction.atomic():
            MessageStatusEvent.objects.create(
                provider_sid=sid, status=provider_status, error_code=error_code, message=message
            )
    except IntegrityError:
        # Only the one-event-per-sid-and-status rule makes this a repeat; any other
        # broken rule is a bug to see, not a callback to drop.
        if MessageStatusEvent.objects.filter(provider_sid=sid, status=provider_status).exists():
            return "duplicate"
        raise
    new = PROVIDER_STATUS.get(provider_status)
    if message is None or new is None:
        return "ignored"
    earlier = [status for status, rank in RANK.items() if rank < RANK[new]]
    now = clock.now()
    changes: dict[str, object] = {"status": new, "provider_sid": sid}
    if new == MessageStatus.DELIVERED:
        changes["delivered_at"] = now
    if error_code is not None:
        changes["error_code"] = error_code
    if message.sent_at is None:
        changes["sent_at"] = now
    updated = Message.objects.filter(pk=message.pk, status__in=earlier).update(**changes)
    if error_code in gateway.OPTED_OUT_CODES:
        consent.opt_out_number(phone=message.to, source="provider")
    elif error_code in gateway.INVALID_NUMBER_CODES:
        consent.mark_number_invalid(patient_id=message.patient_id)
    # One line per state change; a late, earlier status changes nothing and says so.
    logger.info("SMS %s: %s%s", message.pk, new, "" if updated else " (late callback ignored)")
    return new if updated else "stale"


@twilio_webhook
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    sid = _message_sid(request)
    try:
        reply = receive_text(
            sid=clean_field(sid, name="MessageSid", limit=SID_LENGTH),
            from_number=clean_number(request.POST.get("From", ""), name="From"),
            to_number=clean_number(request.POST.get("To", ""), name="To"),
            body=clean_field(request.POST.get("Body", ""), name="Body", limit=BODY_LENGTH),
        )
    except DataError:
        logger.warning("Twilio inbound text refused: a field could not be stored")
        return HttpResponse(status=400)
    return HttpResponse(gateway.twiml_reply(reply), content_type="text/xml")


@transaction.atomic
def receive_text(*, sid: str, from_number: str, to_number: str, body: str) -> str:
    """Act on a patient's text and return the reply (empty: no reply).

    A number we do not know is kept for staff like any other text, never an error.
    """
    if sid and InboundMessage.objects.filter(provider_sid=sid).exists():
        return ""  # Twilio retried a webhook we already handled.
    patient = Patient.objects.filter(phone=from_number).order_by("id").first()
    intent = keywords.read_intent(body)
    reply = ""
    if intent == Intent.OPT_OUT:
        action = InboundAction.OPT_OUT
        consent.opt_out_number(phone=from_number)
        # Twilio confirms its own words; the rest (REVOKE, "stop texting me") it passes
        # on without blocking, so the one confirmation the rules allow is ours to send.
        if patient is not None and not keywords.provider_confirms_opt_out(body):
            reply = texts.render("opted_out")
    elif intent == Intent.OPT_IN:
        action = InboundAction.OPT_IN
        consent.opt_in_number(phone=from_number)
    elif intent == Intent.HELP:
        action = InboundAction.HELP
        reply = texts.render("help")
    elif intent == Intent.CONFIRM:
        action, reply = _confirm_next_appointment(from_number)
    elif intent == Intent.CALLBACK and patient is not None:
        action = InboundAction.CALLBACK
        Patient.objects.filter(phone=from_number).update(callback_requested_at=clock.now())
        reply = texts.render("callback")
    else:
        action = InboundAction.OTHER
        if patient is not None and not patient.sms_opted_out:
            reply = texts.render("received")
    InboundMessage.objects.create(
        provider_sid=sid,
        from_number=from_number,
        to_number=to_number,
        body=body[:BODY_LENGTH],
        patient=patient,
        action=action,
        reply=reply,
    )
    return reply


def _confirm_next_appointment(phone: str) -> tuple[InboundAction, str]:
    appointment = (
        Appointment.objects.filter(
            patient__phone=phone,
            status__in=(AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED),
            start_at__gt=clock.now(),
        )
        .order_by("start_at")
        .first()
    )
    if appointment is None:
        return InboundAction.CONFIRM_FAILED, texts.render("nothing_to_confirm")
    if appointment.status == AppointmentStatus.BOOKED:
        from bookings.services import confirm_appointment

        try:
            confirm_appointment(appointment=appointment, by=None)
        except PathwayError:
            logger.info("SMS confirmation of appointment %s refused", appointment.pk)
            return InboundAction.CONFIRM_FAILED, texts.render("nothing_to_confirm")
    return InboundAction.CONFIRM, texts.render(
        "confirmed", when=texts.spoken_time(appointment.start_at)
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
