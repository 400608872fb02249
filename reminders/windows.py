"""When an SMS may go out: quiet hours and clinic days, in clinic wall-clock time.

Pure functions over aware datetimes; zoneinfo does the DST arithmetic, so a message
deferred across a clock change still leaves at the window's wall-clock opening.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class QuietHours:
    """No SMS from ``start`` until ``end`` (wall clock); may wrap midnight (20:00-09:00)."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> "QuietHours":
        """``"20:00-09:00"``; an empty string means no quiet hours."""
        text = text.strip()
        if not text:
            return cls(time(0), time(0))
        try:
            start_text, end_text = text.split("-")
            return cls(time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip()))
        except ValueError as exc:
            raise ValueError(f"SMS_QUIET_HOURS must look like 20:00-09:00, not {text!r}") from exc

    def covers(self, clock: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end


def next_send_at(moment: datetime, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """``moment`` itself when it is outside quiet hours, else when they end."""
    local = moment.astimezone(tz)
    if not quiet.covers(local.time()):
        return moment
    day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        day += timedelta(days=1)
    return datetime.combine(day, quiet.end, tzinfo=tz)


def next_day_opening(moment: datetime, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """The first moment of the next clinic day on which an SMS may go out."""
    tomorrow = moment.astimezone(tz).date() + timedelta(days=1)
    return next_send_at(datetime.combine(tomorrow, time(0), tzinfo=tz), quiet, tz)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The aware start and end of a clinic day (23 or 25 hours long on DST days)."""
    return (
        datetime.combine(day, time(0), tzinfo=tz),
        datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz),
    )
