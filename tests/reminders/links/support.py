"""Patients with a course the link can book, and a verified browser for their link."""

from datetime import date

from django.test import Client

from bookings.models import Appointment
from reminders.links.tokens import create_link
from reminders.models import Recall, RecallKind
from scheduler import clock
from tests.clock import at
from tests.factories import PatientFactory
from tests.histories import given_injection, written_prescription

BIRTH = date(1980, 5, 17)


def recall_for(injection: Appointment, *, kind: str = RecallKind.REINJECTION) -> Recall:
    return Recall.objects.create(
        patient=injection.patient,
        course=injection.course,
        treatment_type=injection.course.treatment_type,
        kind=kind,
        source_appointment=injection,
        due_on=clock.today(),
        last_injection_on=clock.local_date(injection.start_at),
    )


def migraine_patient_due(**patient_fields: object) -> Recall:
    """Prescribed, last injected 1 Dec 2025: the next injection is allowed today."""
    patient = PatientFactory(
        first_name="Marguerite", last_name="Zylberstein", date_of_birth=BIRTH, **patient_fields
    )
    written_prescription(patient)
    return recall_for(given_injection(patient, "migraine", at(2025, 12, 1, 10), 155))


def recall_link(recall: Recall) -> str:
    return create_link(recall=recall)


def verified(token: str, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post(f"/p/{token}", {"date_of_birth": BIRTH.isoformat()})
    assert response.status_code == 302, response.content
    client.token = token  # type: ignore[attr-defined]
    return client
