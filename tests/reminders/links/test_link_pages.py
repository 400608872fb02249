"""The patient's pages: nothing personal before the date of birth, then the front desk's rules."""

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from bookings.models import Appointment, AuditEntry, Status
from reminders.links.tokens import create_link
from reminders.models import RecallStatus
from scheduler.models import Kind
from tests.clock import NOW, at, frozen_at
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory, UserFactory
from tests.histories import cosmetic_patient_injected, given_injection

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

from .support import BIRTH, migraine_patient_due, recall_for, recall_link, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with frozen_at(NOW):
        yield


@pytest.fixture
def doctor():
    return PractitionerFactory(name="Dr. Adams")


def first_start(page: str) -> str:
    """The href of the first offered start on a page."""
    return page.split('class="start" href="')[1].split('"')[0].replace("&amp;", "&")


def book_first(client: Client, token: str) -> "_MonkeyPatchedWSGIResponse":
    page = client.get(f"/p/{token}").content.decode()
    choose = client.get(first_start(page))
    assert choose.status_code == 200
    practitioner = choose.content.decode().split('name="practitioner" value="')[1].split('"')[0]
    start = choose.content.decode().split('name="start" value="')[1].split('"')[0]
    return client.post(f"/p/{token}/book/", {"practitioner": practitioner, "start": start})


