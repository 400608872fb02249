"""Parts of the clinic day, for filtering the slot picker (pure).

"Can you do mornings?" is the front desk's most common question; a start belongs to the
part its clinic time falls in: morning before noon, afternoon until five, evening after.
"""

from datetime import time

PARTS: dict[str, tuple[str, time, time]] = {
    "morning": ("Morning", time(0), time(12)),
    "afternoon": ("Afternoon", time(12), time(17)),
    "evening": ("Evening", time(17), time.max),
}


def is_part(value: str) -> bool:
    return value in PARTS


def in_part(*, part: str, start: time) -> bool:
    """Whether a clinic start time falls in ``part`` (an unknown part filters nothing)."""
    if part not in PARTS:
        return True
    _, begins, ends = PARTS[part]
    return begins <= start < ends or (ends == time.max and start >= begins)
