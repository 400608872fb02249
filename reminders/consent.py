"""What a patient told us about texts: opt-out, opt-in, a number that cannot receive."""

from django.db.models import QuerySet

from bookings.models import Patient
from reminders.models import Message, MessageStatus
from scheduler import clock


def patients_with_number(phone: str) -> QuerySet[Patient]:
    # One phone can belong to several patients (a family); an opt-out is per number.
    return Patient.objects.filter(phone=phone)


def opt_out_number(*, phone: str) -> int:
    """STOP (or Twilio's 21610): no more texts to this number until it opts back in."""
    patient_ids = list(patients_with_number(phone).values_list("id", flat=True))
    Patient.objects.filter(id__in=patient_ids, sms_opted_out=False).update(
        sms_opted_out=True, sms_opted_out_at=clock.now()
    )
    _withdraw_queued(patient_ids, reason="patient opted out")
    return len(patient_ids)


def opt_in_number(*, phone: str) -> int:
    """START / UNSTOP: texting from the number is the patient's own consent, so record it."""
    now = clock.now()
    patients = patients_with_number(phone)
    patients.filter(sms_consent=False).update(
        sms_consent=True, sms_consent_at=now, sms_consent_source="sms_start"
    )
    return patients.update(sms_opted_out=False, sms_opted_out_at=None)


def mark_number_invalid(*, patient_id: int) -> None:
    """The provider says this number cannot take texts (21211, 21614): staff must fix it."""
    Patient.objects.filter(id=patient_id).update(phone_invalid=True)
    _withdraw_queued([patient_id], reason="number cannot receive texts")


def _withdraw_queued(patient_ids: list[int], *, reason: str) -> None:
    Message.objects.filter(patient_id__in=patient_ids, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SUPPRESSED, error_message=reason
    )
