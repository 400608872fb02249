"""Finding and registering patients, and the patient page."""

import pytest

from bookings.models import Patient
from tests.clock import in_march
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_registering_refuses_an_invalid_phone_and_keeps_what_was_typed(client_for):
    response = client_for("front_desk").post(
        "/patients/new/",
        {"first_name": "Ana", "last_name": "Silva", "phone": "555-12", "sms_consent": "on"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a valid phone number" in page or "is not a phone number" in page
    assert 'value="Ana"' in page and 'value="Silva"' in page and 'value="555-12"' in page
    assert "checked" in page
    assert not Patient.objects.exists()


def test_registering_stores_the_phone_as_e164_with_consent(client_for):
    response = client_for("front_desk").post(
        "/patients/new/",
        {"first_name": "Ana", "last_name": "Silva", "phone": "(416) 555-0187", "sms_consent": "on"},
    )
    patient = Patient.objects.get()
    assert response.status_code == 302 and response.url == f"/patients/{patient.pk}/"
    assert patient.phone == "+14165550187"
    assert patient.sms_consent and patient.sms_consent_source == "front_desk"


def test_managers_cannot_register_patients(client_for):
    client = client_for("manager")
    assert client.get("/patients/new/").status_code == 403
    response = client.post(
        "/patients/new/", {"first_name": "A", "last_name": "B", "phone": "4165550187"}
    )
    assert response.status_code == 403


def test_search_as_you_type_answers_htmx_with_the_results_only(client_for):
    PatientFactory(first_name="Maria", last_name="Lopez", phone="+14165550123")
    PatientFactory(first_name="John", last_name="Smith", phone="+14165550999")
    client = client_for("front_desk")
    partial = client.get("/patients/?q=lop", headers={"HX-Request": "true"}).content.decode()
    assert "Lopez, Maria" in partial and "Smith" not in partial
    assert "<html" not in partial
    by_phone = client.get("/patients/?q=0999").content.decode()
    assert "Smith, John" in by_phone and "<html" in by_phone


def test_the_patient_page_shows_each_course_step_in_words(client_for, patient, book, frozen):
    book(patient, "exam", in_march(2, 9))
    book(patient, "exam", in_march(3, 9), code="frown-lines")
    page = client_for("front_desk").get(f"/patients/{patient.pk}/").content.decode()
    assert "Migraines and headaches" in page
    assert "Exam booked; diagnosis pending" in page
    assert "Consultation booked" in page
    assert "Follow-ups" in page and "Text messages" in page
