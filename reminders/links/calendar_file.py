"""One visit as an iCalendar file ("add to calendar"): the clinic and the time, no treatment."""

from datetime import UTC, datetime

from django.conf import settings

from bookings.models import Appointment
from scheduler import clock


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def render_ics(*, appointment: Appointment) -> str:
    def stamp(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//clinic scheduler//patient link//EN",
        "BEGIN:VEVENT",
        f"UID:appointment-{appointment.pk}@clinic",
        f"DTSTAMP:{stamp(clock.now())}",
        f"DTSTART:{stamp(appointment.start_at)}",
        f"DTEND:{stamp(appointment.end_at)}",
        # A phone's calendar is not private: the clinic's name only, never the treatment.
        f"SUMMARY:{_escape('Visit at ' + settings.CLINIC_NAME)}",
        f"DESCRIPTION:{_escape('To change it, call ' + settings.CLINIC_PHONE)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
