"""The demo clinic has work today and tomorrow whatever the hour a newcomer starts it."""

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from benchmarks.demo import seed
from bookings.models import LIVE_STATUSES, Appointment, Status
from bookings.waitlist.read import list_entries
from reminders.models import Message, Purpose
from reminders.offers.figures import get_waitlist_figures
from reminders.offers.models import FreedTime, OfferStatus
from scheduler import clock
from tests.clock import TZ, frozen_at

pytestmark = pytest.mark.django_db

# A Wednesday in the clinic's zone; the hours a newcomer is likely to try it, and worse.
HOURS = [time(19, 0), time(23, 30), time(3, 0), time(7, 10), time(12, 0)]


def on(day) -> list[Appointment]:
    start = clock.at(day, time(0))
    return list(
        Appointment.objects.filter(
            start_at__gte=start, start_at__lt=start + timedelta(days=1), status__in=LIVE_STATUSES
        ).select_related("patient")
    )


@pytest.mark.parametrize("hour", HOURS, ids=lambda t: t.strftime("%H%M"))
def test_today_and_tomorrow_have_work_at_any_hour(hour):
    with frozen_at(datetime.combine(datetime(2026, 3, 4), hour, tzinfo=TZ)):
        seed("demo-pass-1")
        today = clock.today()
        todays, tomorrows = on(today), on(today + timedelta(days=1))
        assert len(todays) >= 4, [str(a) for a in todays]
        assert len(tomorrows) >= 2
        # Something to act on today: check in (or record) one, mark or undo a no-show.
        assert any(a.status in (Status.BOOKED, Status.CONFIRMED) for a in todays)

        client = Client()
        first = Appointment.objects.first()
        assert first is not None and first.created_by is not None
        client.force_login(first.created_by)
        page = client.get("/calendar/").content.decode()
        assert sum(a.patient.last_name in page for a in todays) == len(todays)
        waitlist_is_shown(today)


def waitlist_is_shown(today) -> None:
    """Who waits (with a practitioner, mornings only, booked later), and a freed time on offer."""
    waiting = list(list_entries(status="waiting")) + list(list_entries(status="offered"))
    assert any(e.practitioner_id for e in waiting)
    assert any(e.parts_of_day == ["morning"] for e in waiting)
    assert any(e.appointment_id for e in waiting)
    freed = FreedTime.objects.get()
    assert freed.appointment is not None and freed.appointment.status == Status.CANCELLED
    assert clock.local_date(freed.start_at) in (today, today + timedelta(days=1))
    assert freed.start_at > clock.now() and freed.closed_at is None
    offers = list(freed.offers.all())
    assert offers and all(o.status == OfferStatus.OFFERED for o in offers)
    assert Message.objects.filter(purpose=Purpose.WAITLIST_OFFER).count() == len(offers)
    figures = get_waitlist_figures(first=today, last=today)
    assert (figures.freed_count, figures.offers_sent) == (1, len(offers))


@pytest.mark.parametrize("hour", [time(19, 0), time(23, 30)], ids=["1900", "2330"])
def test_after_clinic_hours_a_visit_of_today_can_still_be_walked(hour):
    with frozen_at(datetime.combine(datetime(2026, 3, 4), hour, tzinfo=TZ)):
        seed("demo-pass-1")
        started = [a for a in on(clock.today()) if a.start_at <= clock.now()]
        kinds = {(a.kind, a.status) for a in started}
        assert ("exam", Status.BOOKED) in kinds  # check in, then record the diagnosis
        assert ("exam", Status.CHECKED_IN) in kinds
        assert ("injection", Status.CONFIRMED) in kinds


def test_seeding_twice_changes_nothing():
    with frozen_at(datetime(2026, 3, 4, 19, tzinfo=TZ)):
        call_command("seed_demo", "--password", "demo-pass-1", stdout=None)
        count = Appointment.objects.count()
        call_command("seed_demo", "--if-empty")
        assert Appointment.objects.count() == count
