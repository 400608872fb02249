"""What a patient does from a link, through the front desk's own booking services.

The patient acts as the system (``by=None``): the rules that a clinician could
override are never overridden here, and the audit trail marks the change as made
online through the link (``via: patient_link``).
"""

from datetime import datetime

from django.db import transaction

from bookings import services
from bookings.audit_lines import BOOKED_ONLINE
from bookings.errors import PathwayError
from bookings.models import Appointment, AuditEntry
from reminders.links.offer import Offer, can_self_cancel
from reminders.models import Link, LinkPurpose
from reminders.offers.accept import accept_offer
from scheduler.models import Practitioner

VIA = "patient_link"


def _mark_online(appointment: Appointment, action: str) -> None:
    AuditEntry.objects.create(appointment=appointment, action=action, by=None, detail={"via": VIA})


@transaction.atomic
def book_from_link(
    *, link: Link, offer: Offer, practitioner: Practitioner, start_at: datetime
) -> Appointment:
    """Book what the offer allows; the page and the JSON API both come through here."""
    if link.purpose == LinkPurpose.OFFER:
        return take_offered_time(link=link, practitioner=practitioner, start_at=start_at)
    if not offer.can_book:
        raise PathwayError("not_bookable_online", offer.reason)
    appointment = services.book_appointment(
        patient=link.patient,
        practitioner=practitioner,
        treatment=offer.treatment,
        kind=offer.kind,
        start_at=start_at,
        by=None,
    )
    _mark_online(appointment, BOOKED_ONLINE)
    return appointment


def take_offered_time(*, link: Link, practitioner: Practitioner, start_at: datetime) -> Appointment:
    """A waitlist offer's link takes only the time offered (docs/rules.md#waitlist)."""
    held = link.offer
    assert held is not None
    freed = held.freed_time
    if (practitioner.pk, start_at) != (freed.practitioner_id, freed.start_at):
        raise PathwayError("not_offered", "Please take the time offered, or call the clinic.")
    return accept_offer(offer=held)


@transaction.atomic
def move_from_link(*, link: Link, practitioner: Practitioner, start_at: datetime) -> Appointment:
    """One transaction: the old time is given up only if the new one is held."""
    assert link.appointment is not None
    appointment = services.move_appointment(
        appointment=link.appointment, start_at=start_at, practitioner=practitioner, by=None
    )
    _mark_online(appointment, "moved_online")
    return appointment


@transaction.atomic
def confirm_from_link(*, link: Link) -> Appointment:
    assert link.appointment is not None
    appointment = services.confirm_appointment(appointment=link.appointment, by=None)
    _mark_online(appointment, "confirmed_online")
    return appointment


@transaction.atomic
def cancel_from_link(*, link: Link) -> Appointment:
    assert link.appointment is not None
    if not can_self_cancel(appointment=link.appointment):
        raise PathwayError(
            "too_late_to_cancel",
            "It is too close to the visit to cancel here. Please call the clinic.",
        )
    appointment = services.cancel_appointment(
        appointment=link.appointment, by=None, reason="Cancelled by the patient online"
    )
    _mark_online(appointment, "cancelled_online")
    return appointment
