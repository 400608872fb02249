"""What a patient told us about texts: opt-out, opt-in, a number that cannot receive."""

from datetime import datetime

from django.db.models import QuerySet

from bookings.models import Patient
from bookings.patients import ConsentChanged
from reminders.models import ConsentChange, ConsentField, Message, MessageStatus
from scheduler import clock


def record_consent_change(change: ConsentChanged) -> None:
    """Named in settings ``PATIENT_CONSENT_HANDLERS``: staff changes join the history."""
    ConsentChange.objects.create(
        patient_id=change.patient_id,
        field=change.field,
        value=change.value,
        source=change.source,
        asked_in_person=change.asked_in_person,
        by=change.by if getattr(change.by, "is_authenticated", False) else None,
        at=clock.now(),
    )


def _record_for(patient_ids: list[int], *, opted_out: bool, source: str, at: datetime) -> None:
    ConsentChange.objects.bulk_create(
        ConsentChange(
            patient_id=patient_id,
            field=ConsentField.SMS_OPTED_OUT,
            value=opted_out,
            source=source,
            at=at,
        )
        for patient_id in patient_ids
    )


def patients_with_number(phone: str) -> QuerySet[Patient]:
    # One phone can belong to several patients (a family); an opt-out is per number.
    return Patient.objects.filter(phone=phone)


def opt_out_number(*, phone: str, source: str = "sms_stop") -> int:
    """STOP (or Twilio's 21610): no more texts to this number until it opts back in."""
    now = clock.now()
    patient_ids = list(patients_with_number(phone).values_list("id", flat=True))
    changed = list(
        Patient.objects.filter(id__in=patient_ids, sms_opted_out=False).values_list("id", flat=True)
    )
    Patient.objects.filter(id__in=changed).update(sms_opted_out=True, sms_opted_out_at=now)
    _record_for(changed, opted_out=True, source=source, at=now)
    _withdraw_queued(patient_ids, reason="patient opted out")
    return len(patient_ids)


def opt_in_number(*, phone: str) -> int:
    """START / UNSTOP: texting from the number is the patient's own consent, so record it."""
    now = clock.now()
    patients = patients_with_number(phone)
    gave_consent = list(patients.filter(sms_consent=False).values_list("id", flat=True))
    Patient.objects.filter(id__in=gave_consent).update(
        sms_consent=True, sms_consent_at=now, sms_consent_source="sms_start"
    )
    ConsentChange.objects.bulk_create(
        ConsentChange(
            patient_id=patient_id,
            field=ConsentField.SMS_CONSENT,
            value=True,
            source="sms_start",
            at=now,
        )
        for patient_id in gave_consent
    )
    opted_back_in = list(patients.filter(sms_opted_out=True).values_list("id", flat=True))
    _record_for(opted_back_in, opted_out=False, source="sms_start", at=now)
    return patients.update(sms_opted_out=False, sms_opted_out_at=None)


def mark_number_invalid(*, patient_id: int) -> None:
    """The provider says this number cannot take texts (21211, 21614): staff must fix it."""
    Patient.objects.filter(id=patient_id).update(phone_invalid=True)
    _withdraw_queued([patient_id], reason="number cannot receive texts")


def _withdraw_queued(patient_ids: list[int], *, reason: str) -> None:
    Message.objects.filter(patient_id__in=patient_ids, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SUPPRESSED, error_message=reason
    )
