"""The renewal worklist: insurance authorizations to renew before an injection is refused.

Listed: an insured course's latest authorization that has not ended, when it ends
within ``RENEW_WITHIN_DAYS`` or has one session or fewer left (docs/rules.md#authorizations).
One already followed by a later authorization on the same course is renewed, so it is
left out. Two queries, whatever the number of rows.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from bookings.authorization_rule import Use, usage_of
from bookings.authorizations_read import authorization_state
from bookings.models import LIVE_STATUSES, Appointment, Authorization, Funding, Status
from bookings.phones import display_phone
from scheduler.clock import local_date
from scheduler.models import Kind

RENEW_WITHIN_DAYS = 30
SESSIONS_LEFT_TO_RENEW = 1


@dataclass(frozen=True)
class Renewal:
    authorization: Authorization
    patient_id: int
    patient: str
    phone: str
    treatment: str
    payer: str
    number: str
    valid_until: date
    ends_in_days: int
    sessions_used: int
    sessions_left: int
    units_used: int
    units_left: int
    why: str
    last_injection_on: date | None
    next_due_on: date | None
    next_booked_on: date | None


@dataclass
class _CourseInjections:
    uses: list[Use]
    last_given_on: date | None = None
    next_booked_on: date | None = None


def _current_authorizations(today: date) -> list[Authorization]:
    renewed = Authorization.objects.filter(
        course_id=OuterRef("course_id"), valid_until__gt=OuterRef("valid_until")
    )
    return list(
        Authorization.objects.filter(valid_until__gte=today, course__funding=Funding.INSURANCE)
        .exclude(Exists(renewed))
        .select_related("course__patient", "course__treatment_type")
        .order_by("valid_until", "id")
    )


def _injections(course_ids: set[int], today: date) -> dict[int, _CourseInjections]:
    found: dict[int, _CourseInjections] = defaultdict(lambda: _CourseInjections([]))
    rows = (
        Appointment.objects.filter(
            course_id__in=course_ids, kind=Kind.INJECTION, status__in=LIVE_STATUSES
        )
        .order_by("start_at")
        .values_list("course_id", "start_at", "status", "units_given", "planned_units")
    )
    for course_id, start_at, status, given, planned in rows:
        on = local_date(start_at)
        course = found[course_id]
        done = status == Status.COMPLETED
        course.uses.append(Use(on, (given if done and given else planned) or 0))
        if done:
            course.last_given_on = on
        elif on >= today and course.next_booked_on is None:
            course.next_booked_on = on
    return found


def list_renewals(*, today: date, within_days: int = RENEW_WITHIN_DAYS) -> list[Renewal]:
    """Soonest end first."""
    current = _current_authorizations(today)
    if not current:
        return []
    injections = _injections({a.course_id for a in current}, today)
    rows = []
    for a in current:
        course = a.course
        seen = injections[course.pk]
        used = usage_of(authorization_state(a), seen.uses)
        sessions_left = max(a.approved_sessions - used.sessions, 0)
        ends_in = (a.valid_until - today).days
        reasons = []
        if ends_in <= within_days:
            reasons.append("ends today" if ends_in == 0 else f"ends in {ends_in} days")
        if sessions_left <= SESSIONS_LEFT_TO_RENEW:
            reasons.append(
                "no session left" if sessions_left == 0 else f"{sessions_left} session left"
            )
        if not reasons:
            continue
        last = seen.last_given_on
        rows.append(
            Renewal(
                authorization=a,
                patient_id=course.patient_id,
                patient=course.patient.full_name,
                phone=display_phone(course.patient.phone),
                treatment=course.treatment_type.name,
                payer=a.payer,
                number=a.number,
                valid_until=a.valid_until,
                ends_in_days=ends_in,
                sessions_used=used.sessions,
                sessions_left=sessions_left,
                units_used=used.units,
                units_left=max(a.approved_units - used.units, 0),
                why=", ".join(reasons),
                last_injection_on=last,
                next_due_on=(
                    last + timedelta(days=course.effective_recall_interval_days) if last else None
                ),
                next_booked_on=seen.next_booked_on,
            )
        )
    return rows


def count_renewals(*, today: date) -> int:
    return len(list_renewals(today=today))
