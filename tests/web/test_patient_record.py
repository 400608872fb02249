"""The patient record: address, health card, preferred name, alerts, notes; duplicates."""

from datetime import date

import pytest

from bookings.models import Note, Patient
from tests.clock import in_march
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & needle-phobic'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; needle-phobic"


def registration(**extra):
    return {
        "first_name": "Côté",
        "last_name": "Lévesque",
        "date_of_birth": "1980-04-02",
        "phone": "416 555 0187",
        "preferred_name": "Coco",
        "address": "12 Queen St W\nToronto ON M5H 2N2",
        "health_card_number": "1234-567-890-AB",
        "insurance_member_number": "SUN-778812",
        "alerts": "Latex allergy",
        **extra,
    }


def test_registering_keeps_the_whole_record(client_for):
    response = client_for("front_desk").post("/patients/new/", registration())
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert patient.preferred_name == "Coco"
    assert patient.address == "12 Queen St W\nToronto ON M5H 2N2"
    assert patient.health_card_number == "1234-567-890-AB"
    assert patient.insurance_member_number == "SUN-778812"
    assert patient.alerts == "Latex allergy"
    html = client_for("front_desk").get(f"/patients/{patient.pk}/").content.decode()
    for shown in ("“Coco”", "12 Queen St W<br>Toronto", "1234-567-890-AB", "SUN-778812"):
        assert shown in html
    assert "<strong>Alert:</strong> Latex allergy" in html


def test_editing_changes_the_record_and_shows_it_back(client_for, patient):
    client = client_for("front_desk")
    form = client.get(f"/patients/{patient.pk}/edit/").content.decode()
    assert 'name="alerts"' in form and 'name="health_card_number"' in form
    response = client.post(
        f"/patients/{patient.pk}/edit/",
        {
            "first_name": "Maria",
            "last_name": "Lopez",
            "phone": "+14165550123",
            "sms_consent": "on",
            "alerts": "Needle-phobic",
            "address": "1 Bay St",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.alerts == "Needle-phobic" and patient.address == "1 Bay St"
    again = client.get(f"/patients/{patient.pk}/edit/").content.decode()
    assert 'value="Needle-phobic"' in again


def test_same_name_and_birth_date_is_warned_and_nothing_is_written(client_for):
    PatientFactory(
        first_name="Cote",
        last_name="Levesque",
        date_of_birth=date(1980, 4, 2),
        phone="+15145550100",
    )
    response = client_for("front_desk").post("/patients/new/", registration())
    assert response.status_code == 400
    html = response.content.decode()
    assert "This patient may already be registered" in html
    assert "Cote Levesque" in html
    # Everything typed is still there.
    for typed in ('value="Côté"', 'value="SUN-778812"', "Toronto ON M5H 2N2", 'value="Coco"'):
        assert typed in html
    assert 'name="different_person"' in html
    assert Patient.objects.count() == 1


def test_the_same_phone_is_warned_too(client_for):
    PatientFactory(first_name="Other", last_name="Person", phone="+14165550187")
    response = client_for("front_desk").post("/patients/new/", registration(date_of_birth=""))
    assert response.status_code == 400
    assert "Other Person" in response.content.decode()
    assert Patient.objects.count() == 1


def test_ticking_a_different_person_registers_them(client_for):
    PatientFactory(first_name="Other", last_name="Person", phone="+14165550187")
    response = client_for("front_desk").post("/patients/new/", registration(different_person="on"))
    assert response.status_code == 302
    assert Patient.objects.count() == 2


def test_same_name_but_another_birth_date_and_phone_is_not_a_duplicate(client_for):
    PatientFactory(
        first_name="Côté",
        last_name="Lévesque",
        date_of_birth=date(1990, 1, 1),
        phone="+15145550100",
    )
    response = client_for("front_desk").post("/patients/new/", registration())
    assert response.status_code == 302
    assert Patient.objects.count() == 2


def test_alerts_show_escaped_on_the_calendar_panel_and_patient_page(
    client_for, patient, book, frozen
):
    patient.alerts = HOSTILE
    patient.save()
    appointment = book(patient, "exam", in_march(2, 9))
    client = client_for("front_desk")
    pages = {
        "calendar": client.get("/calendar/?date=2026-03-02").content.decode(),
        "panel": client.get(
            f"/appointments/{appointment.pk}/", HTTP_HX_REQUEST="true"
        ).content.decode(),
        "patient": client.get(f"/patients/{patient.pk}/").content.decode(),
    }
    for name, html in pages.items():
        assert ESCAPED in html, name
        assert '<script>alert("x")' not in html, name
    assert 'class="alert-mark"' in pages["calendar"]


def test_a_note_is_kept_with_its_author_and_time_and_shown_escaped(client_for, patient, frozen):
    client = client_for("front_desk")
    response = client.post(f"/patients/{patient.pk}/notes/", {"text": HOSTILE})
    assert response.status_code == 302
    note = Note.objects.get()
    assert note.by is not None
    assert note.by.username == "front_desk" and note.by_role == "front_desk"
    assert note.text == HOSTILE and note.appointment is None
    html = client.get(f"/patients/{patient.pk}/").content.decode()
    assert ESCAPED in html
    assert "Mon 2 Mar 2026 08:00 · Front Desk (front desk)" in html


def test_an_empty_note_is_refused_by_the_box(client_for, patient):
    response = client_for("front_desk").post(f"/patients/{patient.pk}/notes/", {"text": "   "})
    assert response.status_code == 400
    assert "Write the note before adding it." in response.content.decode()
    assert not Note.objects.exists()


def test_a_long_note_is_refused_and_kept_in_the_box(client_for, patient):
    text = "word " * 500
    response = client_for("front_desk").post(f"/patients/{patient.pk}/notes/", {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 2000 characters" in html
    assert "word word word" in html
    assert not Note.objects.exists()


def test_managers_read_notes_but_do_not_add_them(client_for, patient):
    Note.objects.create(patient=patient, text="Prefers mornings")
    client = client_for("manager")
    assert "Prefers mornings" in client.get(f"/patients/{patient.pk}/").content.decode()
    assert client.post(f"/patients/{patient.pk}/notes/", {"text": "x"}).status_code == 403
    assert Note.objects.count() == 1


def test_the_api_carries_the_record_fields(client_for, patient):
    patient.alerts = "Latex allergy"
    patient.save()
    body = client_for("front_desk").get(f"/api/v1/patients/{patient.pk}/").json()
    assert body["alerts"] == "Latex allergy"
    assert {"preferred_name", "address", "health_card_number", "insurance_member_number"} <= set(
        body
    )


def test_the_search_page_lists_the_patients_opened_lately_newest_first(client_for):
    first = PatientFactory(first_name="Ava", last_name="Chen")
    second = PatientFactory(first_name="Noah", last_name="Tremblay", alerts="Needle-phobic")
    never = PatientFactory(first_name="Zoe", last_name="Unseen")
    client = client_for("front_desk")
    assert "Recently opened" not in client.get("/patients/").content.decode()
    for patient in (first, second, first):
        client.get(f"/patients/{patient.pk}/")
    html = client.get("/patients/").content.decode()
    assert "Recently opened" in html
    assert html.index("Chen, Ava") < html.index("Tremblay, Noah")
    assert html.count("Chen, Ava") == 1 and "Unseen" not in html
    assert 'title="Needle-phobic"' in html
    assert never.pk  # opened by nobody, listed nowhere
    # Another user's list is their own.
    assert "Chen, Ava" not in client_for("clinician").get("/patients/").content.decode()
