"""A manager's journey through the follow-ups dashboard, in Chromium (Playwright)."""

import csv
import io
from pathlib import Path

import pytest

from scheduler import clock
from tests.e2e.support import sign_in
from tests.factories import UserFactory
from tests.reminders.dashboard.clinic import seed_small_clinic

# The catalogue and role groups a flush removes are put back by tests/conftest.py.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_sees_who_to_call_filters_by_treatment_and_downloads_the_list(
    live_server, page, shot
):
    clinic = seed_small_clinic(clock.today())
    UserFactory(username="manager", first_name="Morgan", groups=["manager"])
    sign_in(page, live_server.url, "manager")

    page.goto(f"{live_server.url}/follow-ups/")
    assert page.locator("h1").inner_text() == "Follow-ups"
    # The chart was drawn (Chart.js served from our static files) ...
    page.wait_for_function("Chart.getChart(document.getElementById('due-chart')) !== undefined")
    datasets = page.evaluate(
        "Chart.getChart(document.getElementById('due-chart')).data.datasets.map(d => d.label)"
    )
    assert datasets == ["Booked", "Reminded, not booked", "Not reminded yet"]
    # Its colours are the stylesheet's, not a second copy in the script.
    colours = page.evaluate(
        "Chart.getChart(document.getElementById('due-chart')).data.datasets"
        ".map(d => d.backgroundColor)"
    )
    variables = page.evaluate(
        "['--chart-booked', '--chart-reminded', '--chart-pending'].map(name =>"
        " getComputedStyle(document.documentElement).getPropertyValue(name).trim())"
    )
    assert colours == variables and all(colours)
    # ... and both lists name the patients to call.
    assert page.get_by_test_id("overdue-count").inner_text() == "3"
    overdue = page.locator("#overdue-table tbody tr")
    assert overdue.count() == 3
    assert "Bea Lopez" in overdue.nth(0).inner_text()
    assert "number not a mobile" in page.locator("#overdue-table").inner_text()
    assert page.locator("#reminded-table tbody tr").count() == 1
    path = shot(page, "dashboard")  # 1366 × 768, what a manager sees first
    page.screenshot(path=str(path.with_name("dashboard-full.png")), full_page=True)

    # Filter by treatment: the choice lands in the address, so the view can be shared.
    page.select_option("#id_treatment_type", "frown-lines")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "treatment_type=frown-lines" in page.url
    assert page.locator("#overdue-table tbody tr").count() == 1
    assert "Kim Lopez" in page.locator("#overdue-table").inner_text()

    # The patient's page is one click away for the front desk.
    href = page.locator("#overdue-table a", has_text="Kim Lopez").get_attribute("href")
    assert href == f"/patients/{clinic.recalls['kim'].patient_id}/"

    with page.expect_download() as download:
        page.locator("#overdue a", has_text="Download CSV").click()
    assert download.value.suggested_filename.startswith("overdue-not-booked-")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [row["Patient"] for row in rows] == ["Kim Lopez"]
    assert rows[0]["Last SMS problem"] == "patient opted out"


def test_the_front_desk_is_refused_the_dashboard(live_server, page):
    UserFactory(username="desk", groups=["front_desk"])
    sign_in(page, live_server.url, "desk")
    response = page.goto(f"{live_server.url}/follow-ups/")
    assert response.status == 403
