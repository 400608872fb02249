"""The front desk's waitlist day page (``/waitlist/?date=``) and its one-click offer."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from bookings import roles
from bookings.errors import PathwayError
from bookings.views import page, require, safe_next
from bookings.views_calendar import day_param
from bookings.waitlist.models import WaitlistEntry
from reminders.offers.engine import offer_to_entry
from reminders.waitlist_pages.day import get_waitlist_day
from scheduler import clock
from scheduler.models import Practitioner
from scheduler.time_format import clock_time


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


class OfferForm(forms.Form):
    practitioner = forms.ModelChoiceField(queryset=Practitioner.objects.all())
    start = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"])


@require_POST
@require(roles.can_book)
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The one click: text this patient the free time, held for them like any offer."""
    entry = get_object_or_404(WaitlistEntry.objects.select_related("patient"), pk=pk)
    form = OfferForm(request.POST)
    back = safe_next(request, reverse("reminders:waitlist-day"))
    if not form.is_valid():
        messages.error(request, "That time is not one this page offered; nothing was sent.")
        return redirect(back)
    start_at = form.cleaned_data["start"]
    try:
        offer_to_entry(
            entry=entry,
            practitioner=form.cleaned_data["practitioner"],
            start_at=start_at,
            by=request.user,
        )
    except PathwayError as exc:
        messages.error(request, f"{entry.patient.full_name}: {exc.message}")
    else:
        messages.success(
            request,
            f"{entry.patient.full_name} is offered {clock.local(start_at):%a %-d %b}, "
            f"{clock_time(clock.local(start_at), clock=settings.CLINIC_CLOCK)} "
            "by text; the time is held for them.",
        )
    return redirect(back)
