"""``{{ appointment|kind_words }}`` (or a waitlist entry): the kind as the clinic says it,
a cosmetic first visit a consultation (bookings.wording)."""

from django import template

from bookings.models import Appointment
from bookings.waitlist.models import WaitlistEntry
from bookings.wording import appointment_kind_label, kind_label

register = template.Library()


@register.filter
def kind_words(item: Appointment | WaitlistEntry) -> str:
    if isinstance(item, WaitlistEntry):
        return kind_label(item.kind, item.treatment_type)
    return appointment_kind_label(item)
