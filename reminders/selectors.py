"""Reads for the API, the dashboard and staff: recalls and the follow-up summary.

The dashboard page and the API call these same functions, so a number on the page and
the same number from the API cannot disagree. Every read here is one query (two for the
conversion) whatever the number of rows: aggregates, or a page of rows with their last
SMS as a subquery.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypedDict, TypeVar, Unpack

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate

from reminders.models import (
    OPEN_RECALL_STATUSES,
    Message,
    Recall,
    RecallStatus,
)
from scheduler import clock
from scheduler.models import TreatmentType

Row = TypeVar("Row", bound=Model)


def only_given(rows: QuerySet[Row], **lookups: object) -> QuerySet[Row]:
    """``rows`` filtered by each lookup whose value was given: an empty or missing
    filter (None, "", 0, no statuses) means "any", as the API and the dashboard read it."""
    return rows.filter(**{lookup: value for lookup, value in lookups.items() if value})


class RecallFilters(TypedDict, total=False):
    """The filters the API and the dashboard share; the due dates are inclusive."""

    treatment_type: str | None
    # Whoever gave the injection the recall came from.
    practitioner_id: int | None
    kind: str | None
    due_after: date | None
    due_before: date | None


def filter_recalls(recalls: QuerySet[Recall], **given: Unpack[RecallFilters]) -> QuerySet[Recall]:
    if treatment_type := given.get("treatment_type"):
        # By id, looked up once inside the same query, rather than a join per recall:
        # the dashboard's counts then read only recall_week_summary_idx.
        recalls = recalls.filter(treatment_type_id=treatment_type_id(treatment_type))
    return only_given(
        recalls,
        source_appointment__practitioner_id=given.get("practitioner_id"),
        kind=given.get("kind"),
        due_on__gte=given.get("due_after"),
        due_on__lte=given.get("due_before"),
    )


def treatment_type_id(code: str) -> Subquery:
    """The catalogue id of ``code`` as a scalar subquery (NULL, so no match, if unknown)."""
    return Subquery(TreatmentType.objects.filter(code=code).order_by().values("pk")[:1])


def list_recalls(
    *,
    status: str | None = None,
    statuses: Sequence[str] = (),
    patient_id: int | None = None,
    **given: Unpack[RecallFilters],
) -> QuerySet[Recall]:
    recalls = only_given(
        Recall.objects.select_related("treatment_type", "patient"),
        status=status,
        status__in=statuses,
        patient_id=patient_id,
    )
    return filter_recalls(recalls, **given).order_by("due_on", "id")


def with_last_message(recalls: QuerySet[Recall]) -> QuerySet[Recall]:
    """Each recall with its latest SMS (``last_sms_*``), as subqueries of the same query."""
    latest = Message.objects.filter(recall=OuterRef("pk")).order_by("-created_at", "-id")
    return recalls.annotate(
        last_sms_at=Subquery(latest.values("created_at")[:1], output_field=DateTimeField()),
        last_sms_purpose=Subquery(latest.values("purpose")[:1], output_field=CharField()),
        last_sms_status=Subquery(latest.values("status")[:1], output_field=CharField()),
        last_sms_error_code=Subquery(latest.values("error_code")[:1], output_field=IntegerField()),
        last_sms_error_message=Subquery(
            latest.values("error_message")[:1], output_field=CharField()
        ),
    )


class WeekSummary(TypedDict):
    week_start: date
    due: int
    pending: int
    reminded: int
    booked: int
    lapsed: int
    overdue: int


def get_follow_up_summary(
    *,
    weeks: int,
    today: date | None = None,
    start_on: date | None = None,
    treatment_type: str | None = None,
    kind: str | None = None,
    practitioner_id: int | None = None,
) -> list[WeekSummary]:
    """One row per week (Monday first) from this week (or ``start_on``'s) on, in one query.

    ``due`` counts the follow-ups due that week (dismissed ones are no longer expected,
    so not counted) and splits into ``pending``, ``reminded``, ``booked`` and ``lapsed``.
    ``overdue`` counts those past due today and still open; the first row also carries
    the backlog from earlier weeks that has not lapsed yet, so the manager sees every
    overdue follow-up once.
    """
    today = today or clock.today()
    first = start_on or today
    start = first - timedelta(days=first.weekday())
    end = start + timedelta(weeks=weeks)
    backlog_from = today - timedelta(days=settings.RECALL_LAPSE_AFTER_DAYS)
    recalls = filter_recalls(
        Recall.objects.filter(due_on__gte=min(start, backlog_from), due_on__lt=end),
        treatment_type=treatment_type,
        kind=kind,
        practitioner_id=practitioner_id,
    )
    # Plain columns of recall_week_summary_idx and COUNT(*): an index-only scan in index
    # order, a few hundred (day, status) rows. Weeks, the due / overdue split and leaving
    # out the dismissed are done here, not per recall in SQL.
    rows = recalls.values_list("due_on", "status").annotate(n=Count("*")).order_by()
    by_week: dict[date, dict[str, int]] = {}
    for due_on, status, n in rows:
        if status == RecallStatus.DISMISSED:
            continue
        week = start if due_on < start else due_on - timedelta(days=due_on.weekday())
        counts = by_week.setdefault(week, dict.fromkeys(_WEEK_COUNTS, 0))
        if due_on >= start:
            counts["due"] += n
            if status in _WEEK_STATUSES:
                counts[status] += n
        if status in OPEN_RECALL_STATUSES and due_on < today:
            counts["overdue"] += n
    summary: list[WeekSummary] = []
    for number in range(weeks):
        week_start = start + timedelta(weeks=number)
        row = by_week.get(week_start, {})
        summary.append(
            {
                "week_start": week_start,
                "due": row.get("due", 0),
                "pending": row.get("pending", 0),
                "reminded": row.get("reminded", 0),
                "booked": row.get("booked", 0),
                "lapsed": row.get("lapsed", 0),
                "overdue": row.get("overdue", 0),
            }
        )
    return summary


_WEEK_STATUSES: tuple[str, ...] = tuple(
    status.value
    for status in (
        RecallStatus.PENDING,
        RecallStatus.REMINDED,
        RecallStatus.BOOKED,
        RecallStatus.LAPSED,
    )
)
_WEEK_COUNTS = ("due", *_WEEK_STATUSES, "overdue")


class ConversionCounts(TypedDict):
    due: int
    booked_in_time: int
    booked_late: int
    open: int
    lapsed: int
    dismissed: int


class ConversionRow(ConversionCounts):
    treatment_type: str
    treatment_name: str
    kind: str


def get_recall_conversion(
    *,
    due_after: date,
    due_before: date,
    within_days: int = 30,
    treatment_type: str | None = None,
    kind: str | None = None,
    practitioner_id: int | None = None,
) -> list[ConversionRow]:
    """Of the follow-ups due in the period, how many were booked within ``within_days``.

    A row per treatment type and kind, in two queries (the grouped recalls, then the
    catalogue's names). ``due`` leaves dismissed follow-ups out (staff said they are no
    longer expected); they are counted apart.
    "Booked" is the day the booking was made (clinic time), not the appointment's day.
    """
    recalls = filter_recalls(
        Recall.objects.all(),
        treatment_type=treatment_type,
        kind=kind,
        practitioner_id=practitioner_id,
        due_after=due_after,
        due_before=due_before,
    )
    # Grouped by recall_week_summary_idx's columns in its order and counted on due_on
    # (never null): an index-only scan that needs no sort or hash, a few hundred rows.
    # The catalogue is not joined to every recall: its few rows name the groups here.
    rows = (
        recalls.annotate(booked_on=TruncDate("booked_at", tzinfo=clock.clinic_tz()))
        .values_list("due_on", "status", "kind", "treatment_type_id")
        .annotate(
            n=Count("due_on"),
            in_time=Count(
                "due_on", filter=Q(booked_on__lte=F("due_on") + timedelta(days=within_days))
            ),
        )
        .order_by()
    )
    groups: dict[tuple[int, str], dict[str, int]] = {}
    for _due_on, status, kind, treatment_id, n, in_time in rows:
        counts = groups.setdefault((treatment_id, kind), dict.fromkeys(_CONVERSION_COUNTS, 0))
        if status != RecallStatus.DISMISSED:
            counts["due"] += n
        if status == RecallStatus.BOOKED:
            counts["booked"] += n
            counts["booked_in_time"] += in_time
        elif status in OPEN_RECALL_STATUSES:
            counts["open"] += n
        elif status == RecallStatus.LAPSED:
            counts["lapsed"] += n
        elif status == RecallStatus.DISMISSED:
            counts["dismissed"] += n
    catalogue = {
        pk: (code, name)
        for pk, code, name in TreatmentType.objects.values_list("pk", "code", "name")
    }
    conversion: list[ConversionRow] = [
        {
            "treatment_type": catalogue[treatment_id][0],
            "treatment_name": catalogue[treatment_id][1],
            "kind": kind,
            "due": counts["due"],
            "booked_in_time": counts["booked_in_time"],
            # A booking with no recorded day counts as late: it cannot be shown in time.
            "booked_late": counts["booked"] - counts["booked_in_time"],
            "open": counts["open"],
            "lapsed": counts["lapsed"],
            "dismissed": counts["dismissed"],
        }
        for (treatment_id, kind), counts in groups.items()
    ]
    return sorted(conversion, key=lambda row: (row["treatment_name"], row["kind"]))


_CONVERSION_COUNTS = ("due", "booked", "booked_in_time", "open", "lapsed", "dismissed")
