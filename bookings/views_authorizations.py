"""The patient page's insurance part: who pays, and the insurer's authorizations.

A refused form comes back on the patient page with its words by the field and what was
typed kept (docs/rules.md#errors).
"""

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
    if form.is_valid():
        try:
            add_authorization(course=course, by=request.user, **form.cleaned_data)
        except AuthorizationInvalid as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"{course.treatment_type.name}: authorization added.")
            return redirect("bookings:patient", course.patient_id)
    return _again(request, course, f"new-{course.pk}", form)


@require_POST
@require(roles.can_book)
def authorization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authorization = get_object_or_404(
        Authorization.objects.select_related("course__patient", "course__treatment_type"), pk=pk
    )
    course = authorization.course
    form = AuthorizationForm(request.POST, prefix_for=authorization)
    if form.is_valid():
        try:
            update_authorization(authorization=authorization, by=request.user, **form.cleaned_data)
        except AuthorizationInvalid as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"{course.treatment_type.name}: authorization saved.")
            return redirect("bookings:patient", course.patient_id)
    return _again(request, course, f"edit-{authorization.pk}", form)
