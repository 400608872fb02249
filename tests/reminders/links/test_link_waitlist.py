"""A recall link's "Put me on the waitlist": the step is the link's, the patient chooses
the dates; refusals in words with what was typed kept; nothing before the date of birth."""

import pytest
from django.test import Client

from bookings.waitlist.models import WaitlistEntry
from reminders.links.tokens import create_link
from tests.clock import at
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory

from .support import BIRTH, migraine_patient_due, recall_link, verified

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def token() -> str:
    PractitionerFactory(name="Dr. Adams")
    return recall_link(migraine_patient_due())


def test_the_recall_page_offers_the_waitlist_and_the_patient_joins(token):
    client = verified(token)
    assert f"/p/{token}/waitlist/" in client.get(f"/p/{token}").content.decode()
    form = client.get(f"/p/{token}/waitlist/")
    assert form.status_code == 200
    assert 'value="2026-03-02"' in form.content.decode()
    done = client.post(
        f"/p/{token}/waitlist/",
        {"earliest_on": "2026-03-03", "latest_on": "2026-03-20", "parts_of_day": ["morning"]},
    )
    assert done.status_code == 200
    assert "You are on the waitlist" in done.content.decode()
    entry = WaitlistEntry.objects.get()
    assert (entry.kind, entry.treatment_type.code, entry.parts_of_day) == (
        "injection",
        "migraine",
        ["morning"],
    )
    assert entry.created_by is None


def test_dates_the_wrong_way_round_are_said_by_the_field_and_kept(token):
    client = verified(token)
    answer = client.post(
        f"/p/{token}/waitlist/", {"earliest_on": "2026-03-20", "latest_on": "2026-03-03"}
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "The latest date must be on or after the earliest date." in page
    assert 'value="2026-03-20"' in page and 'value="2026-03-03"' in page
    assert WaitlistEntry.objects.count() == 0


def test_asking_twice_says_so_kindly(token):
    client = verified(token)
    fields = {"earliest_on": "2026-03-03", "latest_on": "2026-03-20"}
    assert client.post(f"/p/{token}/waitlist/", fields).status_code == 200
    again = client.post(f"/p/{token}/waitlist/", fields)
    assert again.status_code == 400
    assert "You are already on the waitlist for this visit." in again.content.decode()
    assert WaitlistEntry.objects.count() == 1


def test_nothing_before_the_date_of_birth(token):
    client = Client()
    answer = client.post(
        f"/p/{token}/waitlist/", {"earliest_on": "2026-03-03", "latest_on": "2026-03-20"}
    )
    assert answer.status_code == 302 and answer["Location"] == f"/p/{token}"
    assert client.get(f"/p/{token}/waitlist/").status_code == 302
    assert WaitlistEntry.objects.count() == 0


def test_a_booked_patient_asks_for_an_earlier_time_from_the_appointment_link():
    doctor = PractitionerFactory(name="Dr. Adams")
    visit = AppointmentFactory(
        patient=PatientFactory(date_of_birth=BIRTH), practitioner=doctor, start_at=at(2026, 3, 20)
    )
    token = create_link(appointment=visit)
    client = verified(token)
    assert f"/p/{token}/waitlist/" in client.get(f"/p/{token}").content.decode()
    form = client.get(f"/p/{token}/waitlist/").content.decode()
    assert "Ask for an earlier time" in form
    # Up to the day before the visit: only earlier times are asked for.
    assert 'value="2026-03-02"' in form and 'value="2026-03-19"' in form
    done = client.post(
        f"/p/{token}/waitlist/", {"earliest_on": "2026-03-03", "latest_on": "2026-03-19"}
    )
    assert done.status_code == 200 and "Your visit stays booked" in done.content.decode()
    entry = WaitlistEntry.objects.get()
    assert (entry.appointment_id, entry.kind) == (visit.pk, visit.kind)
