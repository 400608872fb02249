"""``{% insurance_panel courses as rows %}``: the patient page's insurance part.

Per course: who pays and, for an insured course, its authorizations with their usage
in words. Two queries for any number of courses (the authorizations, their usage).
"""

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.forms import Form

from bookings.authorizations_read import get_usages, usage_words
from bookings.forms_authorizations import AuthorizationForm, FundingForm
from bookings.models import Authorization, Course, Funding
from scheduler import clock

register = template.Library()


@dataclass
class AuthorizationRow:
    authorization: Authorization
    usage: str
    ended: bool
    form: Form


@dataclass
class InsuranceRow:
    course: Course
    insured: bool
    funding_form: Form
    new_form: Form
    open_new: bool
    authorizations: list[AuthorizationRow] = field(default_factory=list)


@register.simple_tag(takes_context=True)
def insurance_panel(context: template.Context, courses: list[dict[str, Any]]) -> list[InsuranceRow]:
    # A refused form comes back bound, in the context, so what was typed is kept.
    bound: dict[str, Form] = context.get("authorization_forms") or {}
    course_rows = [row["course"] for row in courses]
    approvals = list(
        Authorization.objects.filter(course__in=course_rows).order_by("-valid_from", "-id")
    )
    usages = get_usages(authorizations=approvals) if approvals else {}
    today = clock.today()
    rows = []
    for course in course_rows:
        key = f"new-{course.pk}"
        row = InsuranceRow(
            course=course,
            insured=course.funding == Funding.INSURANCE,
            funding_form=bound.get(f"funding-{course.pk}")
            or FundingForm(initial={"funding": course.funding}, prefix=f"funding{course.pk}"),
            new_form=bound.get(key) or AuthorizationForm(prefix=f"new{course.pk}"),
            open_new=key in bound,
        )
        for a in approvals:
            if a.course_id != course.pk:
                continue
            row.authorizations.append(
                AuthorizationRow(
                    authorization=a,
                    usage=usage_words(authorization=a, usage=usages[a.pk]),
                    ended=a.valid_until < today,
                    form=bound.get(f"edit-{a.pk}") or AuthorizationForm(prefix_for=a),
                )
            )
        rows.append(row)
    return rows
