"""The front desk books a migraine re-injection from the patient page in three clicks.

The patient's last injection was 84 days before a coming Friday, the first day the rules
allow the next one, so the picker must open on that Friday by itself, with the nurse who
gave the last one first. Every click is counted.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from bookings.models import Appointment, Status
from scheduler.models import Kind
from tests.clock import coming_monday, on, ticking_at
from tests.e2e.support import sign_in
from tests.factories import (
    AppointmentFactory,
    PatientFactory,
    PractitionerFactory,
    PrescriptionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Clicks:
    """Clicks the front desk makes, counted as they are made."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def on(self, role: str, name: str | re.Pattern[str]) -> None:
        self.count += 1
        self.page.get_by_role(role, name=name).first.click()  # type: ignore[arg-type]


def migraine_patient_with_an_injection_on(given: date):
    doctor = PractitionerFactory(name="Dr. Amelia Hart")
    nurse = PractitionerFactory(name="Nurse Zoe Young")
    patient = PatientFactory(first_name="Eleanor", last_name="Vance")
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        start_at=on(given - timedelta(days=28), 9),
        status=Status.COMPLETED,
        diagnosis="Chronic migraine",
    )
    rx = PrescriptionFactory(
        appointment__patient=patient,
        appointment__practitioner=doctor,
        appointment__start_at=on(given - timedelta(days=21), 9),
    )
    AppointmentFactory(
        patient=patient,
        practitioner=nurse,
        kind=Kind.INJECTION,
        start_at=on(given, 10),
        status=Status.COMPLETED,
        units_given=155,
        planned_units=155,
        prescription=rx,
    )
    return patient


def test_a_migraine_reinjection_is_booked_from_the_patient_page_in_three_clicks(
    live_server, browser, shot
):
    monday = coming_monday()
    friday = monday + timedelta(days=4)
    with ticking_at(on(monday, 8, 30)):
        UserFactory(username="frontdesk", first_name="Fran", groups=["front_desk"])
        patient = migraine_patient_with_an_injection_on(friday - timedelta(days=84))
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        sign_in(page, live_server.url, "frontdesk")
        page.goto(f"{live_server.url}/patients/{patient.pk}/")
        expect(page.get_by_role("heading", name="Eleanor Vance")).to_be_visible()
        shot(page, "next-step-1-patient-page")

        clicks = Clicks(page)
        clicks.on("link", "Book the injection for migraines and headaches")
        expect(page.locator("#picker-wait")).to_contain_text(
            f"Next injection from {friday:%a} {friday.day} {friday:%b %Y}"
        )
        expect(page.get_by_role("heading", name=re.compile("^Free on"))).to_contain_text(
            f"{friday:%A} {friday.day} {friday:%B}"
        )
        first_group = page.locator("dl.slots dt").first
        expect(first_group).to_contain_text("Nurse Zoe Young")
        shot(page, "next-step-2-picker")
        clicks.on("link", re.compile(r"^09:00 with Nurse Zoe Young"))
        expect(page.get_by_role("heading", name="Confirm the booking")).to_be_visible()
        clicks.on("button", "Book")
        expect(page.locator(".messages")).to_contain_text("Booked: Injection for Eleanor Vance")
        shot(page, "next-step-3-booked")

        assert clicks.count == 3
        booked = Appointment.objects.get(patient=patient, status=Status.BOOKED)
        assert booked.kind == Kind.INJECTION
        assert booked.practitioner.name == "Nurse Zoe Young"
        assert booked.start_at == on(friday, 9)
        assert booked.planned_units == 155
