"""Registering someone who may already be on file: warned, nothing lost, and only a tick
that says it is a different person registers them."""

from datetime import date

import pytest
from playwright.sync_api import expect

from bookings.models import Patient
from tests.clock import coming_monday, on, ticking_at
from tests.e2e.support import sign_in
from tests.factories import PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_duplicate_warning_keeps_what_was_typed_until_ticked(live_server, browser, shot):
    monday = coming_monday()
    with ticking_at(on(monday, 8, 30)):
        UserFactory(username="frontdesk", first_name="Fran", groups=["front_desk"])
        PatientFactory(
            first_name="Eleanor",
            last_name="Vance",
            date_of_birth=date(1984, 6, 1),
            phone="+15145550100",
        )
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        sign_in(page, live_server.url, "frontdesk")
        page.goto(f"{live_server.url}/patients/new/")
        page.get_by_label("First name").fill("Éléanor")
        page.get_by_label("Last name").fill("Vance")
        page.get_by_label("Date of birth").fill("1984-06-01")
        page.get_by_label("Mobile phone").fill("416 555 0142")
        page.get_by_label("Alerts (optional)").fill("Needle-phobic <be gentle>")
        page.get_by_label("Address (optional)").fill("12 Queen St W")
        page.get_by_role("button", name="Register").click()

        warning = page.locator("#possible-duplicates")
        expect(warning).to_contain_text("This patient may already be registered")
        expect(warning.get_by_role("link", name="Eleanor Vance")).to_be_visible()
        expect(page.get_by_label("First name")).to_have_value("Éléanor")
        expect(page.get_by_label("Alerts (optional)")).to_have_value("Needle-phobic <be gentle>")
        expect(page.get_by_label("Address (optional)")).to_have_value("12 Queen St W")
        shot(page, "duplicate-warning")
        assert Patient.objects.count() == 1

        page.get_by_label("this is a different person").check()
        page.get_by_role("button", name="Register").click()
        expect(page.get_by_role("heading", name="Éléanor Vance")).to_be_visible()
        expect(page.get_by_role("note")).to_contain_text("Needle-phobic <be gentle>")
        page.get_by_label("Add a note").fill("Prefers a call after 17:00")
        page.get_by_role("button", name="Add the note").click()
        expect(page.locator(".notes")).to_contain_text("Prefers a call after 17:00")
        expect(page.locator(".notes")).to_contain_text("(front desk)")
        shot(page, "patient-page-record")
        assert Patient.objects.count() == 2
