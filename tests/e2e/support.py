"""What the browser tests share beyond the clock (tests/clock.py): a phone's screen,
signing in as staff, and choosing a start in the booking picker."""

import re

from playwright.sync_api import Browser, Page, expect

PASSWORD = "pw-for-tests-1"
PHONE = {"width": 360, "height": 740}


def log_in(browser: Browser, base: str, username: str) -> Page:
    """A new desktop page signed in as ``username`` (made with the factories' password)."""
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in(page, base, username)
    return page


def sign_in(page: Page, base: str, username: str) -> None:
    """This page signed in as ``username``."""
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def choose_slot(page: Page, practitioner: str, clock_time: str | None = None) -> None:
    name = re.compile(rf"^{clock_time or '..:..'} with {re.escape(practitioner)}")
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", name="Confirm the booking")).to_be_visible()
