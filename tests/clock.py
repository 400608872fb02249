"""The one clinic clock for the tests: the clinic's zone, its wall-clock times, a frozen now.

Time rules are tested on a frozen clock (time-machine, ``tick=False``), never the real
one; the ``frozen`` fixture in tests/conftest.py freezes it at ``NOW``.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

TZ = ZoneInfo("America/Toronto")
# Monday 2 March 2026, 08:00 in the clinic: before opening, the whole week ahead.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    """A clinic wall-clock time."""
    return datetime(y, m, d, h, mi, tzinfo=TZ)


def in_march(day: int, hour: int, minute: int = 0) -> datetime:
    """A clinic wall-clock time in March 2026, the month ``NOW`` is in."""
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


def on(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A clinic wall-clock time on ``day``."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def frozen_at(when: datetime = NOW) -> time_machine.travel:
    """Stop the clock at ``when`` (the clinic's Monday morning unless told)."""
    return time_machine.travel(when, tick=False)
