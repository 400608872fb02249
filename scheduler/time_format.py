"""A time of day in the clinic's chosen clock (setting ``CLINIC_CLOCK``), pure.

"24h" writes 14:30 and 09:05; "12h" writes 2:30 PM and 9:05 AM, the way the clinic says
it on the phone. Written by hand, not by the server's locale, so every machine agrees.
"""

from datetime import datetime, time


def clock_time(value: time | datetime, *, clock: str) -> str:
    """``value`` (already in clinic time) on the chosen clock."""
    if clock == "12h":
        hour = value.hour % 12 or 12
        return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"
    return f"{value.hour:02d}:{value.minute:02d}"