def test_the_link_shows_nothing_personal_before_the_date_of_birth(doctor):
    recall = migraine_patient_due()
    token = recall_link(recall)
    response = Client().get(f"/p/{token}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lakeshore Clinic" in page and "+1 416 555 0199" in page
    for private in ("Marguerite", "Zylberstein", "1980", "igraine", "Dr. Adams", "injection"):
        assert private not in page
    assert response["Cache-Control"] == "no-store"


def test_a_wrong_date_of_birth_says_so_and_shows_nothing(doctor):
    token = recall_link(migraine_patient_due())
    response = Client().post(f"/p/{token}", {"date_of_birth": "1980-05-18"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "does not match" in page
    assert "Marguerite" not in page


def test_five_wrong_answers_lock_the_page_for_an_hour_with_the_phone(doctor):
    token = recall_link(migraine_patient_due())
    client = Client()
    for _ in range(4):
        assert client.post(f"/p/{token}", {"date_of_birth": "1999-01-01"}).status_code == 400
    locked = client.post(f"/p/{token}", {"date_of_birth": "1999-01-01"})
    assert locked.status_code == 429
    assert "+1 416 555 0199" in locked.content.decode()
    assert client.post(f"/p/{token}", {"date_of_birth": BIRTH.isoformat()}).status_code == 429
    with frozen_at(NOW + timedelta(hours=1)):
        assert client.post(f"/p/{token}", {"date_of_birth": BIRTH.isoformat()}).status_code == 302


def test_a_verified_visit_lasts_thirty_minutes(doctor):
    token = recall_link(migraine_patient_due())
    client = verified(token)
    assert "Marguerite" in client.get(f"/p/{token}").content.decode()
    with frozen_at(NOW + timedelta(minutes=31)):
        page = client.get(f"/p/{token}").content.decode()
    assert "Marguerite" not in page and "date of birth" in page


def test_an_unknown_or_tampered_token_is_a_plain_404_with_the_phone():
    token = recall_link(migraine_patient_due())
    for bad in ("x" * 22, token[:-2] + "zz", "short"):
        response = Client().get(f"/p/{bad}")
        assert response.status_code == 404
        assert "+1 416 555 0199" in response.content.decode()


def test_a_patient_books_the_next_injection_with_the_front_desks_rules(doctor):
    recall = migraine_patient_due()
    token = recall_link(recall)
    client = verified(token)
    page = client.get(f"/p/{token}").content.decode()
    assert "Dr. Adams" in page and "Monday 2 March" in page
    done = book_first(client, token)
    assert done.status_code == 200, done.content
    assert "You are booked" in done.content.decode()
    appointment = Appointment.objects.get(status=Status.BOOKED, kind=Kind.INJECTION)
    assert appointment.patient == recall.patient
    assert appointment.start_at == at(2026, 3, 2, 9, 0)
    assert appointment.created_by is None
    assert AuditEntry.objects.filter(appointment=appointment, action="booked_online").exists()
    recall.refresh_from_db()
    assert recall.status == RecallStatus.BOOKED
    ics = client.get(f"/p/{token}/visit.ics")
    assert ics.status_code == 200 and ics["Content-Type"] == "text/calendar"
    assert "DTSTART:20260302T140000Z" in ics.content.decode()
    assert "igraine" not in ics.content.decode()
    # The recall is booked: the link has done its work.
    assert client.get(f"/p/{token}").status_code == 410


def test_a_forged_post_without_the_csrf_token_is_refused(doctor):
    token = recall_link(migraine_patient_due())
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/p/{token}", {"date_of_birth": BIRTH.isoformat()}).status_code == 403


def test_an_ended_link_says_so_kindly_with_the_phone(doctor):
    recall = migraine_patient_due()
    token = recall_link(recall)
    recall.status = RecallStatus.DISMISSED
    recall.dismissed_reason = "Moved away"
    recall.save()
    response = Client().get(f"/p/{token}")
    assert response.status_code == 410
    assert "has ended" in response.content.decode()
    assert "+1 416 555 0199" in response.content.decode()


def test_too_soon_starts_are_not_offered_and_a_forced_one_is_refused_in_plain_words(doctor):
    patient = cosmetic_patient_injected(at(2026, 2, 2, 9, 30))
    patient.date_of_birth = BIRTH
    patient.save()
    injection = Appointment.objects.get(patient=patient, kind=Kind.INJECTION)
    token = create_link(recall=recall_for(injection))
    client = verified(token)
    page = client.get(f"/p/{token}").content.decode()
    assert "Next injection from Sun 3 May 2026" in page  # 90 days after 2 Feb
    assert page.index("<h2>Monday 4 May") < page.index("<h2>Tuesday 5 May")  # nearest first
    assert "Monday 2 March" not in page
    forced = client.post(
        f"/p/{token}/book/",
        {"practitioner": doctor.pk, "start": at(2026, 3, 3, 10).isoformat()},
    )
    assert forced.status_code == 400
    assert "at least 90 days apart" in forced.content.decode()
    assert not Appointment.objects.filter(status=Status.BOOKED).exists()


def test_over_the_dose_limit_is_refused_through_the_link(doctor):
    recall = migraine_patient_due()
    given_injection(recall.patient, "neck-pain", at(2026, 2, 23, 10), 350)
    token = recall_link(recall)
    client = verified(token)
    forced = client.post(
        f"/p/{token}/book/",
        {"practitioner": doctor.pk, "start": at(2026, 3, 3, 10).isoformat()},
    )
    assert forced.status_code == 400
    assert "400-unit limit" in forced.content.decode()
    assert not Appointment.objects.filter(status=Status.BOOKED).exists()


def test_without_a_prescription_the_page_says_what_is_needed_not_empty_days(doctor):
    patient = PatientFactory(date_of_birth=BIRTH)
    token = create_link(
        recall=recall_for(given_injection(patient, "migraine", at(2025, 12, 1, 10), 155))
    )
    client = verified(token)
    page = client.get(f"/p/{token}").content.decode()
    assert "cannot book this visit online" in page
    assert 'class="start"' not in page
    forced = client.post(
        f"/p/{token}/book/",
        {"practitioner": doctor.pk, "start": at(2026, 3, 3, 10).isoformat()},
    )
    assert forced.status_code == 400
    assert not Appointment.objects.filter(status=Status.BOOKED).exists()


def test_a_practitioner_not_qualified_is_refused(doctor):
    recall = migraine_patient_due()
    stranger = PractitionerFactory(name="Dr. Other", treatment_types=["frown-lines"])
    token = recall_link(recall)
    client = verified(token)
    forced = client.post(
        f"/p/{token}/book/",
        {"practitioner": stranger.pk, "start": at(2026, 3, 3, 10).isoformat()},
    )
    assert forced.status_code == 400
    assert not Appointment.objects.filter(status=Status.BOOKED).exists()


def test_a_taken_start_answers_with_the_next_free_ones(doctor):
    recall = migraine_patient_due()
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 10), minutes=30)
    token = recall_link(recall)
    client = verified(token)
    taken = client.post(
        f"/p/{token}/book/", {"practitioner": doctor.pk, "start": at(2026, 3, 3, 10).isoformat()}
    )
    assert taken.status_code == 409
    assert "The next free times" in taken.content.decode()


def appointment_link(doctor, start_at):
    patient = PatientFactory(date_of_birth=BIRTH)
    appointment = AppointmentFactory(patient=patient, practitioner=doctor, start_at=start_at)
    return appointment, create_link(appointment=appointment)


def test_an_appointment_link_confirms_and_cancels_until_the_cut_off(doctor):
    appointment, token = appointment_link(doctor, at(2026, 3, 4, 10))
    client = verified(token)
    assert client.post(f"/p/{token}/confirm/").status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert client.post(f"/p/{token}/cancel/").status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert client.get(f"/p/{token}").status_code == 410


def test_within_the_cut_off_cancelling_says_to_call(doctor):
    appointment, token = appointment_link(doctor, at(2026, 3, 3, 7, 59))
    client = verified(token)
    page = client.get(f"/p/{token}").content.decode()
    assert "please call us" in page and "Cancel this visit" not in page
    assert client.post(f"/p/{token}/cancel/").status_code == 400
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_moving_holds_the_new_time_before_freeing_the_old(doctor):
    appointment, token = appointment_link(doctor, at(2026, 3, 4, 10))
    client = verified(token)
    page = client.get(f"/p/{token}?move=1").content.decode()
    assert 'class="start"' in page
    moved = client.post(
        f"/p/{token}/book/", {"practitioner": doctor.pk, "start": at(2026, 3, 5, 11).isoformat()}
    )
    assert moved.status_code == 200, moved.content
    appointment.refresh_from_db()
    assert appointment.start_at == at(2026, 3, 5, 11)
    taken = AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 6, 9), minutes=30)
    refused = client.post(
        f"/p/{token}/book/", {"practitioner": doctor.pk, "start": taken.start_at.isoformat()}
    )
    assert refused.status_code == 409
    appointment.refresh_from_db()
    assert appointment.start_at == at(2026, 3, 5, 11)  # the old time is kept


