"""What the browser tests share beyond the clock (tests/clock.py): a phone's screen and
signing in as staff."""

from playwright.sync_api import Browser, Page, expect

PASSWORD = "pw-for-tests-1"
PHONE = {"width": 360, "height": 740}


def log_in(browser: Browser, base: str, username: str) -> Page:
    """A desktop page signed in as ``username`` (made with the factories' password)."""
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page
