"""Editing a patient's details, consent and opt-out."""

from datetime import date

import pytest

from bookings.models import Patient
from tests.clock import NOW, frozen_at
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def form_data(patient: Patient, **changes: str) -> dict[str, str]:
    data = {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": "",
        "phone": patient.phone,
        "email": patient.email,
    }
    if patient.sms_consent:
        data["sms_consent"] = "on"
    if patient.sms_opted_out:
        data["sms_opted_out"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v != "off"}


def test_the_patient_page_links_to_the_edit_form_prefilled(client_for, patient):
    client = client_for("front_desk")
    assert (
        f"/patients/{patient.pk}/edit/" in client.get(f"/patients/{patient.pk}/").content.decode()
    )
    page = client.get(f"/patients/{patient.pk}/edit/").content.decode()
    assert 'value="Maria"' in page and 'value="+1 416-555-0123"' in page
    assert '<label for="id_phone">' in page


def test_editing_with_an_invalid_phone_keeps_what_was_typed_and_says_why(client_for, patient):
    response = client_for("front_desk").post(
        f"/patients/{patient.pk}/edit/",
        form_data(patient, first_name="Mariana", phone="555-12", email="m@example.org"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    phone_field = page[page.index('for="id_phone"') : page.index('for="id_date_of_birth"')]
    assert "is not a valid phone number" in phone_field or "is not a phone number" in phone_field
    assert 'value="Mariana"' in page and 'value="555-12"' in page
    assert 'value="m@example.org"' in page
    patient.refresh_from_db()
    assert patient.first_name == "Maria" and patient.phone == "+14165550123"


def test_editing_saves_details_with_the_phone_in_e164(client_for, patient):
    response = client_for("clinician").post(
        f"/patients/{patient.pk}/edit/",
        form_data(patient, phone="(647) 555-0142", date_of_birth="1980-04-02", email="m@x.org"),
    )
    assert response.status_code == 302 and response.url == f"/patients/{patient.pk}/"
    patient.refresh_from_db()
    assert patient.phone == "+16475550142"
    assert patient.date_of_birth == date(1980, 4, 2) and patient.email == "m@x.org"


def test_a_new_number_gets_another_chance_at_texts(client_for):
    patient = PatientFactory(phone_invalid=True)
    client = client_for("front_desk")
    assert "cannot receive texts" in client.get(f"/patients/{patient.pk}/edit/").content.decode()
    client.post(f"/patients/{patient.pk}/edit/", form_data(patient, phone="+16475550199"))
    patient.refresh_from_db()
    assert not patient.phone_invalid


def test_giving_consent_records_the_time_and_front_desk_as_source(client_for):
    patient = PatientFactory(sms_consent=False, sms_consent_at=None, sms_consent_source="")
    with frozen_at(NOW):
        client_for("front_desk").post(
            f"/patients/{patient.pk}/edit/", form_data(patient, sms_consent="on")
        )
    patient.refresh_from_db()
    assert patient.sms_consent and patient.sms_consent_at == NOW
    assert patient.sms_consent_source == "front_desk"


def test_saving_without_a_change_keeps_the_original_consent_record(client_for):
    patient = PatientFactory(sms_consent=True, sms_consent_source="sms_start")
    given_at = patient.sms_consent_at
    client_for("front_desk").post(f"/patients/{patient.pk}/edit/", form_data(patient))
    patient.refresh_from_db()
    assert patient.sms_consent_at == given_at and patient.sms_consent_source == "sms_start"


def test_an_opt_out_is_cleared_only_when_the_patient_asked_in_person(client_for):
    patient = PatientFactory(sms_opted_out=True)
    client = client_for("front_desk")
    page = client.get(f"/patients/{patient.pk}/edit/").content.decode()
    assert "only if the patient asked you in person" in page
    response = client.post(f"/patients/{patient.pk}/edit/", form_data(patient, sms_opted_out="off"))
    assert response.status_code == 400
    assert "Texts stay off unless the patient asked you in person" in response.content.decode()
    patient.refresh_from_db()
    assert patient.sms_opted_out
    client.post(
        f"/patients/{patient.pk}/edit/",
        form_data(patient, sms_opted_out="off", asked_in_person="on"),
    )
    patient.refresh_from_db()
    assert not patient.sms_opted_out and patient.sms_opted_out_at is None


def test_staff_can_record_an_opt_out_asked_for_in_person(client_for, patient):
    client_for("front_desk").post(
        f"/patients/{patient.pk}/edit/", form_data(patient, sms_opted_out="on")
    )
    patient.refresh_from_db()
    assert patient.sms_opted_out and patient.sms_opted_out_at is not None


def test_managers_cannot_edit_patients(client_for, patient):
    client = client_for("manager")
    assert client.get(f"/patients/{patient.pk}/edit/").status_code == 403
    assert client.post(f"/patients/{patient.pk}/edit/", form_data(patient)).status_code == 403
    assert (
        f"/patients/{patient.pk}/edit/"
        not in client.get(f"/patients/{patient.pk}/").content.decode()
    )
