"""A time of day on the clinic's 12- or 24-hour clock (pure)."""

from datetime import time

import pytest

from scheduler.time_format import clock_time


@pytest.mark.parametrize(
    ("moment", "h24", "h12"),
    [
        (time(0, 5), "00:05", "12:05 AM"),
        (time(9, 5), "09:05", "9:05 AM"),
        (time(12, 0), "12:00", "12:00 PM"),
        (time(16, 45), "16:45", "4:45 PM"),
        (time(23, 59), "23:59", "11:59 PM"),
    ],
)
def test_both_clocks_write_the_time_the_way_the_clinic_says_it(moment, h24, h12):
    assert clock_time(moment, clock="24h") == h24
    assert clock_time(moment, clock="12h") == h12
