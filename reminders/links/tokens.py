"""Making and finding patient links: the token is shown once, in the text, and kept hashed."""

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from bookings.models import Appointment
from reminders.models import Link, LinkPurpose, Recall, WaitlistOffer
from scheduler import clock

# 16 random bytes are 128 bits, 22 URL-safe characters: short enough for one SMS.
TOKEN_BYTES = 16
TOKEN_LENGTH = 22
LIFETIME = timedelta(days=60)
# In a rendered text before it is sent; the real link replaces it at send time, so a
# text that is never sent (suppressed, over the budget) never makes a link.
LINK_SLOT = "%LINK%"


# A link in a text: its token, or the mask the outbox keeps in its place once sent.
_SENT_LINK = re.compile(r"\S*/p/[A-Za-z0-9_*-]+")
_TOKEN_IN_LINK = re.compile(r"(/p/)[A-Za-z0-9_-]+")


def text_for_staff(body: str) -> str:
    """A text as staff read it: the patient's link, sent or to come, is not shown.

    Whoever holds a link can try dates of birth on it; staff send a new one instead.
    """
    return _SENT_LINK.sub("[personal link]", body.replace(LINK_SLOT, "[personal link]"))


def text_to_keep(body: str) -> str:
    """A sent text as the outbox keeps it: the link's token masked (``/p/***``), as in
    the logs, so the token lives only in the patient's text and as a hash."""
    return _TOKEN_IN_LINK.sub(r"\1***", body)


def take_link_back(body: str) -> str:
    """A filled text Twilio did not take, as the outbox keeps it: the link's place empty
    again and the link itself gone (it reached nobody). A retry makes a new one, so the
    outbox never holds a token, whatever happens to the text afterwards."""
    found = _TOKEN_IN_LINK.search(body)
    if found is None or LINK_SLOT in body:
        return body
    token = found.group(0)[len("/p/") :]
    Link.objects.filter(token_hash=hash_token(token)).delete()
    return _SENT_LINK.sub(LINK_SLOT, body, count=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    return str(settings.PUBLIC_BASE_URL).rstrip("/") + reverse("links:page", args=[token])


def links_enabled() -> bool:
    """Without PUBLIC_BASE_URL there is nowhere to point: texts keep "call us"."""
    return bool(settings.PUBLIC_BASE_URL)


def create_link(
    *,
    recall: Recall | None = None,
    appointment: Appointment | None = None,
    offer: WaitlistOffer | None = None,
) -> str:
    """A new link for a recall, an appointment or a waitlist offer; returns the token
    (never stored)."""
    if recall is not None:
        return _new_link(LinkPurpose.RECALL, recall.patient_id, recall_id=recall.pk)
    if appointment is not None:
        return _new_link(
            LinkPurpose.APPOINTMENT, appointment.patient_id, appointment_id=appointment.pk
        )
    if offer is not None:
        return _new_link(LinkPurpose.OFFER, offer.entry.patient_id, offer_id=offer.pk)
    raise ValueError("a link is for a recall, an appointment or an offer")


def _new_link(
    purpose: LinkPurpose,
    patient_id: int,
    *,
    recall_id: int | None = None,
    appointment_id: int | None = None,
    offer_id: int | None = None,
) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = clock.now()
    Link.objects.create(
        token_hash=hash_token(token),
        purpose=purpose,
        patient_id=patient_id,
        recall_id=recall_id,
        appointment_id=appointment_id,
        offer_id=offer_id,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    return token


def find_link(token: str) -> Link | None:
    """The link with what every page of it reads, in one query (two for a waitlist offer).

    An offer's time, practitioner and entry are read only for an offer's link: joined
    for every link, they made each recall and appointment link's lookup half as dear
    again (the self-service bench, docs/rules.md#patient-links).
    """
    if not 16 <= len(token) <= 64:
        return None
    link = (
        Link.objects.select_related(
            "patient", "recall__course", "recall__treatment_type", "appointment"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is not None and link.offer_id is not None:
        link.offer = WaitlistOffer.objects.select_related(
            "freed_time__practitioner", "entry__treatment_type"
        ).get(pk=link.offer_id)
    return link


def fill_link(
    *,
    body: str,
    patient_id: int,
    recall_id: int | None,
    appointment_id: int | None,
    message_id: int | None = None,
) -> str:
    """The text with its link in place of LINK_SLOT (a new link each time it is filled).

    Made from the text's own ids, read nothing first: this runs once for every text sent.
    A waitlist offer's text is found by the offer that names it (``message_id``).
    """
    if LINK_SLOT not in body:
        return body
    if recall_id is not None:
        token = _new_link(LinkPurpose.RECALL, patient_id, recall_id=recall_id)
    elif appointment_id is not None:
        token = _new_link(LinkPurpose.APPOINTMENT, patient_id, appointment_id=appointment_id)
    else:
        offer_id = (
            WaitlistOffer.objects.filter(message_id=message_id).values_list("pk", flat=True).first()
            if message_id is not None
            else None
        )
        if offer_id is None:
            return body.replace(LINK_SLOT, "")
        token = _new_link(LinkPurpose.OFFER, patient_id, offer_id=offer_id)
    return body.replace(LINK_SLOT, link_url(token))
