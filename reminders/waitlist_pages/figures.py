"""The waitlist's part of the follow-ups dashboard: freed time, offers, filled time, fill
rate and median time to fill, from ``reminders.offers.figures`` (four queries)."""

from dataclasses import dataclass
from datetime import date, timedelta

from reminders.offers.figures import WaitlistFigures, get_waitlist_figures

# Without a date range the dashboard looks at the last 30 days, as for the texts.
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class WaitlistPanel:
    first: date
    last: date
    figures: WaitlistFigures
    fill_rate: int | None  # percent of the freed minutes filled
    median_to_fill: str  # in words, "" when nothing was filled


def duration_words(minutes: float) -> str:
    """``45 min``, ``3 h 20 min``, ``2 days 4 h``: how long, as staff say it."""
    whole = round(minutes)
    days, rest = divmod(whole, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days > 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {mins} min" if mins else "")
    return f"{mins} min"


def get_waitlist_panel(*, today: date, after: date | None, before: date | None) -> WaitlistPanel:
    last = min(before or today, today)
    first = after or last - timedelta(days=DEFAULT_DAYS - 1)
    figures = get_waitlist_figures(first=first, last=last)
    rate = figures.fill_rate
    median = figures.median_minutes_to_fill
    return WaitlistPanel(
        first=first,
        last=last,
        figures=figures,
        fill_rate=round(rate * 100) if rate is not None else None,
        median_to_fill=duration_words(median) if median is not None else "",
    )
