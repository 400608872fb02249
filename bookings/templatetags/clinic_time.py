"""``{{ appointment.start_at|clock }}``: a time of day in clinic time, on the clinic's clock."""

from datetime import datetime, time

from django import template
from django.conf import settings

from scheduler import clock as clinic_clock
from scheduler.time_format import clock_time

register = template.Library()


@register.filter
def clock(value: time | datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = clinic_clock.local(value)
    return clock_time(value, clock=settings.CLINIC_CLOCK)
