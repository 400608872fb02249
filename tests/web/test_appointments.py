"""Status actions and the clinician's completion forms, and who may use them."""

import pytest

from bookings.models import Appointment, Prescription, Status
from tests.clock import frozen_at, in_march

pytestmark = pytest.mark.django_db


def test_status_actions_are_one_post_each_and_return_to_the_page_asked(
    client_for, patient, book, frozen
):
    appointment = book(patient, "exam", in_march(2, 9))
    client = client_for("front_desk")
    back = "/calendar/?date=2026-03-02"
    response = client.post(f"/appointments/{appointment.pk}/confirm/", {"next": back})
    assert response.status_code == 302 and response.url == back
    response = client.post(f"/appointments/{appointment.pk}/check-in/", {"next": back})
    appointment.refresh_from_db()
    assert appointment.status == Status.CHECKED_IN


def test_actions_refused_by_the_rules_show_the_reason(client_for, patient, book, frozen):
    appointment = book(patient, "exam", in_march(3, 9))
    client = client_for("front_desk")
    response = client.post(f"/appointments/{appointment.pk}/check-in/", follow=True)
    assert "only be checked in on the day of the appointment" in response.content.decode()


def test_status_actions_need_a_post(client_for, patient, book, frozen):
    appointment = book(patient, "exam", in_march(2, 9))
    assert (
        client_for("front_desk").get(f"/appointments/{appointment.pk}/confirm/").status_code == 405
    )


def test_cancelling_needs_a_reason_and_keeps_the_form_open(client_for, patient, book, frozen):
    appointment = book(patient, "exam", in_march(2, 9))
    client = client_for("front_desk")
    response = client.post(f"/appointments/{appointment.pk}/cancel/", {"reason": "  "})
    assert response.status_code == 400
    assert "Enter why the appointment is cancelled." in response.content.decode()
    assert '<details class="cancel" open>' in response.content.decode()
    client.post(f"/appointments/{appointment.pk}/cancel/", {"reason": "Patient unwell"})
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED and appointment.cancel_reason == "Patient unwell"


def test_front_desk_posting_a_completion_gets_403(client_for, patient, book, frozen):
    appointment = book(patient, "exam", in_march(2, 9))
    for role in ("front_desk", "manager"):
        response = client_for(role).post(
            f"/appointments/{appointment.pk}/complete/", {"diagnosis": "Chronic migraine"}
        )
        assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_only_clinicians_see_the_completion_form(client_for, patient, book):
    with frozen_at(in_march(2, 8)):
        appointment = book(patient, "exam", in_march(2, 9))
    with frozen_at(in_march(2, 9, 10)):
        url = f"/appointments/{appointment.pk}/"
        assert "Complete the exam" in client_for("clinician").get(url).content.decode()
        for role in ("front_desk", "manager"):
            html = client_for(role).get(url).content.decode()
            assert "Complete the exam" not in html and 'name="diagnosis"' not in html
        manager = client_for("manager").get(url).content.decode()
        assert "Check in" not in manager and "Cancel…" not in manager


def test_a_missing_diagnosis_shows_the_rule_and_keeps_the_notes(client_for, patient, book):
    with frozen_at(in_march(2, 8)):
        appointment = book(patient, "exam", in_march(2, 9))
    with frozen_at(in_march(2, 9, 10)):
        response = client_for("clinician").post(
            f"/appointments/{appointment.pk}/complete/", {"diagnosis": "", "notes": "Aura twice"}
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the diagnosis" in html
    assert "Aura twice" in html
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_the_clinician_completes_the_exam_then_writes_the_prescription(client_for, patient, book):
    with frozen_at(in_march(2, 8)):
        exam = book(patient, "exam", in_march(2, 9))
        rx = book(patient, "prescription", in_march(2, 9, 30))
    client = client_for("clinician")
    with frozen_at(in_march(2, 9, 40)):
        response = client.post(
            f"/appointments/{exam.pk}/complete/", {"diagnosis": "Chronic migraine"}
        )
        assert response.status_code == 302
        bad = client.post(
            f"/appointments/{rx.pk}/complete/",
            {"units_per_session": "155", "sessions": "0", "valid_until": "2027-03-02"},
        )
        assert bad.status_code == 400
        assert 'value="155"' in bad.content.decode()
        assert "greater than or equal to 1" in bad.content.decode()
        good = client.post(
            f"/appointments/{rx.pk}/complete/",
            {"units_per_session": "155", "sessions": "4", "valid_until": "2027-03-02"},
        )
        assert good.status_code == 302
    written = Prescription.objects.get()
    assert (written.units_per_session, written.sessions) == (155, 4)
    assert Appointment.objects.get(pk=exam.pk).diagnosis == "Chronic migraine"
