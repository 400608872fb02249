"""Booking: kinds the pathway allows, the slot picker, the confirm step and its refusals."""

import pytest

from bookings import services
from bookings.models import Appointment, Status
from tests.clock import in_march
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def booking_post(patient, doctor, kind, start, code="migraine", **extra):
    return {
        "patient": patient.pk,
        "treatment": code,
        "kind": kind,
        "practitioner": doctor.pk,
        "start": start.isoformat(),
        **extra,
    }


def test_only_the_kinds_the_pathway_allows_are_offered_with_the_reason_for_the_others(
    client_for, patient, doctor, frozen
):
    page = client_for("front_desk").get(f"/book/?patient={patient.pk}&treatment=migraine")
    html = page.content.decode()
    assert 'kind=exam"' in html
    assert 'kind=injection"' not in html
    assert "needs a written prescription before the injection" in html
    assert "Book an exam first" in html


def test_the_slot_picker_lists_free_times_by_day_and_practitioner(
    client_for, patient, doctor, book, frozen
):
    book(PatientFactory(), "exam", in_march(2, 9))
    html = (
        client_for("front_desk")
        .get(f"/book/?patient={patient.pk}&treatment=migraine&kind=exam")
        .content.decode()
    )
    assert "Dr. Amelia Hart" in html
    assert "Free on Monday 2 March" in html
    assert ">09:00<" not in html  # taken
    assert ">09:30<" in html
    assert "/book/confirm/?" in html


def test_booking_from_the_confirm_step_calls_the_service(client_for, patient, doctor, frozen):
    client = client_for("front_desk")
    start = in_march(2, 10)
    confirm = client.get("/book/confirm/", booking_post(patient, doctor, "exam", start))
    assert confirm.status_code == 200
    assert "10:00–10:30" in confirm.content.decode()
    response = client.post("/book/confirm/", booking_post(patient, doctor, "exam", start))
    assert response.status_code == 302, response.content.decode()
    appointment = Appointment.objects.get()
    assert appointment.start_at == start and appointment.status == Status.BOOKED
    assert "Booked: Exam for Maria Lopez" in client.get(response.url).content.decode()


def test_a_slot_taken_meanwhile_says_so_and_offers_the_next_free_ones(
    client_for, patient, doctor, book, frozen
):
    book(PatientFactory(), "exam", in_march(2, 10))
    response = client_for("front_desk").post(
        "/book/confirm/", booking_post(patient, doctor, "exam", in_march(2, 10))
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "That time was just taken" in html
    assert "The next free times" in html
    assert "10:30" in html
    assert Appointment.objects.count() == 1


def test_a_refused_booking_shows_the_rule_and_keeps_the_typed_units(
    client_for, patient, doctor, frozen
):
    response = client_for("front_desk").post(
        "/book/confirm/",
        booking_post(patient, doctor, "injection", in_march(3, 10), planned_units="155"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-code="prescription_required"' in html
    assert "needs a written prescription before the injection" in html
    assert 'value="155"' in html
    assert not Appointment.objects.exists()


def injected_today(patient, book, users, frozen):
    """Frown lines: a consultation completed this morning and an injection booked after it."""
    exam = book(patient, "exam", in_march(2, 9), code="frown-lines")
    frozen.move_to(in_march(2, 9, 40))
    services.complete_appointment(appointment=exam, by=users["clinician"], outcome={})
    return book(patient, "injection", in_march(2, 10), code="frown-lines")


def test_front_desk_cannot_override_and_is_told_a_clinician_can(
    client_for, users, patient, doctor, book, frozen
):
    injected_today(patient, book, users, frozen)
    post = booking_post(patient, doctor, "injection", in_march(4, 10), code="frown-lines")
    response = client_for("front_desk").post("/book/confirm/", post)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-code="reinjection_too_soon"' in html
    assert "Only a clinician can override" in html
    assert 'name="override_reason"' not in html
    forced = client_for("front_desk").post("/book/confirm/", {**post, "override_reason": "x"})
    assert forced.status_code in (400, 403)
    assert not Appointment.objects.filter(start_at=in_march(4, 10)).exists()


def test_a_clinician_overrides_the_reinjection_rule_with_a_reason(
    client_for, users, patient, doctor, book, frozen
):
    injected_today(patient, book, users, frozen)
    post = booking_post(patient, doctor, "injection", in_march(4, 10), code="frown-lines")
    client = client_for("clinician")
    refused = client.post("/book/confirm/", post)
    assert "You may override this rule" in refused.content.decode()
    assert 'name="override_reason"' in refused.content.decode()
    response = client.post(
        "/book/confirm/",
        {
            **post,
            "override_reason": "Asymmetry to correct",
            "override_rules": "reinjection_too_soon",
        },
    )
    assert response.status_code == 302
    booked = Appointment.objects.get(start_at=in_march(4, 10))
    assert booked.overridden_rules == ["reinjection_too_soon"]
    assert booked.override_reason == "Asymmetry to correct"


def test_managers_cannot_book(client_for, patient, doctor, frozen):
    client = client_for("manager")
    assert client.get("/book/").status_code == 403
    response = client.post("/book/confirm/", booking_post(patient, doctor, "exam", in_march(2, 10)))
    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_moving_an_appointment_uses_the_move_service(client_for, patient, doctor, book, frozen):
    appointment = book(patient, "exam", in_march(2, 9))
    client = client_for("front_desk")
    picker = client.get(f"/appointments/{appointment.pk}/move/?day=2026-03-03").content.decode()
    assert "Free on Tuesday 3 March" in picker
    confirm = client.get(
        f"/appointments/{appointment.pk}/move/",
        {"practitioner": doctor.pk, "start": in_march(3, 11).isoformat()},
    )
    assert "Move to Tuesday 3 March 2026 at 11:00" in confirm.content.decode()
    response = client.post(
        f"/appointments/{appointment.pk}/move/",
        {"practitioner": doctor.pk, "start": in_march(3, 11).isoformat()},
    )
    assert response.status_code == 302 and response.url == "/calendar/?date=2026-03-03"
    appointment.refresh_from_db()
    assert appointment.start_at == in_march(3, 11)


def test_moving_into_a_taken_time_says_so_and_keeps_the_choice(
    client_for, patient, doctor, book, frozen
):
    appointment = book(patient, "exam", in_march(2, 9))
    book(PatientFactory(), "exam", in_march(3, 11))
    response = client_for("front_desk").post(
        f"/appointments/{appointment.pk}/move/",
        {"practitioner": doctor.pk, "start": in_march(3, 11).isoformat()},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "That time was just taken" in html
    assert "Move to Tuesday 3 March 2026 at 11:00" in html
