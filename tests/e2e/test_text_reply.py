"""The front desk answers a patient's text from the inbox, and the thread shows both sides.

Time is frozen (ticking) on a coming weekday morning, inside the sending window; the
day is in the future because the browser keeps its own clock and would drop session
cookies that already expired.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from reminders.models import InboundAction, InboundMessage, Message, Purpose
from reminders.sending import send_sms
from tests.clock import coming_monday, on, ticking_at
from tests.e2e.support import log_in
from tests.factories import PatientFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_front_desk_replies_to_a_text_from_the_inbox_and_sees_it_in_the_thread(
    live_server, browser, shot, settings
):
    settings.SMS_BACKEND = "console"
    settings.SMS_QUIET_HOURS = "20:00-09:00"
    base = live_server.url
    with ticking_at(on(coming_monday() + timedelta(days=1), 10)):
        UserFactory(
            username="frontdesk", first_name="Fran", last_name="Desk", groups=["front_desk"]
        )
        patient = PatientFactory(first_name="Eleanor", last_name="Vance", sms_consent=True)
        InboundMessage.objects.create(
            from_number=patient.phone,
            body="Can I come at 4 instead of 3 on Friday?",
            patient=patient,
            action=InboundAction.OTHER,
        )

        desk = log_in(browser, base, "frontdesk")

        desk.goto(f"{base}/inbox/")
        expect(desk.locator("#inbox")).to_contain_text("Can I come at 4 instead of 3 on Friday?")
        desk.get_by_text("Reply…").click()
        desk.get_by_label("Reply to Eleanor by text").fill(
            "Yes, 4 pm on Friday is fine. See you then!"
        )
        shot(desk, "text-reply-typed")
        desk.get_by_role("button", name="Send reply").click()

        expect(desk.get_by_role("heading", name="Texts with Eleanor Vance")).to_be_visible()
        thread = desk.locator("ol.thread")
        expect(thread.locator("li").nth(0)).to_contain_text("Can I come at 4 instead of 3")
        expect(thread.locator("li").nth(1)).to_contain_text(
            "Lakeshore Clinic: Yes, 4 pm on Friday is fine. See you then!"
        )
        expect(thread.locator("li").nth(1)).to_contain_text("Queued")
        expect(thread.locator("li").nth(1)).to_contain_text("Fran Desk")

        # The worker sends it; the thread then shows its delivery status.
        reply = Message.objects.get(purpose=Purpose.STAFF_REPLY)
        send_sms(message_id=reply.pk)
        desk.reload()
        expect(thread.locator("li").nth(1)).to_contain_text("Reply from staff · Sent")
        shot(desk, "text-reply-thread")

        # Answering the text dealt with it: the inbox has nothing unread.
        desk.goto(f"{base}/inbox/")
        expect(desk.locator("#inbox")).to_contain_text("(0 unread)")
