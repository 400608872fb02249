"""The calendar day-page bench at a tiny size, so its code cannot rot; no timing asserted."""

import pytest

from benchmarks import calendar
from benchmarks.report import OVER, PASS
from benchmarks.sizes import QUICK
from bookings.models import Appointment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_calendar_bench_fills_the_day_and_compares_queries_with_a_quiet_one():
    rows = calendar.run(QUICK)
    assert [r.what for r in rows] == ["GET /calendar/", "queries independent of the day's size"]
    assert rows[0].verdict in (PASS, OVER)
    assert rows[1].verdict == PASS  # the day page's queries do not grow with the day
    assert Appointment.objects.count() == QUICK.calendar_practitioners * QUICK.calendar_appointments
