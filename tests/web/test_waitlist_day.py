"""The front desk's waitlist day page: the day's free times with who could take them
(every rule applied, in waiting order), the entries waiting, and its query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Status
from bookings.waitlist.entries import mark_booked
from tests.clock import at
from tests.factories import AppointmentFactory
from tests.waitlist import FREED_AT, ready_patient, wait, waitlist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
URL = "/waitlist/?date=2026-03-03"


def fill_the_day(doctor, *, leave_free=None):
    """Thirty-minute visits all Tuesday, one left cancelled at ``leave_free``."""
    start = at(2026, 3, 3, 9)
    while start < at(2026, 3, 3, 17):
        status = Status.CANCELLED if start == leave_free else Status.BOOKED
        AppointmentFactory(practitioner=doctor, start_at=start, status=status)
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
    assert "cancelled, given back" in first
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


def test_the_page_costs_the_same_queries_for_a_short_or_long_list(client_for):
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
    assert count() == short


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
