"""The front desk books from an empty time in a practitioner's week view."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from bookings import services
from bookings.models import Appointment, Status
from tests.clock import coming_monday, on, ticking_at
from tests.e2e.support import sign_in
from tests.factories import PatientFactory, PractitionerFactory, UserFactory, treatment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consultation_is_booked_by_clicking_an_empty_time_in_the_week(live_server, browser, shot):
    monday = coming_monday()
    tuesday = monday + timedelta(days=1)
    with ticking_at(on(monday, 10, 40)):
        desk = UserFactory(username="frontdesk", first_name="Fran", groups=["front_desk"])
        nurse = PractitionerFactory(name="Nurse Zoe Young")
        PractitionerFactory(name="Dr. Amelia Hart")
        regular = PatientFactory(first_name="Ava", last_name="Chen", alerts="Latex allergy")
        services.book_appointment(
            patient=regular,
            practitioner=nurse,
            treatment=treatment("frown-lines"),
            kind="exam",
            start_at=on(tuesday, 9),
            by=desk,
        )
        PatientFactory(first_name="Eleanor", last_name="Vance")
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        sign_in(page, live_server.url, "frontdesk")
        shot(page, "calendar-day")
        page.get_by_role("link", name="Nurse Zoe Young").click()
        expect(page.get_by_role("heading", name=re.compile("^Nurse Zoe Young:"))).to_be_visible()
        expect(page.locator(".now-line")).to_have_count(1)
        expect(page.locator("a.appt", has_text="Ava Chen")).to_contain_text("⚠")
        shot(page, "calendar-week")

        page.get_by_role(
            "link",
            name=f"Book 14:30 on {tuesday:%A} {tuesday.day} {tuesday:%B} with Nurse Zoe Young",
        ).click()
        expect(page.locator("#booking-at")).to_contain_text("14:30 with Nurse Zoe Young")
        page.get_by_label("Find a patient by name or phone").fill("vance")
        page.get_by_role("link", name="Vance, Eleanor").click()
        page.get_by_label("Treatment").select_option(label="Frown lines")
        page.get_by_role("button", name="Next").click()
        expect(page.locator("#booking-at")).to_be_visible()
        page.get_by_role("link", name="Consultation", exact=True).click()
        expect(page.get_by_role("heading", name="Confirm the booking")).to_be_visible()
        page.get_by_role("button", name="Book").click()
        expect(page.locator(".messages")).to_contain_text("Booked: Consultation for Eleanor Vance")

        booked = Appointment.objects.get(patient__last_name="Vance", status=Status.BOOKED)
        assert booked.practitioner == nurse
        assert booked.start_at == on(tuesday, 14, 30)
