"""Offering freed time to the waitlist, a few at a time, and the minute sweep.

``offer_freed_time`` (the task after the commit, and the sweep) holds the freed time's
row while it decides, so a redelivered task or a sweep at the same moment asks nobody
twice (the unique (entry, freed time) constraint has the last word). It asks the first
``WAITLIST_OFFER_BATCH`` entries that fit — by bookings' own rules
(``bookings.waitlist.fits``) and who may be texted (``reminders.eligibility``) — and
holds the time for them ``WAITLIST_HOLD_MINUTES`` from when their text may go out. When
every hold has run out and the time is still free, the sweep asks the next ones.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from bookings.errors import PathwayError
from bookings.models import Appointment, Status
from bookings.roles import Actor, recorded_by
from bookings.waitlist.entries import expire_entries, mark_offered, return_to_waiting
from bookings.waitlist.fits import Fit, list_fitting_entries
from bookings.waitlist.models import WaitlistEntry
from reminders import eligibility, texts
from reminders.models import Message, MessageStatus, Purpose
from reminders.offers.models import FreedSource, FreedTime, OfferStatus, WaitlistOffer
from reminders.sending import first_allowed_at
from scheduler import clock
from scheduler.models import Practitioner, TimeOff

# Freed times the sweep offers in one run at most; the rest wait a minute.
SWEEP_LIMIT = 50
OFFER_ENDED = "waitlist offer ended before it was sent"


def hold() -> timedelta:
    return timedelta(minutes=settings.WAITLIST_HOLD_MINUTES)


def _still_free(freed: FreedTime) -> bool:
    """Nobody booked the time another way, and no time off was put over it."""
    overlapping = {"start_at__lt": freed.end_at, "end_at__gt": freed.start_at}
    booked = (
        Appointment.objects.filter(practitioner_id=freed.practitioner_id, **overlapping)
        .exclude(status=Status.CANCELLED)
        .exists()
    )
    return not booked and not (
        TimeOff.objects.filter(practitioner_id=freed.practitioner_id, **overlapping).exists()
    )


def _lapse(offers: QuerySet[WaitlistOffer], status: str, now: datetime) -> int:
    """End open offers (their hold ran out, or the time went); the patients wait again."""
    ending = list(
        offers.filter(status=OfferStatus.OFFERED).values_list("pk", "entry_id", "message_id")
    )
    if not ending:
        return 0
    WaitlistOffer.objects.filter(pk__in=[pk for pk, _, _ in ending]).update(
        status=status, answered_at=now
    )
    return_to_waiting(entry_ids=[entry_id for _, entry_id, _ in ending])
    # A text still waiting (quiet hours, the patient's budget) would offer a time that
    # is no longer theirs: it never goes.
    Message.objects.filter(
        pk__in=[m for _, _, m in ending if m is not None], status=MessageStatus.QUEUED
    ).update(status=MessageStatus.SUPPRESSED, error_message=OFFER_ENDED)
    return len(ending)


def close_freed_time(freed: FreedTime, now: datetime) -> None:
    freed.closed_at = now
    freed.save(update_fields=["closed_at"])
    _lapse(freed.offers.all(), OfferStatus.TAKEN, now)


def _text(fit: Fit, freed: FreedTime, send_after: datetime) -> Message:
    patient = fit.entry.patient
    reason = eligibility.reason_not_to_text(
        phone=patient.phone,
        consented=patient.sms_consent,
        opted_out=patient.sms_opted_out,
        invalid=patient.phone_invalid,
    )
    return Message(
        patient=patient,
        to=patient.phone,
        body=texts.render(
            "waitlist_offer",
            when=texts.spoken_time(freed.start_at),
            **texts.link_context(
                "waitlist_offer", can_open=eligibility.can_open_link(patient.date_of_birth)
            ),
        ),
        purpose=Purpose.WAITLIST_OFFER,
        status=MessageStatus.SUPPRESSED if reason else MessageStatus.QUEUED,
        error_message=reason,
        send_after=send_after,
    )


def _offer(freed: FreedTime, fits: list[Fit], now: datetime, by: Actor) -> list[WaitlistOffer]:
    """The texts and the offers, written together (two inserts for the batch)."""
    if not fits:
        return []
    send_after = first_allowed_at(now)
    messages = Message.objects.bulk_create([_text(fit, freed, send_after) for fit in fits])
    offers = WaitlistOffer.objects.bulk_create(
        WaitlistOffer(
            entry=fit.entry,
            freed_time=freed,
            offered_at=now,
            # Held from when the text may go out: quiet hours do not eat the patient's time.
            hold_until=max(send_after, now) + hold(),
            message=message,
            offered_by=recorded_by(by),
        )
        for fit, message in zip(fits, messages, strict=True)
    )
    mark_offered(entry_ids=[fit.entry.pk for fit in fits])
    from reminders.sweeps import dispatch_due_messages

    transaction.on_commit(dispatch_due_messages)
    return offers


def _lock(freed_id: int) -> FreedTime | None:
    return (
        FreedTime.objects.select_for_update()
        .select_related("practitioner")
        .filter(pk=freed_id, closed_at__isnull=True)
        .first()
    )


@transaction.atomic
def offer_freed_time(*, freed_id: int) -> list[WaitlistOffer]:
    """Ask the next fitting entries about a freed time, unless holds are still running."""
    now = clock.now()
    freed = _lock(freed_id)
    if freed is None:
        return []
    freed.looked_at = now
    freed.save(update_fields=["looked_at"])
    if freed.start_at <= now or not _still_free(freed):
        close_freed_time(freed, now)
        return []
    asked = list(freed.offers.values_list("entry_id", "status", "hold_until"))
    open_holds = [hold_until for _, status, hold_until in asked if status == OfferStatus.OFFERED]
    if any(hold_until > now for hold_until in open_holds):
        return []
    if open_holds:
        _lapse(freed.offers.filter(hold_until__lte=now), OfferStatus.LAPSED, now)
    fits = list_fitting_entries(
        practitioner=freed.practitioner,
        start_at=freed.start_at,
        want=settings.WAITLIST_OFFER_BATCH,
        exclude_entry_ids=[entry_id for entry_id, _, _ in asked],
        only=eligibility.may_be_texted_q("patient__"),
    )
    return _offer(freed, fits, now, by=None)


@transaction.atomic
def offer_to_entry(
    *, entry: WaitlistEntry, practitioner: Practitioner, start_at: datetime, by: Actor
) -> WaitlistOffer:
    """The front desk's one click: offer this free time to this patient now.

    The same rules decide as for the automatic offers; the patient is texted the same
    link and the time is held for them like any offer.
    """
    now = clock.now()
    fits = list_fitting_entries(
        practitioner=practitioner,
        start_at=start_at,
        want=1,
        only=eligibility.may_be_texted_q("patient__") & Q(pk=entry.pk),
    )
    if not fits:
        raise PathwayError(
            "not_offered",
            "That time does not suit this waitlist entry now (its dates, the rules, or "
            "the calendar), or the patient cannot be texted.",
        )
    freed = (
        FreedTime.objects.select_for_update()
        .filter(practitioner=practitioner, start_at=start_at, closed_at__isnull=True)
        .first()
    )
    if freed is None:
        freed = FreedTime.objects.create(
            practitioner=practitioner,
            start_at=start_at,
            end_at=fits[0].end_at,
            source=FreedSource.MANUAL,
            freed_at=now,
            looked_at=now,
        )
    if freed.offers.filter(entry=entry).exists():
        raise PathwayError("not_offered", "This patient was already offered that time.")
    return _offer(freed, fits, now, by=by)[0]


def sweep_offers() -> dict[str, int]:
    """Every minute: ended entries and holds, then the freed times that need asking."""
    now = clock.now()
    done = {"entries_expired": expire_entries()}
    with transaction.atomic():
        ran_out = WaitlistOffer.objects.filter(
            status=OfferStatus.OFFERED, hold_until__lte=now
        ).select_for_update(skip_locked=True)
        freed_ids = set(ran_out.values_list("freed_time_id", flat=True))
        done["offers_lapsed"] = _lapse(ran_out, OfferStatus.LAPSED, now)
    passed = FreedTime.objects.filter(closed_at__isnull=True, start_at__lte=now)
    for freed in passed[:SWEEP_LIMIT]:
        with transaction.atomic():
            close_freed_time(freed, now)
    # Freed times whose task never ran, those whose holds just ran out, and, once a hold
    # long, any still open (someone new may fit since).
    never_looked = FreedTime.objects.filter(
        closed_at__isnull=True, looked_at__isnull=True, freed_at__lte=now - timedelta(minutes=1)
    )
    again = FreedTime.objects.filter(
        closed_at__isnull=True, start_at__gt=now, looked_at__lte=now - hold()
    ).exclude(offers__status=OfferStatus.OFFERED)
    freed_ids |= set(never_looked.values_list("pk", flat=True)[:SWEEP_LIMIT])
    freed_ids |= set(again.values_list("pk", flat=True)[:SWEEP_LIMIT])
    offered = 0
    for freed_id in sorted(freed_ids)[:SWEEP_LIMIT]:
        offered += len(offer_freed_time(freed_id=freed_id))
    done["offers_sent"] = offered
    return done
