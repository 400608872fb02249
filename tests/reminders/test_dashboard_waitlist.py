"""The follow-ups dashboard's waitlist part: freed, offered, filled, fill rate and median
time to fill, in words, in the same queries however many times were freed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reminders.offers.models import FreedSource, FreedTime, WaitlistOffer
from reminders.waitlist_pages.figures import duration_words
from tests.clock import NOW, at
from tests.factories import PractitionerFactory, UserFactory
from tests.waitlist import ready_patient, wait

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def freed(doctor, hour: int, *, filled_after: int | None = None) -> FreedTime:
    start = at(2026, 3, 4, hour)
    return FreedTime.objects.create(
        practitioner=doctor,
        start_at=start,
        end_at=start + timedelta(minutes=30),
        source=FreedSource.CANCELLED,
        freed_at=NOW - timedelta(days=1),
        filled_at=NOW - timedelta(days=1) + timedelta(minutes=filled_after)
        if filled_after is not None
        else None,
    )


@pytest.fixture
def manager() -> Client:
    client = Client()
    client.force_login(UserFactory(groups=["manager"]))
    return client


def test_the_dashboard_shows_the_waitlist_figures_in_words(manager):
    doctor = PractitionerFactory()
    first = freed(doctor, 9, filled_after=45)
    freed(doctor, 10, filled_after=200)
    freed(doctor, 11, filled_after=95)
    freed(doctor, 12)
    entry = wait(ready_patient(), waiting_since=at(2026, 2, 1))
    WaitlistOffer.objects.create(
        entry=entry, freed_time=first, offered_at=NOW, hold_until=NOW + timedelta(minutes=20)
    )
    html = manager.get("/follow-ups/").content.decode()
    table = html.split('id="waitlist-figures"', 1)[1].split("</table>", 1)[0]
    cells = [c.split("</td>")[0] for c in table.split("<td>")[1:]]
    assert cells == ["4 times, 120 min", "1", "3 times, 90 min", "75%", "1 h 35 min"]
    assert '<strong data-testid="fill-rate">75%</strong>' in html


def test_nothing_freed_shows_dashes_not_zero_percent(manager):
    html = manager.get("/follow-ups/").content.decode()
    assert '<strong data-testid="fill-rate">–</strong>' in html
    assert "<td>0 times, 0 min</td>" in html


def test_the_waitlist_part_costs_the_same_for_one_freed_time_or_many(
    manager, django_assert_max_num_queries
):
    doctor = PractitionerFactory()
    freed(doctor, 8, filled_after=5)
    manager.get("/follow-ups/")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager.get("/follow-ups/").status_code == 200
        return len(captured)

    one = count()
    for hour in range(9, 17):
        freed(doctor, hour, filled_after=hour)
    with django_assert_max_num_queries(one):
        assert manager.get("/follow-ups/").status_code == 200


def test_durations_are_said_as_staff_say_them():
    assert [duration_words(m) for m in (45, 60, 200, 24 * 60, 2 * 24 * 60 + 65)] == [
        "45 min",
        "1 h",
        "3 h 20 min",
        "1 day",
        "2 days 1 h",
    ]
