"""The front desk's waitlist day page (``/waitlist/?date=``) and its one-click offer."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse

from bookings import roles
from bookings.views import page, require
from bookings.views_calendar import day_param
from reminders.waitlist_pages.day import get_waitlist_day
from scheduler import clock


@require(roles.can_read)
def waitlist_day(request: HttpRequest) -> HttpResponse:
    day, problem = day_param(request)
    return page(
        request,
        "reminders/waitlist_day.html",
        {
            "waitlist": get_waitlist_day(day=day),
            "day": day,
            "is_today": day == clock.today(),
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "date_problem": problem,
        },
    )
