"""The patient page's insurance part: who pays, and the insurer's authorizations.

A refused form comes back on the patient page with its words by the field and what was
typed kept (docs/rules.md#errors).
"""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from bookings import roles
from bookings.authorizations import (
    AuthorizationInvalid,
    add_authorization,
    set_funding,
    update_authorization,
)
from bookings.forms_authorizations import AuthorizationForm, FundingForm
from bookings.models import Authorization, Course
from bookings.views import require
from bookings.views_patients import patient_page


def _show_errors(form: Form, exc: AuthorizationInvalid) -> None:
    for name, words in exc.errors.items():
        form.add_error(name if name in form.fields else None, words)


def _again(request: HttpRequest, course: Course, key: str, form: Form) -> HttpResponse:
    return patient_page(
        request, course.patient, extra={"authorization_forms": {key: form}}, status=400
    )


def _save(
    request: HttpRequest,
    course: Course,
    key: str,
    form: Form,
    write: Callable[..., object],
    *,
    done: str,
) -> HttpResponse:
    """Adding and changing an authorization alike: the form, then the service's checks,
    whose refusals come back by their fields."""
    if form.is_valid():
        try:
            write(by=request.user, **form.cleaned_data)
        except AuthorizationInvalid as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"{course.treatment_type.name}: authorization {done}.")
            return redirect("bookings:patient", course.patient_id)
    return _again(request, course, key, form)


@require_POST
@require(roles.can_book)
def course_funding(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(Course.objects.select_related("patient", "treatment_type"), pk=pk)
    form = FundingForm(request.POST, prefix=f"funding{course.pk}")
    if not form.is_valid():
        return _again(request, course, f"funding-{course.pk}", form)
    set_funding(course=course, funding=form.cleaned_data["funding"], by=request.user)
    messages.success(
        request, f"{course.treatment_type.name}: paid by {course.get_funding_display().lower()}."
    )
    return redirect("bookings:patient", course.patient_id)


@require_POST
@require(roles.can_book)
def authorization_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(Course.objects.select_related("patient", "treatment_type"), pk=pk)
    form = AuthorizationForm(request.POST, prefix=f"new{course.pk}")
    write = partial(add_authorization, course=course)
    return _save(request, course, f"new-{course.pk}", form, write, done="added")


@require_POST
@require(roles.can_book)
def authorization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authorization = get_object_or_404(
        Authorization.objects.select_related("course__patient", "course__treatment_type"), pk=pk
    )
    course = authorization.course
    form = AuthorizationForm(request.POST, prefix_for=authorization)
    write = partial(update_authorization, authorization=authorization)
    return _save(request, course, f"edit-{authorization.pk}", form, write, done="saved")
