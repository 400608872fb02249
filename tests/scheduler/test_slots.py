"""Slot finding as pure functions: working hours, busy times, the grid and DST days."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.test import override_settings

from scheduler.clock import at as clinic_at
from scheduler.slots import (
    Hours,
    find_slots,
    fits_hours,
    free_starts,
    from_micros,
    merge,
    to_micros,
    working_windows,
)
from tests.clock import TZ, at

HALF_HOUR = timedelta(minutes=30)
MON_FRI = [Hours(d, time(9), time(17)) for d in range(5)]
EVERY_DAY = [Hours(d, time(9), time(17)) for d in range(7)]
LONG_YEAR_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def wall(moment: datetime) -> str:
    """The clinic wall-clock time with its offset, as staff and the API see it."""
    return moment.astimezone(TZ).isoformat(timespec="minutes")


def starts(windows, busy=(), duration=HALF_HOUR, **kwargs) -> list[datetime]:
    return [s for s, _ in free_starts(windows, busy, duration, **kwargs)]


def test_a_free_day_offers_every_quarter_hour_that_fits():
    windows = working_windows(MON_FRI, date(2026, 3, 2), date(2026, 3, 2))
    found = starts(windows)
    assert found[0] == at(2026, 3, 2, 9)
    assert found[-1] == at(2026, 3, 2, 16, 30)  # 16:30 + 30 min ends exactly at 17:00
    assert len(found) == 31
    assert all(s.astimezone(TZ).minute % 15 == 0 for s in found)


def test_weekends_without_hours_offer_nothing():
    assert working_windows(MON_FRI, date(2026, 3, 7), date(2026, 3, 8)) == []


def test_starts_snap_to_the_grid_after_an_odd_time():
    windows = [(at(2026, 3, 2, 9, 7), at(2026, 3, 2, 11))]
    assert starts(windows)[0] == at(2026, 3, 2, 9, 15)
    after = starts([(at(2026, 3, 2, 9), at(2026, 3, 2, 11))], not_before=at(2026, 3, 2, 9, 31))
    assert after[0] == at(2026, 3, 2, 9, 45)


def test_a_booking_ending_off_grid_pushes_the_next_start_to_the_grid():
    windows = [(at(2026, 3, 2, 9), at(2026, 3, 2, 12))]
    busy = [(at(2026, 3, 2, 9), at(2026, 3, 2, 9, 40))]
    assert starts(windows, busy)[0] == at(2026, 3, 2, 9, 45)


def test_back_to_back_with_a_booking_is_allowed():
    windows = [(at(2026, 3, 2, 9), at(2026, 3, 2, 12))]
    busy = [(at(2026, 3, 2, 10), at(2026, 3, 2, 10, 30))]
    found = starts(windows, busy)
    assert at(2026, 3, 2, 9, 30) in found  # ends as the booking starts
    assert at(2026, 3, 2, 10, 30) in found  # starts as the booking ends
    for clash in (at(2026, 3, 2, 9, 45), at(2026, 3, 2, 10), at(2026, 3, 2, 10, 15)):
        assert clash not in found


def test_time_off_and_bookings_are_both_excluded():
    windows = working_windows(MON_FRI, date(2026, 3, 2), date(2026, 3, 2))
    busy = [
        (at(2026, 3, 2, 9), at(2026, 3, 2, 12)),  # time off all morning
        (at(2026, 3, 2, 11, 30), at(2026, 3, 2, 13)),  # overlaps the time off
        (at(2026, 3, 2, 14), at(2026, 3, 2, 14, 30)),
    ]
    found = starts(windows, busy)
    assert found[0] == at(2026, 3, 2, 13)
    assert at(2026, 3, 2, 13, 30) in found  # ends as the 14:00 booking starts
    assert at(2026, 3, 2, 13, 45) not in found and at(2026, 3, 2, 14, 15) not in found
    assert at(2026, 3, 2, 14, 30) in found


def test_busy_time_spanning_several_days_blocks_them_all():
    windows = working_windows(MON_FRI, date(2026, 3, 2), date(2026, 3, 6))
    busy = [(at(2026, 3, 2, 12), at(2026, 3, 4, 12))]
    found = starts(windows, busy)
    assert not [s for s in found if s.astimezone(TZ).date() == date(2026, 3, 3)]
    assert found[0] == at(2026, 3, 2, 9)
    assert at(2026, 3, 4, 12) in found


def test_merge_joins_overlapping_and_touching_intervals():
    a = (at(2026, 3, 2, 9), at(2026, 3, 2, 10))
    b = (at(2026, 3, 2, 9, 30), at(2026, 3, 2, 11))
    c = (at(2026, 3, 2, 11), at(2026, 3, 2, 12))
    d = (at(2026, 3, 2, 13), at(2026, 3, 2, 14))
    assert merge([d, c, b, a]) == [(a[0], c[1]), d]


def test_spring_forward_day_keeps_the_clinic_wall_clock():
    # Sunday 8 March 2026: 02:00 EST becomes 03:00 EDT.
    windows = working_windows(EVERY_DAY, date(2026, 3, 7), date(2026, 3, 9))
    assert [(wall(s), wall(e)) for s, e in windows] == [
        ("2026-03-07T09:00-05:00", "2026-03-07T17:00-05:00"),
        ("2026-03-08T09:00-04:00", "2026-03-08T17:00-04:00"),
        ("2026-03-09T09:00-04:00", "2026-03-09T17:00-04:00"),
    ]
    day = [s for s in starts(windows) if s.astimezone(TZ).date() == date(2026, 3, 8)]
    assert wall(day[0]) == "2026-03-08T09:00-04:00"
    assert wall(day[-1]) == "2026-03-08T16:30-04:00"
    assert len(day) == 31
    assert day[0].astimezone(UTC) == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)


def test_fall_back_day_keeps_the_clinic_wall_clock():
    # Sunday 1 November 2026: 02:00 EDT becomes 01:00 EST.
    windows = working_windows(EVERY_DAY, date(2026, 10, 31), date(2026, 11, 2))
    assert [wall(s) for s, _ in windows] == [
        "2026-10-31T09:00-04:00",
        "2026-11-01T09:00-05:00",
        "2026-11-02T09:00-05:00",
    ]
    day = [s for s in starts(windows) if s.astimezone(TZ).date() == date(2026, 11, 1)]
    assert [wall(s) for s in day[:2]] == ["2026-11-01T09:00-05:00", "2026-11-01T09:15-05:00"]
    assert len(day) == 31
    assert day[0].astimezone(UTC) == datetime(2026, 11, 1, 14, 0, tzinfo=UTC)


def test_hours_across_the_spring_forward_gap_lose_the_missing_hour():
    night = [Hours(6, time(0), time(6))]  # Sunday
    windows = working_windows(night, date(2026, 3, 8), date(2026, 3, 8))
    found = starts(windows)
    assert len(found) == 19  # five real hours, not six
    assert "2026-03-08T01:45-05:00" in [wall(s) for s in found]
    assert wall(found[found.index(at(2026, 3, 8, 1, 45)) + 1]) == "2026-03-08T03:00-04:00"


def test_hours_across_the_fall_back_repeat_the_doubled_hour():
    night = [Hours(6, time(0), time(6))]
    windows = working_windows(night, date(2026, 11, 1), date(2026, 11, 1))
    found = starts(windows)
    assert len(found) == 27  # seven real hours
    walls = [wall(s) for s in found]
    assert "2026-11-01T01:15-04:00" in walls and "2026-11-01T01:15-05:00" in walls
    assert len(set(found)) == len(found)


def test_fits_hours_needs_the_whole_appointment_inside_a_window():
    assert fits_hours(at(2026, 3, 2, 16, 30), at(2026, 3, 2, 17), MON_FRI)
    assert not fits_hours(at(2026, 3, 2, 16, 45), at(2026, 3, 2, 17, 15), MON_FRI)
    assert not fits_hours(at(2026, 3, 2, 8, 45), at(2026, 3, 2, 9, 15), MON_FRI)
    assert not fits_hours(at(2026, 3, 7, 10), at(2026, 3, 7, 10, 30), MON_FRI)
    assert fits_hours(at(2026, 3, 9, 9), at(2026, 3, 9, 9, 30), MON_FRI)  # first day of EDT


def test_split_hours_leave_the_lunch_break_free():
    split = [Hours(0, time(9), time(12)), Hours(0, time(13), time(17))]
    assert not fits_hours(at(2026, 3, 2, 11, 45), at(2026, 3, 2, 12, 15), split)
    found = starts(working_windows(split, date(2026, 3, 2), date(2026, 3, 2)))
    assert at(2026, 3, 2, 11, 30) in found and at(2026, 3, 2, 13) in found
    assert not [s for s in found if at(2026, 3, 2, 11, 45) <= s < at(2026, 3, 2, 13)]


def test_find_slots_orders_by_time_then_practitioner_and_applies_the_filter():
    hours = [Hours(0, time(9), time(10))]
    busy = {2: [(at(2026, 3, 2, 9), at(2026, 3, 2, 9, 30))]}
    slots = find_slots(
        [(2, hours), (1, hours)],
        busy,
        date(2026, 3, 2),
        date(2026, 3, 2),
        HALF_HOUR,
        not_before=LONG_YEAR_AGO,
        allowed=lambda start: start != at(2026, 3, 2, 9, 15),
    )
    assert [(s.practitioner_id, s.start_at) for s in slots] == [
        (1, at(2026, 3, 2, 9)),
        (1, at(2026, 3, 2, 9, 30)),
        (2, at(2026, 3, 2, 9, 30)),
    ]
    assert slots[0].end_at == at(2026, 3, 2, 9, 30)


def test_find_slots_offers_nothing_in_the_past():
    slots = find_slots(
        [(1, MON_FRI)],
        {},
        date(2026, 3, 2),
        date(2026, 3, 2),
        HALF_HOUR,
        not_before=at(2026, 3, 2, 16, 20),
    )
    assert [s.start_at for s in slots] == [at(2026, 3, 2, 16, 30)]


def test_a_booking_on_a_dst_day_is_stepped_over_in_real_time():
    # Bookings come from the database in UTC; mixing them with clinic-zone hours once
    # snapped the next start back into the booking and the search never ended.
    sundays = [Hours(6, time(9), time(17))]
    for day, booked_utc in (
        (date(2026, 3, 8), datetime(2026, 3, 8, 13, 0, tzinfo=UTC)),  # 09:00 EDT
        (date(2026, 11, 1), datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),  # 09:00 EST
    ):
        windows = working_windows(sundays, day, day)
        busy = [(booked_utc, booked_utc + timedelta(hours=1))]
        found = starts(windows, busy)
        assert wall(found[0])[11:16] == "10:00"
        assert len(found) == 31 - 4


def test_now_on_a_dst_day_never_offers_a_past_start():
    sundays = [Hours(6, time(9), time(17))]
    now = datetime(2026, 3, 8, 14, 5, tzinfo=UTC)  # 10:05 EDT
    found = starts(working_windows(sundays, date(2026, 3, 8), date(2026, 3, 8)), not_before=now)
    assert wall(found[0]) == "2026-03-08T10:15-04:00"


def test_the_grid_counts_from_clinic_midnight_even_off_the_utc_quarter_hours():
    # Newfoundland is UTC−3:30: a 20-minute grid counted in UTC would put the start after
    # a 09:00–09:05 booking at 09:10 clinic time, not 09:20.
    newfoundland = ZoneInfo("America/St_Johns")
    with override_settings(CLINIC_TIME_ZONE="America/St_Johns"):
        windows = working_windows([Hours(0, time(9), time(11))], date(2026, 3, 2), date(2026, 3, 2))
        booked = datetime(2026, 3, 2, 9, tzinfo=newfoundland)
        found = starts(
            windows,
            [(booked, booked + timedelta(minutes=5))],
            timedelta(minutes=20),
            grid=timedelta(minutes=20),
        )
    assert [s.astimezone(newfoundland).strftime("%H:%M") for s in found] == [
        "09:20",
        "09:40",
        "10:00",
        "10:20",
        "10:40",
    ]


def test_microseconds_since_the_epoch_are_exact_on_both_sides_of_a_fall_back():
    # 01:30 happens twice on 1 November 2026; fold=1 is the second, an hour later.
    first = datetime(2026, 11, 1, 1, 30, 0, 999_999, tzinfo=TZ)
    second = first.replace(fold=1)
    assert to_micros(second) - to_micros(first) == 3_600_000_000
    for moment in (first, second, LONG_YEAR_AGO):
        back = from_micros(to_micros(moment))
        assert back == moment.astimezone(UTC)
        assert back.tzinfo is UTC


def _every_free_grid_start(windows, busy, duration, grid, not_before):
    """The search's definition, one grid point at a time (the walk jumps whole gaps)."""
    found = []
    for w_start, w_end in windows:
        # In UTC: datetimes sharing a zone add and compare by wall clock across DST.
        midnight = clinic_at(w_start.astimezone(TZ).date(), time(0)).astimezone(UTC)
        moment = midnight
        while moment + duration <= w_end:
            end = moment + duration
            if (
                moment >= w_start
                and moment >= not_before
                and not any(b_start < end and moment < b_end for b_start, b_end in busy)
            ):
                found.append(moment)
            moment += grid
    return found


def test_the_walk_finds_exactly_every_free_grid_start_of_random_calendars():
    rng = random.Random(20261202)
    hours = [Hours(d, time(8), time(12)) for d in range(6)] + [
        Hours(d, time(13), time(18, 30)) for d in range(5)
    ]
    first = date(2026, 3, 2)  # across the spring-forward Sunday, March 8
    windows = working_windows(hours, first, first + timedelta(days=13))
    for _ in range(60):
        busy = []
        for _ in range(rng.randrange(0, 40)):
            start = clinic_at(first, time(7)).astimezone(UTC) + timedelta(
                minutes=rng.randrange(0, 14 * 24 * 60)
            )
            busy.append((start, start + timedelta(minutes=rng.choice([5, 15, 20, 30, 45, 90]))))
        duration = timedelta(minutes=rng.choice([15, 30, 45, 60]))
        not_before = clinic_at(first, time(7)).astimezone(UTC) + timedelta(
            minutes=rng.randrange(0, 3 * 24 * 60)
        )
        grid = timedelta(minutes=rng.choice([5, 15, 30]))
        assert starts(
            windows, busy, duration, grid=grid, not_before=not_before
        ) == _every_free_grid_start(windows, busy, duration, grid, not_before)
