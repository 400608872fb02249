"""Staff notes on a patient or on one appointment: added with author, role and time.

A note is kept as written (never edited), so the record says who knew what when. Its
text is never logged and never goes into a text message. The form (``NoteForm``) checks
its length; here the note is tied to the right patient.
"""

from django.db import transaction

from bookings import roles
from bookings.errors import FieldRefused
from bookings.models import Appointment, Note, Patient
from bookings.roles import Actor


@transaction.atomic
def add_note(
    *, patient: Patient, text: str, by: Actor, appointment: Appointment | None = None
) -> Note:
    """Add a note to the patient, or to one of the patient's appointments."""
    if appointment is not None and appointment.patient_id != patient.pk:
        raise FieldRefused("appointment", "That appointment belongs to another patient.")
    if not text.strip():
        raise FieldRefused("text", "Write the note before adding it.")
    return Note.objects.create(
        patient=patient,
        appointment=appointment,
        text=text.strip(),
        by=roles.recorded_by(by),
        by_role=roles.primary_role(by) or "",
    )
