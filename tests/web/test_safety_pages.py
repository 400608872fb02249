"""The staff pages for the safety rules: every broken rule in plain words with a box to
tick, planned units, recording and amending an injection, and consultation wording."""

import re
from datetime import datetime

import pytest

from bookings.models import Appointment, AuditEntry, Status
from scheduler.models import Kind
from tests.clock import TZ, frozen_at, in_march
from tests.factories import AppointmentFactory, LotFactory, PrescriptionFactory
from tests.web.test_booking import booking_post, injected_today

pytestmark = pytest.mark.django_db

RULE_CODES = ("reinjection_too_soon", "dose_limit_exceeded", "units_over_prescription")


def visible_text(html: str) -> str:
    """What staff read: the page without its tags and attribute values."""
    return re.sub(r"<[^>]*>", " ", html)


def too_soon_and_too_much(patient, doctor, book, users, frozen):
    """Frown lines injected today with 390 U: the next on Wednesday breaks both rules."""
    injection = injected_today(patient, book, users, frozen)
    Appointment.objects.filter(pk=injection.pk).update(planned_units=390)
    return booking_post(patient, doctor, "injection", in_march(4, 10), code="frown-lines")


# --- overrides name their rules (item 3) ------------------------------------------------


def test_the_booking_page_shows_every_broken_rule_with_a_box_per_rule_for_a_clinician(
    client_for, users, patient, doctor, book, frozen
):
    post = too_soon_and_too_much(patient, doctor, book, users, frozen)
    refused = client_for("clinician").post("/book/confirm/", post)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "This breaks 2 safety rules" in html
    assert "at least 90 days apart" in html
    assert "400-unit limit" in html
    assert 'name="override_rules" value="reinjection_too_soon"' in html
    assert 'name="override_rules" value="dose_limit_exceeded"' in html
    assert not any(code in visible_text(html) for code in RULE_CODES)


def test_a_clinician_ticking_one_of_two_rules_is_still_refused(
    client_for, users, patient, doctor, book, frozen
):
    post = too_soon_and_too_much(patient, doctor, book, users, frozen)
    client = client_for("clinician")
    half = {**post, "override_reason": "Asymmetry", "override_rules": ["reinjection_too_soon"]}
    refused = client.post("/book/confirm/", half)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'data-code="dose_limit_exceeded"' in html
    assert 'value="reinjection_too_soon" id="override-reinjection_too_soon" checked' in html
    assert "Asymmetry" in html  # nothing typed is lost
    assert not Appointment.objects.filter(start_at=in_march(4, 10)).exists()
    both = {**half, "override_rules": ["reinjection_too_soon", "dose_limit_exceeded"]}
    assert client.post("/book/confirm/", both).status_code == 302
    booked = Appointment.objects.get(start_at=in_march(4, 10))
    assert booked.overridden_rules == ["reinjection_too_soon", "dose_limit_exceeded"]


def test_front_desk_sees_every_broken_rule_but_no_boxes(
    client_for, users, patient, doctor, book, frozen
):
    post = too_soon_and_too_much(patient, doctor, book, users, frozen)
    html = client_for("front_desk").post("/book/confirm/", post).content.decode()
    assert "at least 90 days apart" in html and "400-unit limit" in html
    assert "Only a clinician can override" in html
    assert 'name="override_rules"' not in html


def test_the_appointment_page_says_overrides_in_plain_words(
    client_for, users, patient, doctor, book, frozen
):
    post = too_soon_and_too_much(patient, doctor, book, users, frozen)
    client = client_for("clinician")
    client.post(
        "/book/confirm/",
        {**post, "override_reason": "Asymmetry", "override_rules": list(RULE_CODES[:2])},
    )
    booked = Appointment.objects.get(start_at=in_march(4, 10))
    html = client_for("front_desk").get(f"/appointments/{booked.pk}/").content.decode()
    assert "the re-injection interval and the cumulative dose limit" in html
    assert "Asymmetry" in html
    assert not any(code in visible_text(html) for code in RULE_CODES)


def test_the_move_page_lists_the_rules_and_takes_the_ticked_ones(
    client_for, users, patient, doctor, book, frozen
):
    injected_today(patient, book, users, frozen)
    later = book(patient, "injection", datetime(2026, 6, 10, 10, tzinfo=TZ), code="frown-lines")
    client = client_for("clinician")
    move = {"practitioner": doctor.pk, "start": in_march(5, 10).isoformat()}
    refused = client.post(f"/appointments/{later.pk}/move/", move)
    assert refused.status_code == 400
    assert 'name="override_rules" value="reinjection_too_soon"' in refused.content.decode()
    moved = client.post(
        f"/appointments/{later.pk}/move/",
        {**move, "override_reason": "Sooner", "override_rules": "reinjection_too_soon"},
    )
    assert moved.status_code == 302
    later.refresh_from_db()
    assert later.start_at == in_march(5, 10)
    assert AuditEntry.objects.get(appointment=later, action="override").detail["when"] == "moved"


# --- planned units (item 2) -------------------------------------------------------------


