"""Quiet hours as pure functions (no database)."""

from datetime import UTC, date, datetime, time

import pytest

from reminders.windows import QuietHours, day_bounds, next_day_opening, next_send_at
from tests.clock import TZ

QUIET = QuietHours.parse("20:00-09:00")


def test_quiet_hours_are_read_from_the_setting_text():
    assert QuietHours(time(20), time(9)) == QUIET
    assert not QuietHours.parse("").covers(time(3))


def test_a_malformed_quiet_hours_setting_is_refused_with_its_name():
    with pytest.raises(ValueError, match="SMS_QUIET_HOURS"):
        QuietHours.parse("8pm to 9am")


def test_a_message_inside_the_window_goes_at_once():
    moment = datetime(2025, 6, 2, 14, 0, tzinfo=TZ)
    assert next_send_at(moment, QUIET, TZ) == moment


def test_a_message_in_the_evening_waits_for_nine_the_next_morning():
    moment = datetime(2025, 6, 2, 21, 15, tzinfo=TZ)
    assert next_send_at(moment, QUIET, TZ) == datetime(2025, 6, 3, 9, 0, tzinfo=TZ)


def test_a_message_before_opening_waits_for_nine_the_same_morning():
    moment = datetime(2025, 6, 2, 6, 30, tzinfo=TZ)
    assert next_send_at(moment, QUIET, TZ) == datetime(2025, 6, 2, 9, 0, tzinfo=TZ)


def test_a_deferral_across_the_spring_dst_change_keeps_nine_oclock_wall_time():
    # 8 March 2025 21:30 EST; clocks jump forward at 02:00 on 9 March.
    moment = datetime(2025, 3, 9, 2, 30, tzinfo=UTC)
    opening = next_send_at(moment, QUIET, TZ)
    assert opening.astimezone(TZ).time() == time(9, 0)
    assert opening.astimezone(UTC) == datetime(2025, 3, 9, 13, 0, tzinfo=UTC)  # EDT, UTC-4


def test_a_deferral_across_the_autumn_dst_change_keeps_nine_oclock_wall_time():
    moment = datetime(2025, 11, 2, 1, 30, tzinfo=UTC)  # 1 Nov 21:30 EDT
    opening = next_send_at(moment, QUIET, TZ)
    assert opening.astimezone(UTC) == datetime(2025, 11, 2, 14, 0, tzinfo=UTC)  # EST, UTC-5


def test_the_next_day_opening_at_the_end_of_a_month_is_the_first_of_the_next():
    moment = datetime(2025, 1, 31, 10, 0, tzinfo=TZ)
    assert next_day_opening(moment, QUIET, TZ) == datetime(2025, 2, 1, 9, 0, tzinfo=TZ)


def test_a_clinic_day_on_the_spring_dst_change_is_twenty_three_hours_long():
    start, end = day_bounds(date(2025, 3, 9), TZ)
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 23 * 3600


def test_quiet_hours_within_one_day_are_supported():
    lunch = QuietHours.parse("12:00-13:00")
    assert lunch.covers(time(12, 30))
    assert not lunch.covers(time(13, 0))
