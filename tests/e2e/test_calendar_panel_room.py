"""The calendar's side panel takes its own room: no column is hidden under it."""

import pytest
from playwright.sync_api import expect

from bookings import services
from tests.clock import coming_monday, on, ticking_at
from tests.e2e.support import sign_in
from tests.factories import PatientFactory, PractitionerFactory, UserFactory, treatment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_opening_the_panel_narrows_the_calendar_instead_of_covering_it(live_server, browser, shot):
    monday = coming_monday()
    with ticking_at(on(monday, 8, 30)):
        desk = UserFactory(username="frontdesk", first_name="Fran", groups=["front_desk"])
        for name in ("Dr. Amelia Hart", "Dr. Ben Okafor", "Nurse Zoe Young", "Zz Last Column"):
            doctor = PractitionerFactory(name=name)
        patient = PatientFactory(
            first_name="Ava", last_name="Chen", alerts="Latex allergy <b>bold?</b>"
        )
        services.book_appointment(
            patient=patient,
            practitioner=doctor,
            treatment=treatment("frown-lines"),
            kind="exam",
            start_at=on(monday, 14),
            by=desk,
        )
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        sign_in(page, live_server.url, "frontdesk")
        # htmx loads deferred: clicked before it runs, the link opens the full page instead
        # of the panel (seen once on a loaded machine).
        page.wait_for_load_state("load")
        page.locator("a.appt", has_text="Ava Chen").click()
        panel = page.locator("#panel")
        expect(panel).to_contain_text("Latex allergy <b>bold?</b>")
        expect(panel.get_by_label("Add a note")).to_be_visible()
        last = page.locator(".col-head").last
        expect(last).to_contain_text("Zz Last Column")
        column_right = last.bounding_box()["x"] + last.bounding_box()["width"]
        assert column_right <= panel.bounding_box()["x"] + 1
        shot(page, "calendar-day-panel")


def test_today_opens_scrolled_to_the_current_time(live_server, browser):
    monday = coming_monday()
    with ticking_at(on(monday, 15, 30)):
        UserFactory(username="frontdesk", first_name="Fran", groups=["front_desk"])
        PractitionerFactory(name="Dr. Amelia Hart")
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        sign_in(page, live_server.url, "frontdesk")
        expect(page.locator(".now-line")).to_have_count(1)
        assert page.locator(".cal-scroll").evaluate("el => el.scrollTop") > 0
        expect(page.locator(".now-line")).to_be_in_viewport()
        expect(page.locator(".ruler span", has_text="16:00")).to_be_in_viewport()
