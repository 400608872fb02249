"""Reads of the clinic calendar."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet

from scheduler.clock import at
from scheduler.models import Kind, Practitioner, TimeOff, TreatmentType, WorkingHours
from scheduler.slots import Hours, Interval

KIND_FLAG = {
    Kind.EXAM: "can_examine",
    Kind.PRESCRIPTION: "can_prescribe",
    Kind.INJECTION: "can_inject",
}


def is_qualified(practitioner: Practitioner, treatment: TreatmentType, kind: str) -> bool:
    """The flag for the kind, and the treatment among the practitioner's types."""
    if not practitioner.active:
        return False
    if kind == Kind.REVIEW:
        flag_ok = practitioner.can_examine or practitioner.can_inject
    else:
        flag_ok = bool(getattr(practitioner, KIND_FLAG[Kind(kind)]))
    return flag_ok and practitioner.treatment_types.filter(pk=treatment.pk).exists()


def list_qualified_practitioners(
    treatment: TreatmentType, kind: str, practitioner_id: int | None = None
) -> QuerySet[Practitioner]:
    qs = Practitioner.objects.filter(active=True, treatment_types=treatment)
    if kind == Kind.REVIEW:
        qs = qs.filter(Q(can_examine=True) | Q(can_inject=True))
    else:
        qs = qs.filter(**{KIND_FLAG[Kind(kind)]: True})
    if practitioner_id is not None:
        qs = qs.filter(pk=practitioner_id)
    return qs.prefetch_related(
        Prefetch("working_hours", queryset=WorkingHours.objects.order_by("weekday", "start_time"))
    ).order_by("name", "pk")


def get_qualified_hours(
    treatment: TreatmentType, kind: str, practitioner_id: int | None = None
) -> dict[int, list[Hours]]:
    """Weekly hours of each qualified practitioner, in one query and without model instances.

    All the slot search needs of ``list_qualified_practitioners``: a practitioner
    without hours has no slots, so leaving them out changes nothing.
    """
    qualified = list_qualified_practitioners(treatment, kind, practitioner_id).values("pk")
    found: dict[int, list[Hours]] = defaultdict(list)
    rows = (
        WorkingHours.objects.filter(practitioner__in=qualified)
        .order_by()
        .values_list("practitioner_id", "weekday", "start_time", "end_time")
    )
    for pid, weekday, start, end in rows:
        found[pid].append(Hours(weekday, start, end))
    return found


def get_qualified_week(
    treatment: TreatmentType, kind: str, practitioner_id: int | None = None
) -> tuple[dict[int, list[Hours]], dict[int, Practitioner]]:
    """``get_qualified_hours`` with the practitioners themselves, still in one query.

    For a search whose answer names its practitioners: reading them afterwards cost a
    query of its own.
    """
    qualified = list_qualified_practitioners(treatment, kind, practitioner_id).values("pk")
    found: dict[int, list[Hours]] = defaultdict(list)
    practitioners: dict[int, Practitioner] = {}
    for row in (
        WorkingHours.objects.filter(practitioner__in=qualified)
        .select_related("practitioner")
        .order_by()
    ):
        found[row.practitioner_id].append(Hours(row.weekday, row.start_time, row.end_time))
        practitioners.setdefault(row.practitioner_id, row.practitioner)
    return found, practitioners


def hours_of(practitioner: Practitioner) -> list[Hours]:
    return [Hours(h.weekday, h.start_time, h.end_time) for h in practitioner.working_hours.all()]


def overlapping(start_at: datetime, end_at: datetime) -> Q:
    """Rows whose ``start_at``..``end_at`` shares time with the span: ends are open, so a
    visit may start the minute another ends (the exclusion constraints agree)."""
    return Q(start_at__lt=end_at, end_at__gt=start_at)


def range_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return at(first, time(0)), at(last + timedelta(days=1), time(0))


def get_time_off(
    practitioner_ids: list[int], start_at: datetime, end_at: datetime
) -> dict[int, list[Interval]]:
    found: dict[int, list[Interval]] = defaultdict(list)
    rows = TimeOff.objects.filter(
        overlapping(start_at, end_at), practitioner_id__in=practitioner_ids
    ).values_list("practitioner_id", "start_at", "end_at")
    for pid, start, end in rows:
        found[pid].append((start, end))
    return found
