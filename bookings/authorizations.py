"""Writes for course funding and insurance authorizations (docs/rules.md#authorizations).

Front desk and clinicians set who pays and keep the insurer's approvals; the booking
rule (``bookings/authorization_rule.py``) reads them. Bad input is refused whole, each
problem named by its field, on the page and the API alike.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from bookings import roles
from bookings.authorizations_read import get_usages
from bookings.errors import PathwayError
from bookings.models import Authorization, Course, Funding
from bookings.roles import Actor, recorded_by
from bookings.services import audit_patient, set_recall_interval
from scheduler import bounds

MAX_SESSIONS = bounds.MAX_SESSIONS
MAX_UNITS = bounds.MAX_UNITS * bounds.MAX_SESSIONS
FIELDS = ("payer", "number", "approved_units", "approved_sessions", "valid_from", "valid_until")


@dataclass
class AuthorizationInvalid(Exception):
    """Field → plain words, for the form or the API's ``{"field": ["…"]}``."""

    errors: dict[str, str] = field(default_factory=dict)


def _may_manage(by: Actor) -> None:
    if not roles.can_book(by):
        raise PathwayError(
            "not_allowed",
            "Only front desk and clinicians manage funding and authorizations.",
            status=403,
        )


@transaction.atomic
def set_funding(*, course: Course, funding: str, by: Actor) -> Course:
    """Who pays for the course. Self-pay lifts the authorization rule; the approvals
    stay, so switching back finds them."""
    _may_manage(by)
    if funding not in Funding.values:
        raise AuthorizationInvalid({"funding": "Choose self-pay or insurance."})
    before = course.funding
    course.funding = funding
    course.save(update_fields=["funding"])
    if before != funding:
        _audit(course, "funding_changed", by, before=before, after=funding)
    return course


def _audit(course: Course, action: str, by: Actor, **detail: Any) -> None:
    """Who changed what the insurer pays, kept with the patient's history."""
    audit_patient(course.patient_id, action, by, course=course.pk, **detail)


def _values(authorization: Authorization) -> dict[str, str]:
    return {name: str(getattr(authorization, name)) for name in (*FIELDS, "notes")}


@transaction.atomic
def update_course(*, course: Course, by: Actor, changes: dict[str, Any]) -> Course:
    """The course's PATCH: both changes or neither (the interval is a clinician's)."""
    if "recall_interval_days" in changes:
        course = set_recall_interval(course=course, days=changes["recall_interval_days"], by=by)
    if "funding" in changes:
        course = set_funding(course=course, funding=changes["funding"], by=by)
    return course


def _check(
    *, course: Course, values: dict[str, Any], editing: Authorization | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in ("payer", "number"):
        text = str(values.get(name) or "").strip()
        if not text:
            errors[name] = "This is required."
        elif bounds.has_nul(text):
            errors[name] = "Remove the invisible characters."
        values[name] = text
    sessions, units = values.get("approved_sessions"), values.get("approved_units")
    if not isinstance(sessions, int) or not 1 <= sessions <= MAX_SESSIONS:
        errors["approved_sessions"] = f"Enter a number of sessions from 1 to {MAX_SESSIONS}."
    if not isinstance(units, int) or not 1 <= units <= MAX_UNITS:
        errors["approved_units"] = f"Enter a number of units from 1 to {MAX_UNITS}."
    start, end = values.get("valid_from"), values.get("valid_until")
    first, last = bounds.query_range()
    for name, day in (("valid_from", start), ("valid_until", end)):
        if not isinstance(day, date):
            errors[name] = "Enter a date."
        elif not first <= day <= last:
            errors[name] = bounds.query_date_message()
    if "valid_from" in errors or "valid_until" in errors:
        return errors
    assert isinstance(start, date) and isinstance(end, date)
    if end < start:
        errors["valid_until"] = "The end of validity must be on or after its start."
        return errors
    if course.funding != Funding.INSURANCE:
        errors["course"] = (
            "This course is self-pay: switch it to insurance before adding an authorization."
        )
    others = course.authorizations.all()
    if editing is not None:
        others = others.exclude(pk=editing.pk)
    clash = others.filter(valid_from__lte=end, valid_until__gte=start).first()
    if clash is not None:
        # One approval per date, so every injection counts against exactly one.
        errors["valid_from"] = (
            f"This period overlaps the authorization valid from {bounds.spoken_date(clash.valid_from)} "
            f"until {bounds.spoken_date(clash.valid_until)}."
        )
    return errors


def _check_usage(*, authorization: Authorization, errors: dict[str, str]) -> None:
    """An approval is never edited below what its period already holds."""
    used = get_usages(authorizations=[authorization])[authorization.pk]
    if isinstance(authorization.approved_sessions, int) and (
        authorization.approved_sessions < used.sessions
    ):
        errors["approved_sessions"] = (
            f"{used.sessions} sessions are already used or booked in this period; "
            f"approve at least {used.sessions}."
        )
    if isinstance(authorization.approved_units, int) and (
        authorization.approved_units < used.units
    ):
        errors["approved_units"] = (
            f"{used.units} units are already used or booked in this period; "
            f"approve at least {used.units}."
        )


@transaction.atomic
def add_authorization(*, course: Course, by: Actor, **values: Any) -> Authorization:
    _may_manage(by)
    course = Course.objects.select_for_update().get(pk=course.pk)
    values = {name: values.get(name) for name in (*FIELDS, "notes")}
    errors = _check(course=course, values=values, editing=None)
    if errors:
        raise AuthorizationInvalid(errors)
    authorization = Authorization.objects.create(
        course=course,
        created_by=recorded_by(by),
        **{**values, "notes": str(values.get("notes") or "").strip()},
    )
    _audit(course, "authorization_added", by, authorization=authorization.pk)
    return authorization


@transaction.atomic
def update_authorization(
    *, authorization: Authorization, by: Actor, **changes: Any
) -> Authorization:
    _may_manage(by)
    course = Course.objects.select_for_update().get(pk=authorization.course_id)
    authorization = Authorization.objects.get(pk=authorization.pk)
    before = _values(authorization)
    values = {name: changes.get(name, getattr(authorization, name)) for name in FIELDS}
    errors = _check(course=course, values=values, editing=authorization)
    for name, value in values.items():
        setattr(authorization, name, value)
    if "notes" in changes:
        authorization.notes = str(changes["notes"] or "").strip()
    if not errors or set(errors) == {"course"}:
        # Editing an approval on a course since switched to self-pay is allowed: it is
        # kept for when the course goes back to insurance.
        errors.pop("course", None)
        _check_usage(authorization=authorization, errors=errors)
    if errors:
        raise AuthorizationInvalid(errors)
    authorization.save()
    after = _values(authorization)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        # The earlier values stay in the audit trail, as an amended outcome's do.
        _audit(course, "authorization_changed", by, authorization=authorization.pk, **changed)
    return authorization
