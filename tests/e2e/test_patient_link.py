"""A patient books the next injection from the link in a real recall text, on a phone.

The text is the one the outbox sent, read where a phone would get it: from the fake
Twilio server (the outbox keeps the link masked). The browser is 360×740. Time is frozen
(ticking) on a coming weekday morning, in the future because the browser keeps its own
clock.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from bookings.models import Appointment, Status
from reminders.models import Message, MessageStatus, Purpose, RecallStatus
from reminders.sending import send_sms
from reminders.sweeps import sweep_recalls
from scheduler import clock
from scheduler.models import Kind
from tests.clock import coming_monday, on, ticking_at
from tests.e2e.support import PHONE, log_in
from tests.factories import PatientFactory, PractitionerFactory, UserFactory
from tests.histories import given_injection, written_prescription
from tests.reminders.links.support import recall_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_books_from_the_recall_text_and_staff_see_it_booked_online(
    live_server, browser, shot, settings, twilio
):
    settings.SMS_MAX_PER_DAY = 3
    settings.PUBLIC_BASE_URL = live_server.url
    day = coming_monday() + timedelta(days=1)
    with ticking_at(on(day, 10)):
        UserFactory(username="frontdesk", groups=["front_desk"])
        PractitionerFactory(name="Dr. Adams")
        patient = PatientFactory(
            first_name="Marguerite", last_name="Zylberstein", date_of_birth=date(1980, 5, 17)
        )
        written_prescription(patient, examined_at=on(day - timedelta(days=100), 9))
        recall = recall_for(
            given_injection(patient, "migraine", on(day - timedelta(days=90), 11), 155)
        )

        sweep_recalls()
        text = Message.objects.get(recall=recall)
        assert send_sms(message_id=text.pk) == MessageStatus.SENT
        [received] = twilio.posts_to(patient.phone)
        link = next(word for word in received["form"]["Body"].split() if "/p/" in word)
        assert link.startswith(live_server.url)
        assert link not in str(list(Message.objects.values()))

        phone = browser.new_context(viewport=PHONE).new_page()
        phone.goto(link)
        expect(phone.get_by_role("heading", name="First, check it is you")).to_be_visible()
        expect(phone.locator("body")).not_to_contain_text("Marguerite")
        phone.get_by_label("Your date of birth").fill("1980-05-17")
        phone.get_by_role("button", name="Continue").click()
        expect(phone.get_by_role("heading", name="Hello Marguerite")).to_be_visible()
        shot(phone, "patient-link-starts")
        phone.locator("a.start").first.click()
        expect(phone.get_by_role("heading", name="Is this right?")).to_be_visible()
        phone.get_by_role("button", name="Book this time").click()
        expect(phone.get_by_role("heading", name="You are booked")).to_be_visible()
        expect(phone.get_by_role("link", name="Add to my calendar")).to_be_visible()
        shot(phone, "patient-link-booked")
        # Nothing is wider than the phone.
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        booked = Appointment.objects.get(patient=patient, kind=Kind.INJECTION, status=Status.BOOKED)
        recall.refresh_from_db()
        assert recall.status == RecallStatus.BOOKED
        confirmation = Message.objects.get(purpose=Purpose.BOOKING_CONFIRMATION)
        assert send_sms(message_id=confirmation.pk) == MessageStatus.SENT
        assert "your visit is booked" in twilio.posts_to(patient.phone)[-1]["form"]["Body"]

        desk = log_in(browser, live_server.url, "frontdesk")
        desk.goto(f"{live_server.url}/calendar/?date={clock.local_date(booked.start_at)}")
        expect(desk.locator(".online")).to_have_count(1)
        desk.goto(f"{live_server.url}/appointments/{booked.pk}/")
        expect(desk.locator(".booked-by")).to_have_text("The patient, online")
