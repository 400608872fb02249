"""One appointment: its page (or the calendar's side panel), status actions, completion."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bookings import amendments, no_shows, roles, services
from bookings.actions import get_appointment_actions
from bookings.audit_lines import get_booked_by, list_record_lines, rules_in_words
from bookings.errors import FieldRefused, PathwayError
from bookings.forms import (
    CANCEL_REASONS,
    PRODUCTS,
    AmendReasonForm,
    CancelForm,
    NoteForm,
    OverrideForm,
    outcome_form_for,
)
from bookings.models import Appointment
from bookings.next_step import get_course_next_booking
from bookings.phones import display_phone
from bookings.views import back_to, header, page, require, safe_next
from bookings.wording import appointment_kind_label
from scheduler import clock
from scheduler.models import Kind


def _refused_field(exc: PathwayError, *forms_: forms.Form) -> bool:
    """Show a refused value by its field, as the form's own check would; False if not one.

    The services check what needs the database (a lot, a vial, sessions already used);
    the clinician reads why next to what they typed, like any other field error.
    """
    if not isinstance(exc, FieldRefused):
        return False
    owner = next((form for form in forms_ if exc.field in form.fields), forms_[0])
    owner.add_error(exc.field if exc.field in owner.fields else None, exc.message)
    return True


def _get(pk: int) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related(
            "patient", "practitioner", "course__treatment_type", "prescription"
        ),
        pk=pk,
    )


def _context(
    request: HttpRequest,
    appointment: Appointment,
    *,
    cancel_form: forms.Form | None = None,
    outcome_form: forms.Form | None = None,
    amend_form: forms.Form | None = None,
    amend_reason_form: forms.Form | None = None,
    override_form: OverrideForm | None = None,
    error: PathwayError | None = None,
    error_for: str = "",
) -> dict[str, Any]:
    """What the appointment's actions need; the offered actions follow the services' rules."""
    can_book = roles.can_book(request.user)
    can_record = roles.can_record_clinical(request.user)
    offered = get_appointment_actions(
        appointment=appointment, now=clock.now(), can_book=can_book, can_record=can_record
    )
    kind = appointment.kind
    if outcome_form is None and can_record:
        initial = {"units": appointment.planned_units} if kind == Kind.INJECTION else {}
        outcome_form = outcome_form_for(appointment, initial=initial)
    if amend_form is None and offered.amend:
        amend_form = outcome_form_for(appointment, initial=amendments.recorded_values(appointment))
    override_form = override_form or OverrideForm()
    return {
        "appointment": appointment,
        "phone_display": display_phone(appointment.patient.phone),
        "next": request.GET.get("next") or request.POST.get("next") or "",
        "may_confirm": offered.confirm,
        "may_check_in": offered.check_in,
        "may_no_show": offered.no_show,
        "no_show_undo_until": no_shows.get_no_show_undo_until(appointment=appointment)
        if can_book
        else None,
        "may_cancel": offered.cancel,
        "may_move": offered.move,
        "may_complete": offered.complete,
        "cancel_form": cancel_form or CancelForm(),
        "cancel_reasons": CANCEL_REASONS,
        "outcome_form": outcome_form,
        "products": PRODUCTS,
        "kind_words": appointment_kind_label(appointment),
        "may_amend": offered.amend,
        "amend_form": amend_form,
        "amend_reason_form": amend_reason_form or AmendReasonForm(),
        "override_reason": override_form["override_reason"],
        "chosen_rules": override_form["override_rules"].value() or [],
        "booking_override_words": rules_in_words(appointment.overridden_rules),
        "record_lines": list_record_lines(appointment),
        "booked_by": get_booked_by(appointment),
        "staff_notes": list(appointment.staff_notes.select_related("by")),
        "note_form": NoteForm(),
        "error": error,
        "error_for": error_for,
    }


@require(roles.can_read)
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _get(pk)
    context = _context(request, appointment)
    if request.htmx:  # type: ignore[attr-defined]
        # The calendar opens this in its side panel, with the course's next booking a click away.
        if roles.can_book(request.user):
            context["next_booking"] = get_course_next_booking(course=appointment.course)
        return render(request, "bookings/_appointment_panel.html", {**header(request), **context})
    return page(request, "bookings/appointment_detail.html", context)


def _status_action(
    action: Callable[..., Appointment], done: str
) -> Callable[[HttpRequest, int], HttpResponse]:
    @require(roles.can_book)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        appointment = _get(pk)
        try:
            action(appointment=appointment, by=request.user)
        except PathwayError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{appointment.patient.full_name}: {done}.")
        return back_to(request, reverse("bookings:appointment", args=[pk]))

    return view


confirm = _status_action(services.confirm_appointment, "confirmed")
check_in = _status_action(services.check_in_appointment, "checked in")
undo_no_show = _status_action(no_shows.undo_no_show, "no-show undone")


@require(roles.can_book)
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (a page of its own, so it works without JavaScript); marks on "yes".

    The appointment's actions offer the same question inline; a POST without the
    answer, from an old page or a double click, is asked again rather than acted on.
    """
    appointment = _get(pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            no_shows.mark_no_show(appointment=appointment, by=request.user)
        except PathwayError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"{appointment.patient.full_name}: marked as a no-show. "
                "You can undo this until the end of today.",
            )
        return back_to(request, reverse("bookings:appointment", args=[pk]))
    context = _context(request, appointment)
    if not context["may_no_show"]:
        messages.error(request, "This appointment cannot be marked as a no-show.")
        return back_to(request, reverse("bookings:appointment", args=[pk]))
    context["back"] = safe_next(request, reverse("bookings:appointment", args=[pk]))
    return page(request, "bookings/no_show_confirm.html", context)


