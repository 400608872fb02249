"""The patient's pages behind a link: verify, see what is due, choose, confirm, done.

Server-rendered for a phone, with no script: every step is a link or a form. Nothing
personal is drawn before the date of birth matches; an unknown, ended or locked link
answers with the clinic's phone only (404 / 410 / 429), and so does a burst of
requests from one address (429, ``throttles``).
"""

import math
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings.booking_options import DaySlots
from bookings.errors import PathwayError
from bookings.models import Appointment
from reminders.links import access, actions, calendar_file, offer, throttles
from reminders.links.tokens import find_link
from reminders.links.wording import refusal_for_patient
from reminders.models import Link, LinkPurpose
from scheduler import clock
from scheduler.models import Practitioner

# The browser may keep the page, never a shared cache: it names the patient.
NO_STORE = "no-store"


class BirthDateForm(forms.Form):
    date_of_birth = forms.DateField(
        label="Your date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={
            "required": "Please give your date of birth.",
            "invalid": "Please give the date as year-month-day.",
        },
    )


class StartForm(forms.Form):
    practitioner = forms.IntegerField(min_value=1)
    start = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"])


def _clinic() -> dict[str, str]:
    return {"clinic_name": settings.CLINIC_NAME, "clinic_phone": settings.CLINIC_PHONE}


