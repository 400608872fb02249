"""The clinic's words for a kind of appointment, which depend on the treatment.

A cosmetic course's exam is a consultation, with no diagnosis asked (docs/rules.md#pathway), so
every page names it so; the stored kind stays ``exam`` for the rules.
"""

from bookings.models import Appointment
from scheduler.models import Kind, TreatmentType


def kind_label(kind: str, treatment: TreatmentType) -> str:
    if kind == Kind.EXAM and not treatment.requires_prescription:
        return "Consultation"
    return str(Kind(kind).label)


def appointment_kind_label(appointment: Appointment) -> str:
    return kind_label(appointment.kind, appointment.course.treatment_type)
