"""Registering and updating patients: phone stored E.164, SMS consent with its time and source.

Every change to consent or the opt-out is told to the handlers named in settings
``PATIENT_CONSENT_HANDLERS`` (reminders keeps the history), inside the caller's
transaction, the way ``bookings.events`` tells booking changes without importing them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from bookings.errors import PathwayError
from bookings.models import Patient
from bookings.phones import normalize_phone
from scheduler import clock

OPT_OUT_CONFIRMATION = (
    "Texts stay off: the patient opted out, and only the patient can take that back. "
    "Turn them on again only if the patient asked you in person, and confirm that they did."
)


@dataclass(frozen=True)
class ConsentChanged:
    """One change to whether a patient may be texted, for the consent history."""

    patient_id: int
    field: str  # "sms_consent" or "sms_opted_out"
    value: bool
    source: str
    asked_in_person: bool
    by: Any


ConsentHandler = Callable[[ConsentChanged], None]


@cache
def _handlers(paths: tuple[str, ...]) -> list[ConsentHandler]:
    return [import_string(path) for path in paths]


def _publish(changes: list[ConsentChanged]) -> None:
    for handler in _handlers(tuple(getattr(settings, "PATIENT_CONSENT_HANDLERS", ()))):
        for change in changes:
            handler(change)


def check_opt_out_change(
    *, was_opted_out: bool, opted_out: bool | None, asked_in_person: bool
) -> None:
    """An opt-out is the patient's word (often a STOP text): staff clear it only on the
    patient's own request, made in person. The one rule for the web form and the API."""
    if was_opted_out and opted_out is False and not asked_in_person:
        raise PathwayError("opt_out_confirmation_required", OPT_OUT_CONFIRMATION)


def _consent_fields(patient: Patient, consent: bool | None, source: str) -> bool:
    if consent is None or consent == patient.sms_consent:
        return False
    patient.sms_consent = consent
    patient.sms_consent_at = clock.now()
    patient.sms_consent_source = source
    return True


@transaction.atomic
def register_patient(*, by: Any, consent_source: str = "front_desk", **fields: Any) -> Patient:
    """Create a patient; the phone is stored E.164 and consent with its time and source."""
    consent = bool(fields.pop("sms_consent", False))
    fields.pop("asked_in_person", None)  # nothing to clear on a new patient
    fields["phone"] = normalize_phone(fields.get("phone", ""))
    patient = Patient(**fields)
    if patient.sms_opted_out:
        patient.sms_opted_out_at = clock.now()
    _consent_fields(patient, consent, consent_source)
    patient.save()
    changes = [
        ConsentChanged(patient.pk, field, True, consent_source, False, by)
        for field, value in (("sms_consent", consent), ("sms_opted_out", patient.sms_opted_out))
        if value
    ]
    _publish(changes)
    return patient


@transaction.atomic
def update_patient(
    *,
    patient: Patient,
    by: Any,
    consent_source: str = "front_desk",
    asked_in_person: bool = False,
    **fields: Any,
) -> Patient:
    consent = fields.pop("sms_consent", None)
    opted_out = fields.pop("sms_opted_out", None)
    # Checked before anything changes, so a refusal writes nothing at all.
    check_opt_out_change(
        was_opted_out=patient.sms_opted_out, opted_out=opted_out, asked_in_person=asked_in_person
    )
    if "phone" in fields:
        phone = normalize_phone(fields["phone"])
        if phone != patient.phone:
            patient.phone_invalid = False  # a new number deserves a new chance
        fields["phone"] = phone
    changes = []
    if opted_out is not None and opted_out != patient.sms_opted_out:
        patient.sms_opted_out = opted_out
        patient.sms_opted_out_at = clock.now() if opted_out else None
        changes.append(
            ConsentChanged(
                patient.pk, "sms_opted_out", opted_out, consent_source, asked_in_person, by
            )
        )
    for name, value in fields.items():
        setattr(patient, name, value)
    if _consent_fields(patient, consent, consent_source):
        changes.append(
            ConsentChanged(patient.pk, "sms_consent", bool(consent), consent_source, False, by)
        )
    patient.save()
    _publish(changes)
    return patient
