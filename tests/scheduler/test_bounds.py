"""The input bounds as pure functions: the booking horizon, dates of birth, query dates."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.core.exceptions import ValidationError

from scheduler import bounds
from tests.clock import TZ

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_horizon_is_the_same_date_two_years_on():
    assert bounds.latest_booking_day() == date(2028, 3, 2)


def test_a_leap_day_moves_to_the_28th_in_a_common_year():
    assert bounds.years_after(date(2028, 2, 29), 2) == date(2030, 2, 28)
    assert bounds.years_after(date(2028, 2, 29), 4) == date(2032, 2, 29)


def test_the_last_minute_of_the_last_bookable_day_is_within_the_horizon():
    assert bounds.is_within_horizon(datetime(2028, 3, 2, 23, 59, tzinfo=TZ))
    assert not bounds.is_within_horizon(datetime(2028, 3, 3, 0, 0, tzinfo=TZ))


def test_the_horizon_is_read_in_clinic_time_whatever_the_offset_given():
    # 04:30 UTC on 3 March is still 23:30 on 2 March in the clinic.
    assert bounds.is_within_horizon(datetime(2028, 3, 3, 4, 30, tzinfo=UTC))
    assert not bounds.is_within_horizon(datetime(2028, 3, 3, 5, 0, tzinfo=UTC))


@pytest.mark.parametrize("offset", [-12, 0, 14])
def test_the_last_minute_of_year_9999_is_refused_without_overflowing(offset):
    moment = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=offset)))
    with pytest.raises(ValidationError, match="at most 2 years ahead, until 2 March 2028"):
        bounds.validate_booking_start(moment)


@pytest.mark.parametrize(
    ("born", "words"),
    [
        (date(1, 1, 1), "on or after 1 January 1900"),
        (date(1899, 12, 31), "on or after 1 January 1900"),
        (date(2026, 3, 3), "cannot be in the future"),
        (date(9999, 12, 31), "cannot be in the future"),
    ],
)
def test_a_date_of_birth_outside_1900_to_today_is_refused(born, words):
    with pytest.raises(ValidationError, match=words):
        bounds.validate_date_of_birth(born)


@pytest.mark.parametrize("born", [date(1900, 1, 1), date(1980, 4, 2), date(2026, 3, 2)])
def test_a_date_of_birth_from_1900_to_today_is_accepted(born):
    bounds.validate_date_of_birth(born)


def test_query_dates_run_from_1900_to_ten_years_ahead():
    assert bounds.query_range() == (date(1900, 1, 1), date(2036, 3, 2))
    assert bounds.is_sane_query_date(date(2036, 3, 2))
    assert not bounds.is_sane_query_date(date(2036, 3, 3))
    assert not bounds.is_sane_query_date(date(9999, 12, 31))
    assert not bounds.is_sane_query_date(date(1899, 12, 31))


def test_a_prescription_may_run_to_the_horizon_and_no_further():
    bounds.validate_prescription_end(date(2028, 3, 2))
    with pytest.raises(ValidationError, match="2 March 2028"):
        bounds.validate_prescription_end(date(2028, 3, 3))


def test_the_units_cap_stays_inside_the_smallint_columns():
    assert 0 < bounds.MAX_UNITS < 32767
