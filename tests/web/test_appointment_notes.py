"""Notes on an appointment, by the front desk and clinicians, shown in the panel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Note
from tests.clock import in_march

pytestmark = pytest.mark.django_db


def test_front_desk_and_clinician_notes_show_in_the_panel_with_their_roles(
    client_for, patient, book, frozen
):
    appointment = book(patient, "exam", in_march(2, 9))
    back = "/calendar/?date=2026-03-02"
    desk = client_for("front_desk")
    response = desk.post(
        f"/appointments/{appointment.pk}/notes/",
        {"text": "Running 10 minutes late", "next": back},
    )
    assert response.status_code == 302 and response.url == back
    client_for("clinician").post(
        f"/appointments/{appointment.pk}/notes/", {"text": "Bring headache diary"}
    )
    panel = desk.get(
        f"/appointments/{appointment.pk}/?next={back}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Running 10 minutes late" in panel and "(front desk)" in panel
    assert "Bring headache diary" in panel and "(clinician)" in panel
    assert panel.index("Bring headache diary") < panel.index("Running 10 minutes late")
    # Both are also the patient's notes, saying which visit they are about.
    page = desk.get(f"/patients/{patient.pk}/").content.decode()
    assert "about the exam of 2 Mar 2026" in page
    assert set(Note.objects.values_list("appointment", flat=True)) == {appointment.pk}


def test_an_empty_appointment_note_is_refused_on_the_appointment_page(
    client_for, patient, book, frozen
):
    appointment = book(patient, "exam", in_march(2, 9))
    response = client_for("front_desk").post(f"/appointments/{appointment.pk}/notes/", {"text": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write the note before adding it." in html
    assert "Exam for Maria Lopez" in html
    assert not Note.objects.exists()


def test_the_panel_costs_the_same_queries_with_one_note_or_ten(client_for, patient, book, frozen):
    appointment = book(patient, "exam", in_march(2, 9))
    client = client_for("front_desk")
    url = f"/appointments/{appointment.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
        return len(captured)

    client.post(f"{url}notes/", {"text": "one"})
    count()
    one = count()
    for i in range(9):
        client_for("clinician").post(f"{url}notes/", {"text": f"note {i}"})
    assert count() == one
