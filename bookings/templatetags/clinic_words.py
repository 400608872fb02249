"""``{{ appointment|kind_words }}``: the kind as the clinic says it (bookings.wording)."""

from django import template

from bookings.models import Appointment
from bookings.wording import appointment_kind_label

register = template.Library()


@register.filter
def kind_words(appointment: Appointment) -> str:
    return appointment_kind_label(appointment)
