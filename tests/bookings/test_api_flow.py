"""The whole therapeutic pathway over the API, as an integrator would drive it."""

from datetime import datetime

import pytest
from rest_framework.test import APIClient

from tests.clock import NOW, TZ, frozen_at
from tests.clock import at as clock_at
from tests.factories import PatientFactory, PractitionerFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory(username=role, groups=[role]))
    return client


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> str:
    """A clinic time in 2026, as the API takes it."""
    return clock_at(2026, month, day, hour, minute).isoformat()


@frozen_at(NOW)
def test_therapeutic_pathway_exam_then_prescription_then_injection():
    desk, clinician = client_for("front_desk"), client_for("clinician")
    doctor = PractitionerFactory()
    patient = PatientFactory()

    def book(kind: str, start: str, **extra):
        return desk.post(
            "/api/v1/appointments/",
            {
                "patient": patient.pk,
                "practitioner": doctor.pk,
                "treatment_type": "migraine",
                "kind": kind,
                "start": start,
                **extra,
            },
            format="json",
        )

    refused = book("injection", at(2, 10))
    assert refused.status_code == 400, refused.json()
    assert refused.json()["code"] == "prescription_required"

    refused = book("prescription", at(2, 10))
    assert refused.json()["code"] == "exam_required"

    exam = book("exam", at(2, 9))
    assert exam.status_code == 201, exam.json()
    assert exam.json()["end"] == at(2, 9, 30)

    rx = book("prescription", at(2, 9, 30))
    assert rx.status_code == 201, rx.json()

    assert book("injection", at(3, 10)).json()["code"] == "prescription_required"

    with frozen_at(datetime(2026, 3, 2, 9, 0, tzinfo=TZ)):
        exam_id, rx_id = exam.json()["id"], rx.json()["id"]
        assert desk.post(f"/api/v1/appointments/{exam_id}/check-in/").status_code == 200
        no_dx = clinician.post(f"/api/v1/appointments/{exam_id}/complete/", {"diagnosis": ""})
        assert no_dx.json()["code"] == "diagnosis_required"
        forbidden = desk.post(f"/api/v1/appointments/{exam_id}/complete/", {"diagnosis": "x"})
        assert forbidden.status_code == 403
        done = clinician.post(
            f"/api/v1/appointments/{exam_id}/complete/", {"diagnosis": "Chronic migraine"}
        )
        assert done.status_code == 200, done.json()
    with frozen_at(datetime(2026, 3, 2, 9, 30, tzinfo=TZ)):
        written = clinician.post(
            f"/api/v1/appointments/{rx_id}/complete/",
            {"units_per_session": 155, "sessions": 4},
        )
        assert written.status_code == 200, written.json()
        injection = book("injection", at(3, 10))
        assert injection.status_code == 201, injection.json()
        clash = book("exam", at(3, 10, 15))
        assert clash.status_code == 409
        assert clash.json()["code"] == "slot_taken"

    courses = desk.get(f"/api/v1/courses/?patient={patient.pk}").json()["results"]
    assert courses[0]["step"]["code"] == "injection_booked"
    assert courses[0]["prescription"]["sessions_used"] == 1
