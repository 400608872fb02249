"""Two-way texting: staff answer a patient's text, and the conversation as one thread.

A reply is an outbox row like any text (purpose ``staff_reply``), so it is sent,
retried and tracked the same way: it respects opt-out, consent and quiet hours, but
not the text budget, since the patient wrote first (docs/rules.md#texts). Its text
is the staff's words after the clinic's name, one GSM-7 segment: staff are told
plainly when it does not fit rather than the patient paying for two.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.contrib.auth.models import User
from django.db import transaction

from bookings.models import Patient
from bookings.phones import display_phone
from bookings.roles import AnyUser
from reminders import eligibility, inbox, texts
from reminders.dashboard import describe_sms_problem
from reminders.links.tokens import text_for_staff
from reminders.models import InboundAction, InboundMessage, Message, MessageStatus, Purpose
from reminders.sending import first_allowed_at
from reminders.sweeps import dispatch_due_messages
from scheduler import clock

THREAD_SHOWN = 40


class ReplyRefused(Exception):
    """Why a reply cannot be sent, in words for staff; ``field`` names the form field."""

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def compose_reply(*, words: str) -> str:
    """The text as it leaves (templates/sms/staff_reply.txt): the clinic's name, then
    the staff's words on one line."""
    cleaned = " ".join(words.split())
    if not cleaned:
        raise ReplyRefused("reply_empty", "Write a reply first.", field="body")
    try:
        text = texts.render("staff_reply", words=cleaned)
    except texts.NotGsm7:
        odd = next(c for c in cleaned if c not in texts.GSM7_BASIC + texts.GSM7_EXTENDED)
        raise ReplyRefused(
            "reply_not_gsm7",
            f"“{odd}” cannot go in a plain text. Use straight quotes, a plain hyphen and "
            "no emoji, so the text stays one message.",
            field="body",
        ) from None
    length = texts.gsm7_length(text)
    if length > texts.SEGMENT_LENGTH:
        raise ReplyRefused(
            "reply_too_long",
            f"This reply is {length} characters with the clinic's name in front; a text "
            f"holds {texts.SEGMENT_LENGTH}. Please shorten it by {length - texts.SEGMENT_LENGTH}.",
            field="body",
        )
    return text


def reason_not_to_reply(patient: Patient) -> str:
    """Plain words when this patient may not get a text at all ("" when they may)."""
    reason = eligibility.reason_patient_not_texted(patient)
    name = patient.full_name
    return {
        "": "",
        "patient opted out": f"{name} asked for no more texts, so no reply can be sent. "
        f"Please call instead: {display_phone(patient.phone)}.",
        "number cannot receive texts": f"{name}'s number cannot receive texts. "
        "Check the number on the patient page, or call.",
        "no SMS consent": f"{name} has not agreed to texts. Record their consent on the "
        "patient page first, or call.",
        "no phone number": f"{name} has no phone number on file.",
    }.get(reason, reason)


def send_reply(
    *, patient: Patient, words: str, by: AnyUser, in_reply_to: InboundMessage | None = None
) -> Message:
    """Queue a reply (it goes now, or when quiet hours end) and mark the text it answers read."""
    refused = reason_not_to_reply(patient)
    if refused:
        raise ReplyRefused("sms_not_allowed", refused)
    body = compose_reply(words=words)
    user = by if isinstance(by, User) else None
    now = clock.now()
    with transaction.atomic():
        message = Message.objects.create(
            patient=patient,
            to=patient.phone,
            body=body,
            purpose=Purpose.STAFF_REPLY,
            status=MessageStatus.QUEUED,
            send_after=first_allowed_at(now),
            in_reply_to=in_reply_to,
            sent_by=user,
        )
        if in_reply_to is not None and in_reply_to.action == InboundAction.OTHER:
            inbox.mark_read(text=in_reply_to, by=by)
        transaction.on_commit(dispatch_due_messages)
    return message


@dataclass(frozen=True)
class ThreadEntry:
    """One line of the conversation, from the patient or from the clinic."""

    side: Literal["patient", "clinic"]
    at: datetime
    body: str
    note: str = ""  # what became of it: its delivery status, or what the text did
    problem: str = ""
    by: str = ""


def latest_texts(
    patient: Patient, *, sent: int, received: int
) -> tuple[list[Message], list[InboundMessage]]:
    """The patient's newest texts each way, newest first (by id when two share a moment),
    with who sent or read each: two bounded queries."""
    return (
        list(
            Message.objects.filter(patient=patient)
            .select_related("sent_by")
            .order_by("-created_at", "-id")[:sent]
        ),
        list(
            InboundMessage.objects.filter(patient=patient)
            .select_related("read_by")
            .order_by("-received_at", "-id")[:received]
        ),
    )


def get_thread(*, patient: Patient, limit: int = THREAD_SHOWN) -> list[ThreadEntry]:
    """The latest ``limit`` texts both ways, oldest first: two bounded queries.

    The automatic answers (HELP, C, R) show on the clinic's side, right after the text
    they answer.
    """
    outbound, inbound = latest_texts(patient, sent=limit, received=limit)
    entries: list[ThreadEntry] = []
    for text in inbound:
        entries.append(
            ThreadEntry(
                side="patient", at=text.received_at, body=text.body, note=text.get_action_display()
            )
        )
        if text.reply:
            entries.append(
                ThreadEntry(
                    side="clinic", at=text.received_at, body=text.reply, note="Automatic answer"
                )
            )
    for message in outbound:
        entries.append(
            ThreadEntry(
                side="clinic",
                at=message.created_at,
                body=text_for_staff(message.body),
                note=f"{message.get_purpose_display()} · {message.get_status_display()}",
                problem=describe_sms_problem(
                    message.status, message.error_code, message.error_message
                ),
                by=(message.sent_by.get_full_name() or message.sent_by.get_username())
                if message.sent_by
                else "",
            )
        )
    # Stable: an automatic answer stays right after the text it answers.
    entries.sort(key=lambda entry: entry.at)
    return entries[-limit:]
