"""Booking: patient → treatment type → kind → slot → confirm, and moving a booking."""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode

from bookings import roles, services
from bookings.booking_at import get_chosen_time, only_qualified, treatment_ids
from bookings.booking_options import (
    SLOT_DAYS,
    DaySlots,
    get_picker_start,
    get_prescribed_units,
    get_usual_practitioner_id,
    list_kind_options,
    list_slot_days,
    next_free_slots,
)
from bookings.day_parts import PARTS, is_part
from bookings.errors import PathwayError, PatientBusy, SlotTaken
from bookings.forms import BookingForm, MoveForm
from bookings.models import Appointment, Patient
from bookings.phones import display_phone
from bookings.views import calendar_url, page, require
from bookings.wording import appointment_kind_label, kind_label
from scheduler import bounds, clock
from scheduler.models import Kind, TreatmentType
from scheduler.selectors import list_qualified_practitioners
from scheduler.time_format import clock_time


def _clock(local: datetime) -> str:
    return clock_time(local, clock=settings.CLINIC_CLOCK)


def _first_day(request: HttpRequest) -> date:
    """The picker's first day: from today to the last fortnight before the horizon."""
    today = clock.today()
    try:
        wanted = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return today
    last_first = bounds.latest_booking_day() - timedelta(days=SLOT_DAYS - 1)
    return max(min(wanted, last_first), today)


def _chosen_day(request: HttpRequest, days: list[DaySlots]) -> DaySlots | None:
    wanted = request.GET.get("day", "")
    for d in days:
        if d.day.isoformat() == wanted:
            return d
    return next((d for d in days if d.count), None)


def _slot_picker(
    request: HttpRequest,
    *,
    treatment: TreatmentType,
    kind: str,
    patient: Patient,
    safety: bool,
    moving: Appointment | None = None,
    usual_id: int | None = None,
) -> dict[str, Any]:
    """The picker's days and slots; an injection the rules refuse yet starts when allowed.

    ``with`` (a qualified practitioner's id) and ``part`` (of the day) narrow the times; a
    value that names nothing offered is dropped, so an old or edited link still works.
    """
    choices = list(list_qualified_practitioners(treatment, kind).prefetch_related(None))
    with_id = {str(p.pk): p.pk for p in choices}.get(request.GET.get("with", ""))
    part = request.GET.get("part", "")
    part = part if is_part(part) else ""
    start = get_picker_start(
        asked=_first_day(request),
        treatment=treatment,
        kind=kind,
        patient=patient if safety else None,
        moving=moving,
    )
    first = start.first
    # Nothing past the booking horizon can be booked, so the picker stops there.
    days_left = (bounds.latest_booking_day() - first).days + 1
    days = list_slot_days(
        first=first,
        days=min(SLOT_DAYS, days_left),
        treatment=treatment,
        kind=kind,
        patient=patient,
        moving=moving,
        safety=safety,
        usual_id=usual_id,
        practitioner_id=with_id,
        part=part,
    )
    filters = {"with": str(with_id)} if with_id else {}
    return {
        "filters": filters | ({"part": part} if part else {}),
        "practitioner_choices": choices,
        "parts": [(code, words[0]) for code, words in PARTS.items()],
        "chosen_with": with_id,
        "chosen_part": part,
        "usual_id": usual_id,
        "days": days,
        "chosen": _chosen_day(request, days),
        "first": first,
        "wait_note": start.note,
        "earlier": first.fromordinal(first.toordinal() - SLOT_DAYS)
        if first > start.floor
        else None,
        "later": first + timedelta(days=SLOT_DAYS) if days_left > SLOT_DAYS else None,
    }


def _sees_all(request: HttpRequest) -> bool:
    """A clinician may ask for the times a safety rule refuses, to override it."""
    return request.GET.get("all") == "1" and roles.can_record_clinical(request.user)


