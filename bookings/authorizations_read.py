"""Reads of insurance authorizations for the rules (docs/rules.md#authorizations).

Kept apart from ``selectors`` so the worklist and the API can share the usage count
without importing the slot search.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from bookings.authorization_rule import AuthorizationState, Usage, Use, usage_of
from bookings.models import LIVE_STATUSES, Appointment, Authorization, Course, Status
from scheduler.clock import local_date
from scheduler.models import Kind


def authorization_state(authorization: Authorization) -> AuthorizationState:
    return AuthorizationState(
        id=authorization.pk,
        valid_from=authorization.valid_from,
        valid_until=authorization.valid_until,
        approved_units=authorization.approved_units,
        approved_sessions=authorization.approved_sessions,
    )


def get_authorization_states(*, course: Course | None) -> list[AuthorizationState]:
    """One query: the course's authorizations as the rule sees them."""
    if course is None:
        return []
    rows: QuerySet[Authorization] = Authorization.objects.filter(course=course).order_by(
        "valid_from", "id"
    )
    return [authorization_state(a) for a in rows]


def get_usages(*, authorizations: Iterable[Authorization]) -> dict[int, Usage]:
    """Sessions and units each authorization has used, in one query for any number.

    The same count as the booking rule's: the course's live injections (booked or
    given) dated, in clinic time, inside the period; given units where recorded.
    """
    rows = list(authorizations)
    uses: dict[int, list[Use]] = defaultdict(list)
    injections = Appointment.objects.filter(
        course_id__in={a.course_id for a in rows},
        kind=Kind.INJECTION,
        status__in=LIVE_STATUSES,
    ).values_list("course_id", "start_at", "status", "units_given", "planned_units")
    for course_id, start_at, status, given, planned in injections.order_by():
        units = given if status == Status.COMPLETED and given else planned
        uses[course_id].append(Use(local_date(start_at), units or 0))
    return {a.pk: usage_of(authorization_state(a), uses[a.course_id]) for a in rows}


def usage_words(*, authorization: Authorization, usage: Usage) -> str:
    """ "2 of 4 sessions, 310 of 620 units, until 3 Jun 2027"."""
    until = authorization.valid_until
    return (
        f"{usage.sessions} of {authorization.approved_sessions} sessions, "
        f"{usage.units} of {authorization.approved_units} units, "
        f"until {until.day} {until:%b %Y}"
    )