def render_page(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    response = render(request, f"links/{template}", {**_clinic(), **context}, status=status)
    response["Cache-Control"] = NO_STORE
    response["Referrer-Policy"] = "same-origin"  # the token is in the address
    return response


def _closed(request: HttpRequest, why: str, status: int) -> HttpResponse:
    return render_page(request, "closed.html", {"why": why}, status=status)


def _session_key(link: Link) -> str:
    return f"patient-link-{link.pk}"


def _open(
    request: HttpRequest, token: str, *, after_booking: bool = False, scope: str = throttles.PAGES
) -> Link | HttpResponse:
    """The link if it may be used now, else the page that says why (no personal data)."""
    wait = throttles.seconds_to_wait(request, scope=scope)
    if wait is not None:
        busy = _closed(request, "busy", 429)
        busy["Retry-After"] = str(math.ceil(wait))
        return busy
    link = find_link(token)
    if link is None:
        return _closed(request, "unknown", 404)
    state = access.link_state(link=link, now=clock.now())
    if state == access.LinkState.ENDED and not (after_booking and _verified(request, link)):
        return _closed(request, "ended", 410)
    if state == access.LinkState.LOCKED:
        return _closed(request, "locked", 429)
    return link


def _verified(request: HttpRequest, link: Link) -> bool:
    return access.visit_is_valid(link=link, visit=request.session.get(_session_key(link)))


def open_verified(
    request: HttpRequest, token: str, *, after_booking: bool = False
) -> Link | HttpResponse:
    """The link once the patient has given their date of birth on this visit; else the
    page that says why it cannot be used, or the date-of-birth step."""
    link = _open(request, token, after_booking=after_booking)
    if isinstance(link, HttpResponse) or _verified(request, link):
        return link
    return redirect("links:page", token=token)


@require_http_methods(["GET", "POST"])
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    link = _open(
        request, token, scope=throttles.VERIFY if request.method == "POST" else throttles.PAGES
    )
    if isinstance(link, HttpResponse):
        return link
    if not access.can_verify(patient=link.patient):
        return _closed(request, "no_date_of_birth", 403)
    if request.method == "POST":
        form = BirthDateForm(request.POST)
        if not form.is_valid():
            return render_page(request, "verify.html", {"form": form, "token": token}, status=400)
        answer = access.check_date_of_birth(
            link=link, date_of_birth=form.cleaned_data["date_of_birth"]
        )
        if answer.locked:
            return _closed(request, "locked", 429)
        if not answer.verified:
            form.add_error(
                "date_of_birth", "That date does not match our records. Please try again."
            )
            return render_page(request, "verify.html", {"form": form, "token": token}, status=400)
        request.session.cycle_key()
        request.session[_session_key(link)] = access.open_visit(link=link)
        return redirect("links:page", token=token)
    if not _verified(request, link):
        return render_page(request, "verify.html", {"form": BirthDateForm(), "token": token})
    return _overview(request, link, token)


def _overview(
    request: HttpRequest, link: Link, token: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    what = offer.get_offer(link=link)
    practitioner_id = _int(request.GET.get("practitioner"))
    first = _day(request.GET.get("from"))
    moving = link.purpose == LinkPurpose.APPOINTMENT and request.GET.get("move") == "1"
    context: dict[str, object] = {
        "token": token,
        "link": link,
        "offer": what,
        "first_name": link.patient.first_name,
        "error": error,
        "moving": moving,
    }
    if link.purpose == LinkPurpose.APPOINTMENT:
        appointment = link.appointment
        assert appointment is not None
        context.update(
            appointment=appointment,
            can_confirm=offer.can_confirm(appointment=appointment),
            can_cancel=offer.can_self_cancel(appointment=appointment),
        )
    if what.can_book and (link.purpose != LinkPurpose.APPOINTMENT or moving):
        days = offer.list_offered_days(
            link=link, offer=what, first=first, practitioner_id=practitioner_id
        )
        context.update(
            days=days,
            practitioners=_practitioners(days),
            practitioner_id=practitioner_id,
        )
    template = {
        LinkPurpose.APPOINTMENT: "appointment.html",
        LinkPurpose.OFFER: "offer.html",
    }.get(LinkPurpose(link.purpose), "recall.html")
    return render_page(request, template, context, status=status)


def _practitioners(days: list[DaySlots]) -> list[Practitioner]:
    seen: dict[int, Practitioner] = {}
    for day in days:
        for practitioner, _ in day.by_practitioner:
            seen.setdefault(practitioner.pk, practitioner)
    return sorted(seen.values(), key=lambda p: p.name)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


ChoiceView = Callable[[HttpRequest, str, Link, Practitioner, datetime], HttpResponse]


def _with_choice(view: ChoiceView) -> Callable[[HttpRequest, str], HttpResponse]:
    """Runs ``view`` with the verified link and the practitioner and start chosen on it;
    else answers with the page that says why the link cannot be used, or with its times
    again to choose from."""

    @wraps(view)
    def chosen(request: HttpRequest, token: str) -> HttpResponse:
        link = open_verified(request, token)
        if isinstance(link, HttpResponse):
            return link
        form = StartForm(request.POST if request.method == "POST" else request.GET)
        practitioner = (
            Practitioner.objects.filter(pk=form.cleaned_data["practitioner"]).first()
            if form.is_valid()
            else None
        )
        if practitioner is None:
            return _overview(
                request, link, token, error="Please choose one of the times below.", status=400
            )
        return view(request, token, link, practitioner, form.cleaned_data["start"])

    return chosen


@require_GET
@_with_choice
def choose_page(
    request: HttpRequest, token: str, link: Link, practitioner: Practitioner, start_at: datetime
) -> HttpResponse:
    """The confirm step: the chosen start, written out, with one button to book it."""
    return render_page(
        request,
        "confirm.html",
        {
            "token": token,
            "offer": offer.get_offer(link=link),
            "practitioner": practitioner,
            "start": start_at,
            "start_value": request.GET.get("start", ""),
            "moving": link.purpose == LinkPurpose.APPOINTMENT,
        },
    )


@require_POST
@_with_choice
def book_page(
    request: HttpRequest, token: str, link: Link, practitioner: Practitioner, start_at: datetime
) -> HttpResponse:
    """Book (recall link) or move (appointment link) to the chosen start."""
    what = offer.get_offer(link=link)
    try:
        if link.purpose != LinkPurpose.APPOINTMENT:
            appointment = actions.book_from_link(
                link=link, offer=what, practitioner=practitioner, start_at=start_at
            )
        else:
            appointment = actions.move_from_link(
                link=link, practitioner=practitioner, start_at=start_at
            )
    except PathwayError as exc:
        return _refused(request, link, token, exc, start_at)
    return render_page(
        request, "done.html", {"token": token, "appointment": appointment, "done": "booked"}
    )


def _refused(
    request: HttpRequest, link: Link, token: str, exc: PathwayError, after: datetime
) -> HttpResponse:
    """The rule's own words and the next free starts, instead of a bare refusal."""
    what = offer.get_offer(link=link)
    nearby = offer.list_next_starts(link=link, offer=what, after=after)
    return render_page(
        request,
        "refused.html",
        {
            "token": token,
            "message": refusal_for_patient(exc.code, exc.message),
            "nearby": nearby,
            "offer": what,
        },
        status=exc.status if exc.status in (400, 409) else 400,
    )


@require_POST
def confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    return _appointment_action(request, token, "confirmed")


@require_POST
def cancel_page(request: HttpRequest, token: str) -> HttpResponse:
    return _appointment_action(request, token, "cancelled")


def _appointment_action(request: HttpRequest, token: str, done: str) -> HttpResponse:
    link = _open(request, token)
    if isinstance(link, HttpResponse):
        return link
    if link.purpose != LinkPurpose.APPOINTMENT:
        return _closed(request, "unknown", 404)
    if not _verified(request, link):
        return redirect("links:page", token=token)
    try:
        if done == "confirmed":
            appointment = actions.confirm_from_link(link=link)
        else:
            appointment = actions.cancel_from_link(link=link)
    except PathwayError as exc:
        return _overview(request, link, token, error=exc.message, status=400)
    return render_page(
        request, "done.html", {"token": token, "appointment": appointment, "done": done}
    )


@require_GET
def calendar_page(request: HttpRequest, token: str) -> HttpResponse:
    """The visit as an .ics file, for "add to calendar"; works right after booking too."""
    link = open_verified(request, token, after_booking=True)
    if isinstance(link, HttpResponse):
        return link
    appointment = _the_visit(link)
    if appointment is None or not appointment.is_live:
        return _closed(request, "ended", 410)
    response = HttpResponse(
        calendar_file.render_ics(appointment=appointment), content_type="text/calendar"
    )
    response["Content-Disposition"] = 'attachment; filename="visit.ics"'
    response["Cache-Control"] = NO_STORE
    return response


def _the_visit(link: Link) -> Appointment | None:
    if link.purpose == LinkPurpose.APPOINTMENT:
        return link.appointment
    return link.recall.booked_appointment if link.recall is not None else None
