"""What a link offers its patient, asked of bookings' own selectors (never a rule of ours).

A recall link offers the course's next step the recall is for (the injection or the
review) at the starts ``list_slot_days`` gives for this patient with every safety rule
on, exactly as the front desk's picker would; an appointment link offers that
appointment's actions.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings

from bookings.booking_options import (
    DaySlots,
    get_pathway_refusal,
    list_slot_days,
    next_free_slots,
)
from bookings.models import Appointment, Status
from bookings.next_injection import first_safe_day
from bookings.pathway import CourseHistory
from bookings.selectors import get_course_history, limits, list_practitioner_slots
from reminders.links.wording import first_day_for_patient, refusal_for_patient
from reminders.models import Link, LinkPurpose, RecallKind
from reminders.offers.accept import refusal as offer_refusal
from scheduler import clock
from scheduler.models import Kind, Practitioner, TreatmentType
from scheduler.slots import Slot

# Four weeks of starts on a page: enough to choose from on a phone.
OFFER_DAYS = 28


@dataclass(frozen=True)
class Offer:
    treatment: TreatmentType
    kind: Kind
    can_book: bool
    reason: str  # why not, in the rule's words, when the patient cannot book
    first_day: date
    note: str = ""
    # What the rules were asked with, for a recall: the starts are searched with it too.
    history: CourseHistory | None = None

    def from_day(self, first: date | None) -> date:
        """Where a search for starts begins: ``first`` if given, never before the rules allow."""
        return max(first or self.first_day, self.first_day)


def moving_visit(link: Link) -> Appointment | None:
    """The visit a link moves (its own time never counts against it); None when it books."""
    return link.appointment if link.purpose == LinkPurpose.APPOINTMENT else None


def get_offer(*, link: Link) -> Offer:
    """The visit this link books or moves, and whether the rules let the patient book it."""
    appointment = link.appointment
    if link.purpose == LinkPurpose.APPOINTMENT and appointment is not None:
        return Offer(
            treatment=appointment.course.treatment_type,
            kind=Kind(appointment.kind),
            can_book=True,
            reason="",
            first_day=clock.today(),
        )
    if link.purpose == LinkPurpose.OFFER:
        return _waitlist_offer(link)
    recall = link.recall
    assert recall is not None
    treatment = recall.treatment_type
    kind = Kind.REVIEW if recall.kind == RecallKind.REVIEW else Kind.INJECTION
    today = clock.today()
    # One history (two queries) serves both the pathway and the safety rules' first day.
    history = get_course_history(patient=link.patient, treatment=treatment, course=recall.course)
    refusal = get_pathway_refusal(kind=kind, history=history, now=clock.now())
    if refusal is not None:
        return Offer(
            treatment, kind, False, refusal_for_patient(refusal.code, refusal.message), today
        )
    if kind != Kind.INJECTION:
        return Offer(treatment, kind, True, "", today, history=history)
    wait = first_safe_day(
        history=history, limits=limits(), planned_units=treatment.typical_units, on=today
    )
    if wait is None:
        return Offer(treatment, kind, True, "", today, history=history)
    if wait.from_on is None:
        return Offer(
            treatment,
            kind,
            False,
            refusal_for_patient(
                wait.code, f"No injection can be booked within a year: {wait.reason}"
            ),
            today,
        )
    day = wait.from_on
    note = first_day_for_patient(day, wait.code, wait.reason)
    return Offer(treatment, kind, True, "", day, note, history)


def _waitlist_offer(link: Link) -> Offer:
    """A waitlist offer books the one time offered, while it is the patient's to take."""
    held = link.offer
    assert held is not None
    entry, start_at = held.entry, held.freed_time.start_at
    refused = offer_refusal(offer=held, now=clock.now())
    return Offer(
        treatment=entry.treatment_type,
        kind=Kind(entry.kind),
        can_book=refused is None,
        reason=refused.message if refused is not None else "",
        first_day=clock.local_date(start_at),
    )


def _offered_time(link: Link, offer: Offer) -> list[tuple[Practitioner, Slot]]:
    held = link.offer
    if held is None or not offer.can_book:
        return []
    freed = held.freed_time
    end_at = freed.start_at + timedelta(minutes=offer.treatment.minutes_for(offer.kind))
    if held.entry.appointment is not None:
        moving = held.entry.appointment
        end_at = freed.start_at + (moving.end_at - moving.start_at)
    return [(freed.practitioner, Slot(freed.practitioner_id, freed.start_at, end_at))]


def list_offered_days(
    *, link: Link, offer: Offer, first: date | None = None, practitioner_id: int | None = None
) -> list[DaySlots]:
    """Days that have an allowed start, nearest first, from the day the rules allow."""
    if link.purpose == LinkPurpose.OFFER:
        return [
            DaySlots(clock.local_date(slot.start_at), [(practitioner, [slot])])
            for practitioner, slot in _offered_time(link, offer)
        ]
    days = list_slot_days(
        treatment=offer.treatment,
        kind=offer.kind,
        first=offer.from_day(first),
        days=OFFER_DAYS,
        patient=link.patient,
        practitioner_id=practitioner_id,
        moving=moving_visit(link),
        history=offer.history,
    )
    return [day for day in days if day.count]


# Eight weeks of starts at most in one answer (the JSON API's slots/).
MAX_SLOT_DAYS = 56


def list_offered_starts(
    *, link: Link, offer: Offer, first: date | None = None, last: date | None = None
) -> list[tuple[Practitioner, Slot]]:
    """Allowed starts in date order, from the day the rules allow, for at most 8 weeks.

    The same search as the pages' (bookings.selectors.list_slots with the patient and
    every safety rule): a fixed number of queries whatever the range.
    """
    if not offer.can_book:
        return []
    if link.purpose == LinkPurpose.OFFER:
        return _offered_time(link, offer)
    first = offer.from_day(first)
    last = min(
        last or first + timedelta(days=OFFER_DAYS - 1), first + timedelta(days=MAX_SLOT_DAYS - 1)
    )
    if last < first:
        return []
    moving = moving_visit(link)
    return list_practitioner_slots(
        treatment=offer.treatment,
        kind=offer.kind,
        first=first,
        last=last,
        patient=link.patient,
        moving_id=moving.pk if moving is not None else None,
        planned_units=moving.planned_units if moving is not None else None,
        history=offer.history,
    )


def list_next_starts(
    *, link: Link, offer: Offer, after: datetime
) -> list[tuple[Practitioner, Slot]]:
    """The next free starts after a refused one (never in the past), offered in its place;
    none when the link has nothing to book."""
    if not offer.can_book:
        return []
    return next_free_slots(
        treatment=offer.treatment,
        kind=offer.kind,
        after=max(after, clock.now()),
        patient=link.patient,
    )


def can_self_cancel(*, appointment: Appointment, now: datetime | None = None) -> bool:
    """Until SELF_CANCEL_HOURS before the start; later, the clinic wants a call."""
    now = now or clock.now()
    return now <= appointment.start_at - timedelta(hours=settings.SELF_CANCEL_HOURS)


def can_confirm(*, appointment: Appointment) -> bool:
    return appointment.status == Status.BOOKED
