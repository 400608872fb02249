"""The one clinic clock for the tests: the clinic's zone, its wall-clock times, a frozen now.

Time rules are tested on a frozen clock (time-machine, ``tick=False``), never the real
one; the ``frozen`` fixture in tests/conftest.py freezes it at ``NOW``. The browser tests
use a ticking clock instead (``ticking_at``) on a day ahead (``coming_monday``): the
page and the live server wait on real time, and the browser keeps its own clock.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

# The one module that drives time-machine (tests/architecture/test_clock_helpers.py).
Traveller = time_machine.Traveller

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


def ticking_at(when: datetime) -> time_machine.travel:
    """Move the clock to ``when`` and let it run from there, for a live server and a
    browser that wait on real time; ``move_to`` on the result jumps ahead."""
    return time_machine.travel(when, tick=True)


def coming_monday() -> date:
    """A Monday one to two weeks ahead of the real today. The browser keeps the real
    clock and would drop session cookies that already expired on a day in the past."""
    today = datetime.now(TZ).date()
    return today + timedelta(days=7 + (7 - today.weekday()) % 7)
