"""The link's JSON API: the pages' flow and answers, for the clinic's own website."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from bookings.models import Appointment, Status
from reminders.models import RecallStatus
from tests.clock import NOW, at, frozen_at
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory

from .support import BIRTH, migraine_patient_due, recall_link

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with frozen_at(NOW):
        yield


def url(token: str, action: str = "") -> str:
    return f"/api/public/v1/links/{token}/" + (f"{action}/" if action else "")


def session_for(client: APIClient, token: str) -> str:
    response = client.post(
        url(token, "verify"), {"date_of_birth": BIRTH.isoformat()}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()["session"]


def test_before_verification_only_the_clinic_is_shown():
    token = recall_link(migraine_patient_due())
    response = APIClient().get(url(token))
    assert response.status_code == 200
    assert response.json() == {
        "verified": False,
        "clinic": {"name": "Lakeshore Clinic", "phone": "+1 416 555 0199"},
    }
    text = response.content.decode()
    for private in ("Marguerite", "Zylberstein", "1980", "igraine"):
        assert private not in text
    slots = APIClient().get(url(token, "slots"))
    assert slots.status_code == 401
    assert "Marguerite" not in slots.content.decode()


def test_verify_slots_and_book_through_the_api():
    PractitionerFactory(name="Dr. Adams")
    recall = migraine_patient_due()
    token = recall_link(recall)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {session_for(client, token)}")
    detail = client.get(url(token)).json()
    assert detail["verified"] is True and detail["kind"] == "recall"
    assert detail["patient"] == {"first_name": "Marguerite"} and detail["can_book"] is True
    slots = client.get(url(token, "slots"), {"from": "2026-03-03", "to": "2026-03-03"}).json()
    assert slots[0]["practitioner"]["name"] == "Dr. Adams"
    assert slots[0]["start"] == at(2026, 3, 3, 9).isoformat()
    booked = client.post(
        url(token, "book"),
        {"practitioner": slots[0]["practitioner"]["id"], "start": slots[0]["start"]},
        format="json",
    )
    assert booked.status_code == 201, booked.json()
    recall.refresh_from_db()
    assert recall.status == RecallStatus.BOOKED
    again = client.post(
        url(token, "book"),
        {"practitioner": slots[1]["practitioner"]["id"], "start": slots[1]["start"]},
        format="json",
    )
    assert again.status_code == 410


def test_a_taken_start_is_409_with_the_next_free_ones():
    doctor = PractitionerFactory()
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 10))
    token = recall_link(migraine_patient_due())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {session_for(client, token)}")
    response = client.post(
        url(token, "book"),
        {"practitioner": doctor.pk, "start": at(2026, 3, 3, 10).isoformat()},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "slot_taken" and body["detail"] and body["next"]


def test_wrong_answers_are_400_then_429_and_unknown_tokens_401():
    token = recall_link(migraine_patient_due())
    client = APIClient()
    for _ in range(4):
        wrong = client.post(url(token, "verify"), {"date_of_birth": "2000-01-01"}, format="json")
        assert wrong.status_code == 400
    locked = client.post(url(token, "verify"), {"date_of_birth": "2000-01-01"}, format="json")
    assert locked.status_code == 429
    assert APIClient().get(url("A" * 22)).status_code == 401


def test_another_links_session_is_403_and_an_expired_one_401():
    token = recall_link(migraine_patient_due())
    other = recall_link(migraine_patient_due())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {session_for(client, other)}")
    assert client.get(url(token, "slots")).status_code == 403
    with frozen_at(NOW + timedelta(minutes=31)):
        assert client.get(url(other, "slots")).status_code == 401


def test_an_appointment_link_confirms_moves_and_cancels():
    doctor = PractitionerFactory()
    patient = PatientFactory(date_of_birth=BIRTH)
    appointment = AppointmentFactory(
        patient=patient, practitioner=doctor, start_at=at(2026, 3, 4, 10)
    )
    from reminders.links.tokens import create_link

    token = create_link(appointment=appointment)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {session_for(client, token)}")
    assert client.post(url(token, "confirm")).json()["status"] == Status.CONFIRMED
    moved = client.post(
        url(token, "move"),
        {"practitioner": doctor.pk, "start": at(2026, 3, 5, 11).isoformat()},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    assert client.post(url(token, "cancel")).json()["status"] == Status.CANCELLED
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CANCELLED
    assert client.get(url(token)).status_code == 410


def test_the_public_api_is_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for action in ("", "verify/", "slots/", "book/", "confirm/", "cancel/", "move/"):
        assert f"/api/public/v1/links/{{token}}/{action}" in paths


def test_a_burst_of_guesses_from_one_address_is_throttled():
    client = APIClient()
    answers = [
        client.post(url(f"{n:022d}", "verify"), {"date_of_birth": "2000-01-01"}, format="json")
        for n in range(21)
    ]
    assert {a.status_code for a in answers[:20]} == {401}
    assert answers[20].status_code == 429
