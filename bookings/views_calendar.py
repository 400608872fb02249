"""The day calendar: a column per working practitioner."""

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse

from bookings import roles
from bookings.calendar import get_day_calendar
from bookings.views import page, require
from scheduler import bounds, clock

# Pixels per minute on screen: a 15-minute visit is one readable line.
SCALE = 1.6


def _day_param(request: HttpRequest) -> tuple[date, str]:
    raw = request.GET.get("date", "")
    if not raw:
        return clock.today(), ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return clock.today(), f"“{raw}” is not a date; showing today."
    if not bounds.is_sane_query_date(day):
        first, last = (bounds.spoken_date(d) for d in bounds.query_range())
        return clock.today(), f"“{raw}” is not between {first} and {last}; showing today."
    return day, ""


@require(roles.can_read)
def day_calendar(request: HttpRequest) -> HttpResponse:
    day, problem = _day_param(request)
    show_cancelled = request.GET.get("cancelled") == "1"
    calendar = get_day_calendar(day=day, show_cancelled=show_cancelled)
    return page(
        request,
        "bookings/calendar.html",
        {
            "calendar": calendar,
            "day": day,
            "is_today": day == clock.today(),
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "show_cancelled": show_cancelled,
            "date_problem": problem,
            "scale": SCALE,
            "grid_height": round(calendar.minutes * SCALE),
        },
    )
