"""The dashboard's waitlist figures: freed, offered, filled, fill rate, median time to fill."""

from datetime import timedelta

import pytest

from reminders.offers.figures import get_waitlist_figures
from reminders.offers.models import FreedTime, WaitlistOffer
from tests.clock import NOW, at
from tests.factories import PractitionerFactory
from tests.waitlist import ready_patient, wait

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def freed(doctor, hour: int, *, filled_after: int | None = None, minutes: int = 30) -> FreedTime:
    start = at(2026, 3, 4, hour)
    return FreedTime.objects.create(
        practitioner=doctor,
        start_at=start,
        end_at=start + timedelta(minutes=minutes),
        source="cancelled",
        freed_at=NOW,
        filled_at=NOW + timedelta(minutes=filled_after) if filled_after is not None else None,
    )


def test_figures_count_freed_offered_and_filled_time(django_assert_max_num_queries):
    doctor = PractitionerFactory()
    entry = wait(ready_patient(), waiting_since=at(2026, 2, 1))
    first = freed(doctor, 9, filled_after=10)
    freed(doctor, 10, filled_after=30)
    freed(doctor, 11, filled_after=50, minutes=60)
    freed(doctor, 12)
    WaitlistOffer.objects.create(
        entry=entry, freed_time=first, offered_at=NOW, hold_until=NOW + timedelta(minutes=20)
    )
    with django_assert_max_num_queries(4):
        figures = get_waitlist_figures(first=NOW.date(), last=NOW.date())
    assert (figures.freed_count, figures.freed_minutes) == (4, 150)
    assert (figures.filled_count, figures.filled_minutes) == (3, 120)
    assert figures.offers_sent == 1
    assert figures.fill_rate == pytest.approx(0.8)
    assert figures.median_minutes_to_fill == 30


def test_an_even_count_takes_the_mean_of_the_middle_two_and_nothing_freed_is_none():
    doctor = PractitionerFactory()
    freed(doctor, 9, filled_after=10)
    freed(doctor, 10, filled_after=20)
    assert get_waitlist_figures(first=NOW.date(), last=NOW.date()).median_minutes_to_fill == 15
    empty = get_waitlist_figures(
        first=NOW.date() + timedelta(days=1), last=NOW.date() + timedelta(days=2)
    )
    assert empty.fill_rate is None and empty.median_minutes_to_fill is None
