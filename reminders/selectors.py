"""Reads for the API, the dashboard and staff: recalls, the follow-up summary, messages."""

from datetime import date, timedelta
from typing import TypedDict

from django.conf import settings
from django.db.models import Case, Count, DateField, Q, QuerySet, Value, When
from django.db.models.functions import TruncWeek

from reminders.models import (
    OPEN_RECALL_STATUSES,
    Message,
    Recall,
    RecallStatus,
)
from scheduler import clock


def list_recalls(
    *,
    status: str | None = None,
    due_before: date | None = None,
    due_after: date | None = None,
    treatment_type: str | None = None,
    kind: str | None = None,
    patient_id: int | None = None,
) -> QuerySet[Recall]:
    recalls = Recall.objects.select_related("treatment_type", "patient")
    if status:
        recalls = recalls.filter(status=status)
    if due_before:
        recalls = recalls.filter(due_on__lte=due_before)
    if due_after:
        recalls = recalls.filter(due_on__gte=due_after)
    if treatment_type:
        recalls = recalls.filter(treatment_type__code=treatment_type)
    if kind:
        recalls = recalls.filter(kind=kind)
    if patient_id:
        recalls = recalls.filter(patient_id=patient_id)
    return recalls.order_by("due_on", "id")


class WeekSummary(TypedDict):
    week_start: date
    due: int
    reminded: int
    booked: int
    overdue: int


def get_follow_up_summary(
    *,
    weeks: int,
    today: date | None = None,
    treatment_type: str | None = None,
    kind: str | None = None,
) -> list[WeekSummary]:
    """One row per week (Monday first) from this week on, in one aggregate query.

    ``due``, ``reminded`` and ``booked`` count the follow-ups due that week (dismissed
    ones are no longer expected, so not counted). ``overdue`` counts those past due
    today and still open; this week's row also carries the backlog from earlier weeks
    that has not lapsed yet, so the manager sees every overdue follow-up once.
    """
    today = today or clock.today()
    start = today - timedelta(days=today.weekday())
    end = start + timedelta(weeks=weeks)
    backlog_from = today - timedelta(days=settings.RECALL_LAPSE_AFTER_DAYS)
    recalls = Recall.objects.filter(due_on__gte=min(start, backlog_from), due_on__lt=end).exclude(
        status=RecallStatus.DISMISSED
    )
    if treatment_type:
        recalls = recalls.filter(treatment_type__code=treatment_type)
    if kind:
        recalls = recalls.filter(kind=kind)
    in_week = Q(due_on__gte=start)
    rows = (
        recalls.annotate(
            week=Case(
                When(due_on__lt=start, then=Value(start)),
                default=TruncWeek("due_on"),
                output_field=DateField(),
            )
        )
        .values("week")
        .annotate(
            due=Count("id", filter=in_week),
            reminded=Count("id", filter=in_week & Q(status=RecallStatus.REMINDED)),
            booked=Count("id", filter=in_week & Q(status=RecallStatus.BOOKED)),
            overdue=Count("id", filter=Q(status__in=OPEN_RECALL_STATUSES, due_on__lt=today)),
        )
        .order_by("week")
    )
    by_week: dict[date, dict[str, int]] = {
        _as_date(row["week"]): {key: row[key] for key in ("due", "reminded", "booked", "overdue")}
        for row in rows
    }
    summary: list[WeekSummary] = []
    for number in range(weeks):
        week_start = start + timedelta(weeks=number)
        row = by_week.get(week_start, {})
        summary.append(
            {
                "week_start": week_start,
                "due": row.get("due", 0),
                "reminded": row.get("reminded", 0),
                "booked": row.get("booked", 0),
                "overdue": row.get("overdue", 0),
            }
        )
    return summary


def _as_date(value: object) -> date:
    # TruncWeek gives a date on PostgreSQL; some backends hand back a datetime.
    if hasattr(value, "date") and callable(value.date):
        return value.date()  # type: ignore[no-any-return]
    assert isinstance(value, date)
    return value


def list_messages(*, patient_id: int | None = None, status: str | None = None) -> QuerySet[Message]:
    messages = Message.objects.all()
    if patient_id:
        messages = messages.filter(patient_id=patient_id)
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-id")
