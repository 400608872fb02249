"""The time an hours or time-off edit frees: open after the change and not before."""

from datetime import UTC, date, time

from scheduler.calendar_changes import freed_windows, subtract
from scheduler.models import Weekday
from scheduler.slots import Hours
from tests.clock import in_march

SUNDAY_8 = date(2026, 3, 8)  # the clocks go forward at 02:00 that night
MORNING = Hours(Weekday.SUNDAY, time(9), time(12))
DAY = Hours(Weekday.SUNDAY, time(9), time(17))


def utc(*windows: tuple) -> list[tuple]:
    return [(s.astimezone(UTC), e.astimezone(UTC)) for s, e in windows]


def test_subtract_keeps_what_no_cut_covers():
    window = (in_march(3, 9), in_march(3, 17))
    cuts = [(in_march(3, 10), in_march(3, 11)), (in_march(3, 16), in_march(3, 18))]
    assert subtract([window], cuts) == [
        (in_march(3, 9), in_march(3, 10)),
        (in_march(3, 11), in_march(3, 16)),
    ]


def test_longer_hours_free_the_added_part_on_a_dst_day():
    freed = freed_windows(([MORNING], []), ([DAY], []), SUNDAY_8, SUNDAY_8)
    assert freed == utc((in_march(8, 12), in_march(8, 17)))


def test_shorter_hours_free_nothing():
    assert freed_windows(([DAY], []), ([MORNING], []), SUNDAY_8, SUNDAY_8) == []


def test_time_off_taken_back_frees_only_its_working_part():
    off = (in_march(8, 6), in_march(8, 10))
    freed = freed_windows(([MORNING], [off]), ([MORNING], []), SUNDAY_8, SUNDAY_8)
    assert freed == utc((in_march(8, 9), in_march(8, 10)))
