"""Registering and updating patients: phone stored E.164, SMS consent with its time and source."""

from typing import Any

from django.db import transaction

from bookings.models import Patient
from bookings.phones import normalize_phone
from scheduler import clock


def _consent_fields(patient: Patient, consent: bool | None, source: str) -> None:
    if consent is None or consent == patient.sms_consent:
        return
    patient.sms_consent = consent
    patient.sms_consent_at = clock.now()
    patient.sms_consent_source = source


@transaction.atomic
def register_patient(*, by: Any, consent_source: str = "front_desk", **fields: Any) -> Patient:
    """Create a patient; the phone is stored E.164 and consent with its time and source."""
    consent = bool(fields.pop("sms_consent", False))
    fields["phone"] = normalize_phone(fields.get("phone", ""))
    patient = Patient(**fields)
    if patient.sms_opted_out:
        patient.sms_opted_out_at = clock.now()
    _consent_fields(patient, consent, consent_source)
    patient.save()
    return patient


@transaction.atomic
def update_patient(
    *, patient: Patient, by: Any, consent_source: str = "front_desk", **fields: Any
) -> Patient:
    consent = fields.pop("sms_consent", None)
    if "phone" in fields:
        phone = normalize_phone(fields["phone"])
        if phone != patient.phone:
            patient.phone_invalid = False  # a new number deserves a new chance
        fields["phone"] = phone
    opted_out = fields.pop("sms_opted_out", None)
    if opted_out is not None and opted_out != patient.sms_opted_out:
        patient.sms_opted_out = opted_out
        patient.sms_opted_out_at = clock.now() if opted_out else None
    for name, value in fields.items():
        setattr(patient, name, value)
    _consent_fields(patient, consent, consent_source)
    patient.save()
    return patient
