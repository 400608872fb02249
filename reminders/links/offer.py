"""What a link offers its patient, asked of bookings' own selectors (never a rule of ours).

A recall link offers the course's next step the recall is for (the injection or the
review) at the starts ``list_slot_days`` gives for this patient with every safety rule
on, exactly as the front desk's picker would; an appointment link offers that
appointment's actions.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings

from bookings.booking_options import DaySlots, get_picker_start, list_kind_options, list_slot_days
from bookings.models import Appointment, Status
from reminders.models import Link, LinkPurpose, RecallKind
from scheduler import clock
from scheduler.models import Kind, TreatmentType

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
    recall = link.recall
    assert recall is not None
    treatment = recall.treatment_type
    kind = Kind.REVIEW if recall.kind == RecallKind.REVIEW else Kind.INJECTION
    option = next(
        o for o in list_kind_options(patient=link.patient, treatment=treatment) if o.kind == kind
    )
    if not option.allowed:
        return Offer(treatment, kind, False, option.reason, clock.today())
    start = get_picker_start(
        asked=clock.today(), treatment=treatment, kind=kind, patient=link.patient
    )
    if start.note.startswith("No injection can be booked"):
        return Offer(treatment, kind, False, start.note, start.first)
    return Offer(treatment, kind, True, "", max(start.first, clock.today()), start.note)


def list_offered_days(
    *, link: Link, offer: Offer, first: date | None = None, practitioner_id: int | None = None
) -> list[DaySlots]:
    """Days that have an allowed start, nearest first, from the day the rules allow."""
    first = max(first or offer.first_day, offer.first_day)
    moving = link.appointment if link.purpose == LinkPurpose.APPOINTMENT else None
    days = list_slot_days(
        treatment=offer.treatment,
        kind=offer.kind,
        first=first,
        days=OFFER_DAYS,
        patient=link.patient,
        practitioner_id=practitioner_id,
        moving=moving,
    )
    return [day for day in days if day.count]


def can_self_cancel(*, appointment: Appointment, now: datetime | None = None) -> bool:
    """Until SELF_CANCEL_HOURS before the start; later, the clinic wants a call."""
    now = now or clock.now()
    return now <= appointment.start_at - timedelta(hours=settings.SELF_CANCEL_HOURS)


def can_confirm(*, appointment: Appointment) -> bool:
    return appointment.status == Status.BOOKED