def test_front_desk_planning_fewer_units_is_told_why_and_keeps_the_number(
    client_for, users, patient, doctor, book, frozen
):
    PrescriptionFactory(
        appointment__patient=patient, appointment__start_at=in_march(2, 7), units_per_session=155
    )
    post = booking_post(patient, doctor, "injection", in_march(3, 10), planned_units="100")
    page = client_for("front_desk").get("/book/confirm/", post).content.decode()
    assert "155 units per session" in page
    response = client_for("front_desk").post("/book/confirm/", post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Plan at least 155 units" in html
    assert 'value="100"' in html
    assert not Appointment.objects.filter(kind=Kind.INJECTION, practitioner=doctor).exists()
    assert client_for("clinician").post("/book/confirm/", post).status_code == 302


# --- recording and amending an injection (item 1) ---------------------------------------


def injection_to_record(patient, units_per_session=155):
    PrescriptionFactory(
        appointment__patient=patient,
        appointment__start_at=in_march(1, 9),
        units_per_session=units_per_session,
    )
    return AppointmentFactory(
        patient=patient, kind=Kind.INJECTION, start_at=in_march(2, 9), planned_units=155
    )


def test_recording_over_the_prescription_asks_a_clinician_to_tick_and_give_a_reason(
    client_for, patient
):
    with frozen_at(in_march(2, 9, 40)):
        injection = injection_to_record(patient)
        client = client_for("clinician")
        url = f"/appointments/{injection.pk}/complete/"
        lot = LotFactory(lot_number="C3709")
        given = {"units": "300", "lot": str(lot.pk)}
        refused = client.post(url, given)
        assert refused.status_code == 400
        html = refused.content.decode()
        assert "more than the prescription&#x27;s 155 units per session" in html
        assert 'name="override_rules" value="units_over_prescription"' in html
        assert f'value="{lot.pk}" selected' in html
        injection.refresh_from_db()
        assert injection.status == Status.BOOKED
        confirmed = client.post(
            url,
            {**given, "override_reason": "Both sides", "override_rules": "units_over_prescription"},
        )
        assert confirmed.status_code == 302
    injection.refresh_from_db()
    assert injection.status == Status.COMPLETED and injection.units_given == 300
    audit = AuditEntry.objects.get(appointment=injection, action="override")
    assert audit.detail["rules"] == ["units_over_prescription"]


def test_a_clinician_amends_a_record_and_the_page_keeps_the_earlier_values(client_for, patient):
    with frozen_at(in_march(2, 9, 40)):
        injection = injection_to_record(patient)
        client = client_for("clinician")
        given = {"units": "150", "lot": str(LotFactory(lot_number="C3709").pk)}
        other = str(LotFactory(lot_number="C3710").pk)
        assert client.post(f"/appointments/{injection.pk}/complete/", given).status_code == 302
        page = client.get(f"/appointments/{injection.pk}/").content.decode()
        assert "Amend the record" in page
        url = f"/appointments/{injection.pk}/amend/"
        no_reason = client.post(url, {**given, "lot": other})
        assert no_reason.status_code == 400
        assert "Say why the record is amended." in no_reason.content.decode()
        amended = client.post(url, {**given, "lot": other, "reason": "Lot misread"})
        assert amended.status_code == 302
        html = client.get(f"/appointments/{injection.pk}/").content.decode()
    injection.refresh_from_db()
    assert injection.lot == "C3710"
    assert "lot C3709 → C3710" in html
    assert "Lot misread" in html
    assert (
        "Amend the record"
        not in client_for("front_desk").get(f"/appointments/{injection.pk}/").content.decode()
    )
    assert client_for("front_desk").post(url, {**given, "reason": "x"}).status_code == 403


# --- consultation wording for cosmetic courses (item 20) --------------------------------


def test_a_cosmetic_course_is_worded_as_a_consultation_on_the_booking_page(
    client_for, patient, doctor, frozen
):
    html = client_for("front_desk").get(f"/book/?patient={patient.pk}&treatment=frown-lines")
    text = " ".join(visible_text(html.content.decode()).split())
    assert "Appointment kind Consultation Prescription" in text
    assert "Book a consultation first" in text
    assert "diagnosis" not in text.lower() and " exam " not in text
    chosen = client_for("front_desk").get(
        f"/book/?patient={patient.pk}&treatment=frown-lines&kind=exam"
    )
    assert "Consultation for frown lines" in chosen.content.decode()


def test_a_cosmetic_consultation_page_asks_for_no_diagnosis(client_for, patient, book):
    with frozen_at(in_march(2, 8)):
        exam = book(patient, "exam", in_march(2, 9), code="frown-lines")
    with frozen_at(in_march(2, 9, 10)):
        html = client_for("clinician").get(f"/appointments/{exam.pk}/").content.decode()
        assert "Complete the consultation" in html
        assert "Diagnosis" not in html
        assert "Required for a therapeutic" not in html
        done = client_for("clinician").post(
            f"/appointments/{exam.pk}/complete/", {"diagnosis": "Dynamic lines, mild"}
        )
        assert done.status_code == 302
        page = client_for("clinician").get(f"/appointments/{exam.pk}/").content.decode()
    assert "Assessment" in page and "Diagnosis" not in page
    patient_page = client_for("front_desk").get(f"/patients/{patient.pk}/").content.decode()
    assert ">Consultation</span> Frown lines" in patient_page
    day = client_for("front_desk").get("/calendar/?date=2026-03-02").content.decode()
    assert "Consultation · Frown lines" in day
