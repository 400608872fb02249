"""A cancelled time goes to the waitlist: the front desk cancels on the calendar, the
waiting patient gets the offer text, takes the time on a phone, and the calendar shows it.

A real Celery worker on the real broker runs the offer task queued after the
cancellation's commit, and the send it queues: the text goes through the real Twilio
client to the fake Twilio server, and the link is read from what that server received.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from bookings import services
from bookings.models import Appointment, Status
from bookings.waitlist.entries import add_entry
from bookings.waitlist.models import WaitlistStatus
from reminders.offers.models import OfferStatus, WaitlistOffer
from reminders.texts import spoken_time
from scheduler.models import Kind
from tests.clock import coming_monday, on, ticking_at
from tests.conftest import wait_until
from tests.e2e.support import PHONE, log_in
from tests.factories import (
    PatientFactory,
    PractitionerFactory,
    UserFactory,
    treatment,
)
from tests.histories import written_prescription

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_front_desk_cancels_and_the_waiting_patient_takes_the_time_from_the_text(
    live_server, browser, shot, settings, worker
):
    twilio = worker
    settings.PUBLIC_BASE_URL = live_server.url
    day = coming_monday() + timedelta(days=1)
    with ticking_at(on(day, 9)):
        desk_user = UserFactory(username="frontdesk", groups=["front_desk"])
        doctor = PractitionerFactory(name="Dr. Adams")
        leaving = PatientFactory(first_name="Bruno", last_name="Castellane")
        cancelled = services.book_appointment(
            patient=leaving,
            practitioner=doctor,
            treatment=treatment("migraine"),
            kind=Kind.EXAM,
            start_at=on(day, 11),
            by=desk_user,
        )
        waiting = PatientFactory(
            first_name="Odette", last_name="Vasseur", date_of_birth=date(1975, 4, 9)
        )
        written_prescription(waiting, examined_at=on(day - timedelta(days=30), 9))
        entry = add_entry(
            patient=waiting,
            treatment=treatment("migraine"),
            kind=Kind.INJECTION,
            earliest_on=day,
            latest_on=day + timedelta(days=14),
            by=desk_user,
        )

        desk = log_in(browser, live_server.url, "frontdesk")
        desk.goto(f"{live_server.url}/calendar/?date={day.isoformat()}")
        desk.locator("a.appt", has_text="Bruno Castellane").click()
        panel = desk.locator("#panel")
        panel.locator("summary", has_text="Cancel").click()
        panel.get_by_label("Reason for cancelling").fill("Patient unwell")
        panel.get_by_role("button", name="Cancel the appointment").click()
        expect(desk.locator("a.appt", has_text="Bruno Castellane")).to_have_count(0)
        cancelled.refresh_from_db()
        assert cancelled.status == Status.CANCELLED

        # The offer task ran after the commit; its text went to Twilio with the link.
        wait_until(lambda: twilio.posts_to(waiting.phone))
        offer = WaitlistOffer.objects.get()
        assert (offer.entry_id, offer.status) == (entry.pk, OfferStatus.OFFERED)
        texts = [r["form"] for r in twilio.posts_to(waiting.phone)]
        assert len(texts) == 1, twilio.requests
        body = texts[0]["Body"]
        # The text names the time offered, so the patient knows before opening the link.
        assert f"a time opened up on {spoken_time(on(day, 11))}." in body
        assert "igraine" not in body
        link = next(word for word in body.split() if "/p/" in word)
        assert link.startswith(live_server.url)

        # The desk sees the time held for her on the day's waitlist.
        desk.get_by_role("link", name="Waitlist of the day").click()
        expect(desk.locator(f'[data-offer="{offer.pk}"]')).to_contain_text("Odette Vasseur")
        expect(desk.locator(f'[data-offer="{offer.pk}"]')).to_contain_text("11:00 with Dr. Adams")
        shot(desk, "waitlist-day")

        phone = browser.new_context(viewport=PHONE).new_page()
        phone.goto(link)
        expect(phone.get_by_role("heading", name="First, check it is you")).to_be_visible()
        expect(phone.locator("body")).not_to_contain_text("Odette")
        phone.get_by_label("Your date of birth").fill("1975-04-09")
        phone.get_by_role("button", name="Continue").click()
        expect(phone.get_by_role("heading", name="Hello Odette")).to_be_visible()
        expect(phone.locator("a.start")).to_have_count(1)
        shot(phone, "waitlist-offer-link")
        phone.locator("a.start").click()
        expect(phone.get_by_role("heading", name="Is this right?")).to_be_visible()
        phone.get_by_role("button", name="Book this time").click()
        expect(phone.get_by_role("heading", name="You are booked")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        booked = Appointment.objects.get(patient=waiting, kind=Kind.INJECTION)
        assert (booked.start_at, booked.practitioner_id) == (on(day, 11), doctor.pk)
        entry.refresh_from_db()
        offer.refresh_from_db()
        assert (entry.status, offer.status) == (WaitlistStatus.BOOKED, OfferStatus.ACCEPTED)

        desk.goto(f"{live_server.url}/calendar/?date={day.isoformat()}")
        visit = desk.locator("a.appt", has_text="Odette Vasseur")
        expect(visit).to_have_count(1)
        expect(visit.locator(".from-waitlist")).to_have_text("Waitlist")
        desk.goto(f"{live_server.url}/appointments/{booked.pk}/")
        expect(desk.locator(".booked-by")).to_have_text(
            "The patient, online, from a waitlist offer"
        )
        shot(desk, "waitlist-offer-calendar")
