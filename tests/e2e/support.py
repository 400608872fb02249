"""What the browser tests share: a coming clinic day, its times, a phone's screen, and
signing in as staff."""

from datetime import date, datetime, time, timedelta

from playwright.sync_api import Browser, Page, expect

from tests.clock import TZ

PASSWORD = "pw-for-tests-1"
PHONE = {"width": 360, "height": 740}


def coming_tuesday() -> date:
    """A Tuesday in the future: the browser keeps its own clock, and would drop session
    cookies that expired already."""
    today = datetime.now(TZ).date()
    return today + timedelta(days=8 + (7 - today.weekday()) % 7)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def log_in(browser: Browser, base: str, username: str) -> Page:
    """A desktop page signed in as ``username`` (made with the factories' password)."""
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page
