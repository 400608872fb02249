"""The front desk's waitlist day page: the day's free times with who could take them
(every rule applied, in waiting order), the entries waiting, and its query count."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bookings import services
from bookings.waitlist.entries import mark_booked
from reminders.offers.models import WaitlistOffer
from tests.clock import at
from tests.factories import AppointmentFactory, PatientFactory, treatment
from tests.waitlist import FREED_AT, ready_patient, wait, waitlist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
URL = "/waitlist/?date=2026-03-03"


def fill_the_day(doctor, *, leave_free=None):
    """Thirty-minute visits all Tuesday; the one at ``leave_free`` is then cancelled."""
    start = at(2026, 3, 3, 9)
    while start < at(2026, 3, 3, 17):
        visit = AppointmentFactory(practitioner=doctor, start_at=start)
        if start == leave_free:
            services.cancel_appointment(appointment=visit, by=None, reason="Unwell")
        start += timedelta(minutes=30)


def entry_ids(html: str, section: str, end: str = "</section>") -> list[int]:
    part = html.split(section, 1)[1].split(end, 1)[0]
    return [int(chunk.split('"', 1)[0]) for chunk in part.split('data-entry="')[1:]]


def test_a_cancelled_time_lists_exactly_who_may_take_it_in_waiting_order(client_for):
    w = waitlist()
    fill_the_day(w.doctor, leave_free=FREED_AT)
    response = client_for("front_desk").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    # The time given back comes first, before other practitioners' empty days.
    first = html.split('class="free-time"', 2)[1]
    assert "10:00 with Dr. Waits" in first and "free until 10:30" in first
    assert "given back: cancellation" in first
    # Too soon after an injection, and over the dose limit: not listed.
    assert entry_ids(first, "<ul") == [w.first.pk, w.second.pk, w.third.pk, w.fourth.pk]
    # All six wait for a time that day, whatever the rules say at 10:00.
    assert len(entry_ids(html, 'id="waiting-h"')) == 6


def test_a_full_day_has_no_free_time(client_for):
    w = waitlist()
    fill_the_day(w.doctor)
    html = client_for("manager").get(URL).content.decode()
    assert f'data-practitioner="{w.doctor.pk}"' not in html


def test_a_bad_date_says_so_and_shows_today(client_for):
    response = client_for("front_desk").get("/waitlist/?date=2026-02-30")
    assert response.status_code == 200
    assert "is not a date; showing today" in response.content.decode()


def test_the_page_costs_the_same_queries_for_a_short_or_long_list(
    client_for, django_assert_max_num_queries
):
    w = waitlist()
    fill_the_day(w.doctor, leave_free=FREED_AT)
    client = client_for("front_desk")
    client.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    short = count()
    for _ in range(60):
        wait(ready_patient(), waiting_since=w.fourth.created_at + timedelta(hours=1))
    with django_assert_max_num_queries(short):
        assert client.get(URL).status_code == 200


def test_the_calendar_marks_a_visit_taken_from_the_waitlist(client_for, users):
    w = waitlist()
    taken = AppointmentFactory(
        practitioner=w.doctor, patient=w.first.patient, kind="injection", start_at=FREED_AT
    )
    other = AppointmentFactory(practitioner=w.doctor, start_at=at(2026, 3, 3, 11))
    mark_booked(entry=w.first, appointment=taken, by=users["front_desk"])
    html = client_for("front_desk").get("/calendar/?date=2026-03-03").content.decode()
    assert html.count('class="from-waitlist"') == 1
    visit = html.split(f"/appointments/{taken.pk}/", 1)[1].split("</a>", 1)[0]
    assert "from the waitlist" in visit and f"/appointments/{other.pk}/" not in visit


def offer_fields(w, start=FREED_AT) -> dict[str, str]:
    return {"practitioner": str(w.doctor.pk), "start": start.isoformat(), "next": URL}


def test_one_click_offers_the_time_by_text_and_shows_it_pending(client_for, settings):
    settings.SMS_QUIET_HOURS = ""
    w = waitlist()
    fill_the_day(w.doctor, leave_free=FREED_AT)
    client = client_for("front_desk")
    response = client.post(f"/waitlist/{w.second.pk}/offer/", offer_fields(w))
    assert response.status_code == 302 and response["Location"] == URL
    offer = WaitlistOffer.objects.get(entry=w.second)
    assert offer.offered_by is not None and offer.message is not None
    assert offer.message.purpose == "waitlist_offer"
    html = client.get(URL).content.decode()
    assert f'data-offer="{offer.pk}"' in html and "held until 08:20" in html
    assert "is offered Tue 3 Mar, 10:00 by text" in html
    card = client.get(f"/patients/{w.second.patient_id}/").content.decode()
    assert "Offered Tue 3 Mar, 10:00 with Dr. Waits: texted, held for them until 08:20" in card


def test_an_offer_the_rules_refuse_is_said_and_nothing_is_sent(client_for):
    w = waitlist()
    fill_the_day(w.doctor, leave_free=FREED_AT)
    client = client_for("front_desk")
    response = client.post(f"/waitlist/{w.too_soon.pk}/offer/", offer_fields(w), follow=True)
    assert "does not suit this waitlist entry now" in response.content.decode()
    bad = client.post(f"/waitlist/{w.first.pk}/offer/", {"start": "soon"}, follow=True)
    assert "nothing was sent" in bad.content.decode()
    assert WaitlistOffer.objects.count() == 0


def test_managers_read_the_day_but_cannot_offer(client_for):
    w = waitlist()
    fill_the_day(w.doctor, leave_free=FREED_AT)
    client = client_for("manager")
    html = client.get(URL).content.decode()
    assert f'data-entry="{w.first.pk}"' in html and "Offer by text" not in html
    assert client.post(f"/waitlist/{w.first.pk}/offer/", offer_fields(w)).status_code == 403
    assert WaitlistOffer.objects.count() == 0


def test_an_offer_without_the_csrf_token_is_refused(users):
    w = waitlist()
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["front_desk"])
    assert client.post(f"/waitlist/{w.first.pk}/offer/", offer_fields(w)).status_code == 403
    assert WaitlistOffer.objects.count() == 0


def test_the_offer_is_confirmed_in_the_clinics_clock(client_for, settings):
    settings.SMS_QUIET_HOURS = ""
    settings.CLINIC_CLOCK = "12h"
    w = waitlist()
    fill_the_day(w.doctor, leave_free=FREED_AT)
    client = client_for("front_desk")
    client.post(f"/waitlist/{w.second.pk}/offer/", offer_fields(w))
    assert "is offered Tue 3 Mar, 10:00 AM by text" in client.get(URL).content.decode()


def test_a_cosmetic_first_visit_waits_as_a_consultation(client_for):
    """Where it may take a free time and in the list of who waits: never "exam"."""
    w = waitlist()
    fill_the_day(w.doctor, leave_free=FREED_AT)
    cosmetic = wait(
        PatientFactory(),
        waiting_since=at(2026, 2, 20, 9),
        treatment=treatment("frown-lines"),
        kind="exam",
    )
    html = client_for("front_desk").get(URL).content.decode()
    shown = [
        part.split("</li>", 1)[0].split("</tr>", 1)[0].lower()
        for part in html.split(f'data-entry="{cosmetic.pk}"')[1:]
    ]
    assert len(shown) >= 2  # offered for the free time, and in the list of who waits
    assert all("consultation" in row and not re.search(r"\bexam\b", row) for row in shown)
