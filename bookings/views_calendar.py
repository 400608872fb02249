"""The calendars: the day (a column per working practitioner) and one practitioner's week."""

from datetime import date, datetime, timedelta

from django.http import HttpRequest, HttpResponse

from bookings import roles
from bookings.calendar import get_day_calendar
from bookings.calendar_week import get_week_calendar, list_practitioners, week_of
from bookings.views import page, require
from scheduler import bounds, clock

# Pixels per minute on screen: a 15-minute visit is one readable line.
SCALE = 1.6


def day_param(request: HttpRequest) -> tuple[date, str]:
    """The day asked for in ``?date=``, or today with the reason in words."""
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
    day, problem = day_param(request)
    show_cancelled = request.GET.get("cancelled") == "1"
    calendar = get_day_calendar(day=day, show_cancelled=show_cancelled)
    now_offset = _now_offset(opens=calendar.opens_at, closes=calendar.closes_at, now=clock.now())
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
            "now_offset": now_offset,
        },
    )


def _now_offset(*, opens: datetime, closes: datetime, now: datetime) -> int | None:
    """Minutes from the top of a column to the current time, if it is on the column."""
    if opens <= now <= closes:
        return int((now - opens).total_seconds() // 60)
    return None


@require(roles.can_read)
def week_calendar(request: HttpRequest) -> HttpResponse:
    """One practitioner's week; a click on a free time starts a booking there."""
    day, problem = day_param(request)
    practitioners = list_practitioners()
    ids = {str(p.pk): p.pk for p in practitioners}
    chosen = ids.get(request.GET.get("practitioner", ""))
    if chosen is None and practitioners:
        # A clinician who is in the calendar sees their own week first.
        own = [p.pk for p in practitioners if p.user_id == request.user.pk]
        chosen = own[0] if own else practitioners[0].pk
    now = clock.now()
    week = (
        get_week_calendar(practitioner_id=chosen, day=day, now=now) if chosen is not None else None
    )
    today = clock.local_date(now)
    now_column, now_offset = None, None
    if week is not None:
        now_column = today
        now_offset = _now_offset(
            opens=clock.at(today, week.opens), closes=clock.at(today, week.closes), now=now
        )
    monday = week_of(day)
    return page(
        request,
        "bookings/calendar_week.html",
        {
            "week": week,
            "practitioners": practitioners,
            "chosen": chosen,
            "day": day,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "date_problem": problem,
            "scale": SCALE,
            "now_column": now_column,
            "now_offset": now_offset,
        },
    )
