"""The waitlist's figures for the follow-ups dashboard, in four queries for any range.

Freed time counts from when it was freed; it is filled when a waitlist patient took it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum

from reminders.offers.models import FreedTime, WaitlistOffer
from scheduler.selectors import range_bounds

LENGTH = ExpressionWrapper(F("end_at") - F("start_at"), output_field=DurationField())
TO_FILL = ExpressionWrapper(F("filled_at") - F("freed_at"), output_field=DurationField())


@dataclass(frozen=True)
class WaitlistFigures:
    freed_count: int
    freed_minutes: int
    offers_sent: int
    filled_count: int
    filled_minutes: int
    median_minutes_to_fill: float | None

    @property
    def fill_rate(self) -> float | None:
        """Filled over freed, by time (minutes); None when nothing was freed."""
        return self.filled_minutes / self.freed_minutes if self.freed_minutes else None


def _minutes(value: timedelta | None) -> int:
    return int(value.total_seconds() // 60) if value else 0


def get_waitlist_figures(*, first: date, last: date) -> WaitlistFigures:
    """Time freed from ``first`` to ``last`` (clinic dates), what was offered and filled."""
    begins, ends = range_bounds(first, last)
    freed = FreedTime.objects.filter(freed_at__gte=begins, freed_at__lt=ends)
    filled = Q(filled_at__isnull=False)
    totals = freed.aggregate(
        count=Count("id"),
        minutes=Sum(LENGTH),
        filled=Count("id", filter=filled),
        filled_minutes=Sum(LENGTH, filter=filled),
    )
    offers = WaitlistOffer.objects.filter(offered_at__gte=begins, offered_at__lt=ends).count()
    return WaitlistFigures(
        freed_count=totals["count"],
        freed_minutes=_minutes(totals["minutes"]),
        offers_sent=offers,
        filled_count=totals["filled"],
        filled_minutes=_minutes(totals["filled_minutes"]),
        median_minutes_to_fill=_median_to_fill(freed.filter(filled), totals["filled"]),
    )


def _median_to_fill(filled: QuerySet[FreedTime], count: int) -> float | None:
    """The middle time to fill (the mean of the middle two), read by position: the same
    SQL on both databases, and at most two rows whatever the count."""
    if not count:
        return None
    ordered = filled.annotate(to_fill=TO_FILL).order_by("to_fill", "id")
    middle = list(ordered.values_list("to_fill", flat=True)[(count - 1) // 2 : count // 2 + 1])
    seconds: float = sum(v.total_seconds() for v in middle)
    return seconds / len(middle) / 60