@require(roles.can_book)
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _get(pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_appointment(
                appointment=appointment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except PathwayError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{appointment.patient.full_name}: cancelled.")
        return back_to(request, reverse("bookings:appointment", args=[pk]))
    context = _context(request, appointment, cancel_form=form, error_for="cancel")
    return page(request, "bookings/appointment_detail.html", context, status=400)


def _record(
    request: HttpRequest,
    appointment: Appointment,
    write: Callable[..., object],
    *,
    done: str,
    error_for: str,
    **forms_: forms.Form,
) -> HttpResponse:
    """Complete and amend alike: every form checked, then ``write`` given the appointment,
    who writes and the override; a refusal comes back by its field or above the forms, and
    only a clinician may write (403). Forms are named as the page's context names them."""
    override = OverrideForm(request.POST)
    error: PathwayError | None = None
    if all([*(form.is_valid() for form in forms_.values()), override.is_valid()]):
        try:
            write(
                appointment=appointment,
                by=request.user,
                override_reason=override.cleaned_data["override_reason"],
                override_rules=override.cleaned_data["override_rules"],
            )
        except PathwayError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            if not _refused_field(exc, *forms_.values()):
                error = exc
        else:
            messages.success(request, done)
            return back_to(request, reverse("bookings:appointment", args=[appointment.pk]))
    context = _context(
        request, appointment, **forms_, override_form=override, error=error, error_for=error_for
    )
    return page(request, "bookings/appointment_detail.html", context, status=400)


@require(roles.can_record_clinical)
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _get(pk)
    form = outcome_form_for(appointment, data=request.POST)
    return _record(
        request,
        appointment,
        lambda **given: services.complete_appointment(
            outcome={k: v for k, v in form.cleaned_data.items() if v not in (None, "")}, **given
        ),
        done=f"{appointment_kind_label(appointment)} for {appointment.patient.full_name} recorded.",
        error_for="complete",
        outcome_form=form,
    )


@require(roles.can_record_clinical)
@require_POST
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    """A clinician corrects a recorded outcome; what it replaced stays in the history."""
    appointment = _get(pk)
    form = outcome_form_for(appointment, data=request.POST)
    why = AmendReasonForm(request.POST)
    return _record(
        request,
        appointment,
        lambda **given: amendments.amend_outcome(
            changes=form.cleaned_data, reason=why.cleaned_data["reason"], **given
        ),
        done="The record is amended; the earlier values are kept.",
        error_for="amend",
        amend_form=form,
        amend_reason_form=why,
    )
