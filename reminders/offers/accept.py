"""Taking an offered time from the link: the first to answer gets it (docs/rules.md#waitlist).

Every answer about one freed time waits on that freed time's row, so they are decided
one after the other; the booking itself goes through bookings' services (a move when the
patient waits to be moved earlier), whose exclusion constraints stay the last word. The
winner's entry is booked and the time filled; the others' offers become ``taken`` and
their entries wait again, so their links say kindly that the time has gone.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction

from bookings import services
from bookings.audit_lines import BOOKED_ONLINE
from bookings.errors import PathwayError, SlotTaken
from bookings.models import LIVE_STATUSES, Appointment, AuditEntry
from bookings.waitlist.entries import mark_booked
from reminders.offers.engine import close_freed_time
from reminders.offers.models import FreedTime, OfferStatus, WaitlistOffer
from scheduler import clock

TAKEN = (
    "Sorry, someone else took that time just before you. You are still on our waitlist, "
    "and we will text you when another time opens up."
)


def ended_words() -> str:
    return (
        f"This offer has ended: each time is held for {settings.WAITLIST_HOLD_MINUTES} "
        "minutes. You are still on our waitlist, and we will text you about the next one."
    )


def has_ended(*, offer: WaitlistOffer, now: datetime) -> bool:
    """An offer's link ends with the offer: accepted, lapsed, past its hold or its start.
    A time taken by someone else still opens, to say so kindly."""
    if offer.status in (OfferStatus.ACCEPTED, OfferStatus.LAPSED):
        return True
    if offer.status == OfferStatus.OFFERED and offer.hold_until <= now:
        return True
    return offer.freed_time.start_at <= now


def refusal(*, offer: WaitlistOffer, now: datetime) -> PathwayError | None:
    """Why this offer cannot be taken now, or None."""
    if offer.status == OfferStatus.TAKEN or offer.freed_time.filled_at is not None:
        return PathwayError("offer_taken", TAKEN, status=409)
    if has_ended(offer=offer, now=now) or not offer.entry.is_live:
        return PathwayError("offer_ended", ended_words(), status=410)
    return None


def _book(offer: WaitlistOffer, freed: FreedTime) -> Appointment:
    entry = offer.entry
    later = entry.appointment
    if later is not None:
        later = Appointment.objects.filter(pk=later.pk, status__in=LIVE_STATUSES).first()
    if later is not None:
        appointment = services.move_appointment(
            appointment=later, start_at=freed.start_at, practitioner=freed.practitioner, by=None
        )
        action = "moved_online"
    else:
        appointment = services.book_appointment(
            patient=entry.patient,
            practitioner=freed.practitioner,
            treatment=entry.treatment_type,
            kind=entry.kind,
            start_at=freed.start_at,
            by=None,
        )
        action = BOOKED_ONLINE
    AuditEntry.objects.create(
        appointment=appointment, action=action, by=None, detail={"via": "waitlist_offer"}
    )
    return appointment


@transaction.atomic
def _decide(offer_id: int) -> Appointment | PathwayError:
    """The booking, or the refusal after recording what it means (so nothing is rolled back)."""
    now = clock.now()
    freed_id = WaitlistOffer.objects.values_list("freed_time_id", flat=True).get(pk=offer_id)
    freed = FreedTime.objects.select_for_update().select_related("practitioner").get(pk=freed_id)
    offer = (
        WaitlistOffer.objects.select_for_update(of=("self",))
        .select_related("entry__treatment_type", "entry__patient", "entry__appointment")
        .get(pk=offer_id)
    )
    offer.freed_time = freed
    refused = refusal(offer=offer, now=now)
    if refused is not None:
        return refused
    try:
        with transaction.atomic():
            appointment = _book(offer, freed)
    except SlotTaken:
        # Booked another way since it was offered: the time has gone for everyone.
        close_freed_time(freed, now)
        return PathwayError("offer_taken", TAKEN, status=409)
    except PathwayError as exc:
        return exc
    offer.status, offer.answered_at = OfferStatus.ACCEPTED, now
    offer.save(update_fields=["status", "answered_at"])
    mark_booked(entry=offer.entry, appointment=appointment, by=None)
    freed.filled_at, freed.filled_by, freed.filled_appointment = now, offer.entry, appointment
    freed.save(update_fields=["filled_at", "filled_by", "filled_appointment"])
    close_freed_time(freed, now)
    return appointment


def accept_offer(*, offer: WaitlistOffer) -> Appointment:
    """Book (or move) the patient into the offered time, or raise why not:
    ``offer_taken`` (409), ``offer_ended`` (410) or the booking rule's own refusal."""
    outcome = _decide(offer.pk)
    if isinstance(outcome, PathwayError):
        raise outcome
    return outcome
