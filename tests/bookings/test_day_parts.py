"""Parts of the clinic day (pure)."""

from datetime import time

import pytest

from bookings.day_parts import in_part


@pytest.mark.parametrize(
    ("part", "start", "inside"),
    [
        ("morning", time(9), True),
        ("morning", time(11, 45), True),
        ("morning", time(12), False),
        ("afternoon", time(12), True),
        ("afternoon", time(16, 45), True),
        ("afternoon", time(17), False),
        ("evening", time(17), True),
        ("evening", time(20, 30), True),
        ("evening", time(9), False),
        ("", time(9), True),
        ("noonish", time(9), True),
    ],
)
def test_a_start_belongs_to_the_part_its_clinic_time_falls_in(part, start, inside):
    assert in_part(part=part, start=start) is inside
