"""A short text when a visit is booked, moved or cancelled, by staff or by the patient.

Named in settings ``BOOKING_EVENT_HANDLERS`` after the recalls' handler, so it runs in
the booking's own transaction: the text is queued with the change or not at all. It
goes through the outbox like every text (consent, quiet hours, the patient's budget
with the rank of a booking confirmation) and names no treatment.

Only the first confirmation of a visit keeps the appointment on its row: the outbox
allows one message per appointment and purpose, and a cancellation's text must not be
withdrawn by the cancellation itself (docs/rules.md#patient-links).
"""

from django.db import transaction

from bookings.events import Event
from bookings.models import Appointment
from reminders import eligibility, texts
from reminders.models import Message, MessageStatus, Purpose
from reminders.sending import first_allowed_at
from scheduler import clock

TEMPLATES = {
    Event.BOOKED: "booking_booked",
    Event.MOVED: "booking_moved",
    Event.CANCELLED: "booking_cancelled",
}


def handle_booking_event(event: Event, appointment: Appointment) -> None:
    template = TEMPLATES.get(event)
    if template is None:
        return
    now = clock.now()
    if appointment.start_at <= now:
        return
    patient = appointment.patient
    reason = eligibility.reason_patient_not_texted(patient)
    Message.objects.create(
        patient=patient,
        to=patient.phone,
        body=texts.render(template, when=texts.spoken_time(appointment.start_at)),
        purpose=Purpose.BOOKING_CONFIRMATION,
        appointment=appointment if event == Event.BOOKED else None,
        status=MessageStatus.SUPPRESSED if reason else MessageStatus.QUEUED,
        error_message=reason,
        send_after=first_allowed_at(now),
    )
    if not reason:
        from reminders.sweeps import dispatch_due_messages

        transaction.on_commit(dispatch_due_messages)