@require(roles.can_book)
def book(request: HttpRequest) -> HttpResponse:
    """One page that grows a step at a time; every choice is a GET parameter."""
    treatments = TreatmentType.objects.filter(active=True)
    # A time clicked on the week view travels with every step (bookings/booking_at.py).
    at, at_problem = get_chosen_time(request)
    ids = treatment_ids(at) if at is not None else set()
    if at is not None:
        treatments = treatments.filter(pk__in=ids)
    context: dict[str, Any] = {"treatments": treatments, "at": at, "at_problem": at_problem}
    patient_id = request.GET.get("patient", "")
    # isdecimal, not isdigit: "²" is a digit to Python but not a number to int().
    if not patient_id.isdecimal():
        return page(request, "bookings/book.html", context)
    patient = get_object_or_404(Patient, pk=patient_id)
    context["patient"] = patient
    context["phone_display"] = display_phone(patient.phone)
    treatment = TreatmentType.objects.filter(code=request.GET.get("treatment", "")).first()
    if treatment is None:
        return page(request, "bookings/book.html", context)
    context["treatment"] = treatment
    options = list_kind_options(patient=patient, treatment=treatment)
    if at is not None:
        options = only_qualified(options, chosen=at, treatment=treatment, ids=ids)
    context["kind_options"] = options
    allowed = {o.kind.value for o in options if o.allowed}
    kind = request.GET.get("kind", "")
    if kind not in allowed:
        return page(request, "bookings/book.html", context)
    if at is not None:
        # The time is chosen already: straight to the confirm page, which checks it all.
        return redirect(
            confirm_url(
                patient=patient,
                treatment=treatment,
                kind=kind,
                practitioner_id=at.practitioner.pk,
                start_at=at.start_at,
            )
        )
    context["kind"] = Kind(kind)
    context["kind_label"] = kind_label(Kind(kind), treatment)
    # A clinician about to override a safety rule sees every time the patient is free.
    see_all = _sees_all(request)
    context["see_all"] = see_all
    usual_id = get_usual_practitioner_id(patient=patient, treatment=treatment, kind=kind)
    context.update(
        _slot_picker(
            request,
            treatment=treatment,
            kind=kind,
            patient=patient,
            safety=not see_all,
            usual_id=usual_id,
        )
    )
    choice: dict[str, str] = {"patient": str(patient.pk), "treatment": treatment.code, "kind": kind}
    base = choice | ({"all": "1"} if see_all else {})
    context["picker_hidden"] = list(base.items())
    context["picker_base"] = f"?{urlencode(base | context['filters'])}&"
    context["slot_link_base"] = f"{reverse('bookings:book-confirm')}?{urlencode(choice)}&"
    return page(request, "bookings/book.html", context)


def confirm_url(
    *,
    patient: Patient,
    treatment: TreatmentType,
    kind: str,
    practitioner_id: int,
    start_at: datetime,
) -> str:
    query = urlencode(
        {
            "patient": str(patient.pk),
            "treatment": treatment.code,
            "kind": kind,
            "practitioner": str(practitioner_id),
            "start": clock.local(start_at).isoformat(),
        }
    )
    return f"{reverse('bookings:book-confirm')}?{query}"


# The fields that name the slot; the others (units, override) are typed on the page.
SLOT_FIELDS = ("patient", "treatment", "kind", "practitioner", "start")