def test_the_token_never_reaches_the_request_logs(doctor, caplog):
    token = recall_link(migraine_patient_due())
    with caplog.at_level(logging.INFO):
        Client().get(f"/p/{token}")
        Client().get(f"/p/{token}zz")  # 404, logged by django.request too
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/p/***" in text
    assert token not in text


def test_staff_see_a_booking_made_online_on_the_appointment_and_the_calendar(doctor):
    token = recall_link(migraine_patient_due())
    assert book_first(verified(token), token).status_code == 200
    appointment = Appointment.objects.get(status=Status.BOOKED, kind=Kind.INJECTION)
    staff = Client()
    staff.force_login(UserFactory(groups=["front_desk"]))
    page = staff.get(f"/appointments/{appointment.pk}/").content.decode()
    assert "Booked by" in page and "The patient, online" in page
    calendar = staff.get("/calendar/?date=2026-03-02").content.decode()
    assert "booked by the patient online" in calendar
    week = f"/calendar/week/?practitioner={appointment.practitioner_id}&date=2026-03-02"
    assert 'class="online"' in staff.get(week).content.decode()
    staff_booked = AppointmentFactory(
        practitioner=doctor, start_at=at(2026, 3, 2, 14), created_by=UserFactory(username="desk2")
    )
    assert "desk2" in staff.get(f"/appointments/{staff_booked.pk}/").content.decode()
    assert calendar.count("booked by the patient online") == 1


def test_every_step_without_a_verified_visit_goes_back_to_the_date_of_birth(doctor):
    token = recall_link(migraine_patient_due())
    client = Client()
    start = at(2026, 3, 3, 10).isoformat()
    for response in (
        client.get(f"/p/{token}/choose/", {"practitioner": doctor.pk, "start": start}),
        client.post(f"/p/{token}/book/", {"practitioner": doctor.pk, "start": start}),
        client.get(f"/p/{token}/visit.ics"),
    ):
        assert response.status_code == 302 and response["Location"] == f"/p/{token}"
    assert not Appointment.objects.filter(status=Status.BOOKED).exists()


def test_a_review_link_offers_the_review(doctor):
    from reminders.models import RecallKind

    patient = cosmetic_patient_injected(at(2026, 2, 16, 9, 30))
    patient.date_of_birth = BIRTH
    patient.save()
    injection = Appointment.objects.get(patient=patient, kind=Kind.INJECTION)
    token = create_link(recall=recall_for(injection, kind=RecallKind.REVIEW))
    client = verified(token)
    page = client.get(f"/p/{token}").content.decode()
    assert "book your next review" in page and 'class="start"' in page
    assert book_first(client, token).status_code == 200
    assert Appointment.objects.get(patient=patient, status=Status.BOOKED).kind == Kind.REVIEW