@require(roles.can_book)
def book_confirm(request: HttpRequest) -> HttpResponse:
    form = BookingForm(request.POST if request.method == "POST" else request.GET)
    context: dict[str, Any] = {"form": form}
    valid = form.is_valid()
    v = form.cleaned_data
    if not all(name in v for name in SLOT_FIELDS):
        return page(request, "bookings/book_confirm.html", context, status=400)
    context["summary"] = {
        "patient": v["patient"],
        "treatment": v["treatment"],
        "kind": Kind(v["kind"]),
        "practitioner": v["practitioner"],
        "start_at": v["start"],
        "end_at": v["start"] + timedelta(minutes=v["treatment"].minutes_for(v["kind"])),
    }
    context["typical_units"] = v["treatment"].typical_units
    context["kind_label"] = kind_label(v["kind"], v["treatment"])
    if v["kind"] == Kind.INJECTION:
        context["prescribed_units"] = get_prescribed_units(
            patient=v["patient"], treatment=v["treatment"]
        )
    if not valid:
        # The slot is fine: show it again with the typed units and reason and their errors.
        return page(request, "bookings/book_confirm.html", context, status=400)
    if request.method != "POST":
        return page(request, "bookings/book_confirm.html", context)
    try:
        appointment = services.book_appointment(
            patient=v["patient"],
            practitioner=v["practitioner"],
            treatment=v["treatment"],
            kind=v["kind"],
            start_at=v["start"],
            by=request.user,
            planned_units=v["planned_units"],
            override_reason=v["override_reason"],
            override_rules=v["override_rules"],
        )
    except (SlotTaken, PatientBusy) as exc:
        # Either way the time cannot be had: offer the next ones free for both.
        context["error"] = exc
        context["alternatives"] = [
            (
                p,
                s,
                confirm_url(
                    patient=v["patient"],
                    treatment=v["treatment"],
                    kind=v["kind"],
                    practitioner_id=p.pk,
                    start_at=s.start_at,
                ),
            )
            for p, s in next_free_slots(
                treatment=v["treatment"], kind=v["kind"], after=v["start"], patient=v["patient"]
            )
        ]
        return page(request, "bookings/book_confirm.html", context, status=409)
    except PathwayError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        context["error"] = exc
        context["chosen_rules"] = v["override_rules"]
        return page(request, "bookings/book_confirm.html", context, status=400)
    local = clock.local(appointment.start_at)
    messages.success(
        request,
        f"Booked: {appointment_kind_label(appointment)} for {appointment.patient.full_name} "
        f"with {appointment.practitioner.name}, {local:%a} {local.day} {local:%b} at {_clock(local)}.",
    )
    return redirect("bookings:patient", appointment.patient_id)


@require(roles.can_book)
def move(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.select_related("patient", "practitioner", "course__treatment_type"),
        pk=pk,
    )
    treatment = appointment.course.treatment_type
    form = MoveForm(
        request.POST
        if request.method == "POST"
        else (request.GET if "start" in request.GET else None)
    )
    context: dict[str, Any] = {"appointment": appointment, "form": form}
    invalid = form.is_bound and not form.is_valid()
    if form.is_bound and not invalid:
        v = form.cleaned_data
        context["new_start"] = v["start"]
        context["new_practitioner"] = v["practitioner"]
        if request.method == "POST":
            try:
                services.move_appointment(
                    appointment=appointment,
                    start_at=v["start"],
                    practitioner=v["practitioner"],
                    by=request.user,
                    override_reason=v["override_reason"],
                    override_rules=v["override_rules"],
                )
            except PathwayError as exc:
                if exc.status == 403:
                    raise PermissionDenied(exc.message) from exc
                context["error"] = exc
                context["chosen_rules"] = v["override_rules"]
            else:
                local = clock.local(v["start"])
                messages.success(
                    request,
                    f"Moved to {local:%a} {local.day} {local:%b} at {_clock(local)} "
                    f"with {v['practitioner'].name}.",
                )
                return redirect(calendar_url(local.date()))
    # The appointment being moved is left out of its own way: its time and its place
    # in the re-injection and dose rules are free to it.
    see_all = _sees_all(request)
    context["see_all"] = see_all
    context.update(
        _slot_picker(
            request,
            treatment=treatment,
            kind=appointment.kind,
            patient=appointment.patient,
            safety=not see_all,
            moving=appointment,
            usual_id=appointment.practitioner_id,
        )
    )
    base = {"all": "1"} if see_all else {}
    context["picker_hidden"] = list(base.items())
    query = urlencode(base | context["filters"])
    context["picker_base"] = f"?{query}&" if query else "?"
    context["slot_link_base"] = request.path + "?"
    error = context.get("error")
    # 409 when the time is taken (by another booking or the patient's own), as in the API.
    status = error.status if isinstance(error, PathwayError) else 200
    if invalid:
        status = 400
    return page(request, "bookings/move.html", context, status=status)
