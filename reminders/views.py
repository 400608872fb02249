"""The managers' follow-ups dashboard (``/follow-ups/``) and its CSV exports."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from bookings import renewals, roles
from bookings.views import page, require
from reminders import dashboard, selectors, sms_selectors
from reminders.csv_export import csv_response
from reminders.dashboard import Filters, Windows
from reminders.links.counts import count_recalls_booked_by
from reminders.waitlist_pages.figures import get_waitlist_panel
from scheduler import clock
from scheduler.models import Practitioner, TreatmentType


def _filters(request: HttpRequest) -> tuple[dashboard.FilterForm, Filters]:
    form = dashboard.FilterForm(
        request.GET,
        treatments=TreatmentType.objects.filter(active=True).order_by("name"),
        practitioners=Practitioner.objects.filter(can_inject=True).order_by("name"),
    )
    return form, dashboard.read_filters(form)


def _windows(filters: Filters) -> Windows:
    return dashboard.windows_for(filters, today=clock.today(), now=clock.now())


@require(roles.can_manage)
def follow_ups(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    today = clock.today()
    windows = _windows(filters)
    weeks = selectors.get_follow_up_summary(
        weeks=windows.chart_weeks, start_on=windows.chart_start, **filters.recall_filters
    )
    overdue = dashboard.overdue_recalls(filters, windows)
    reminded = dashboard.reminded_recalls(filters, windows)
    conversion = selectors.get_recall_conversion(
        due_after=windows.conversion[0],
        due_before=windows.conversion[1],
        within_days=dashboard.BOOKED_WITHIN_DAYS,
        **filters.recall_filters,
    )
    booked_by = count_recalls_booked_by(
        due_after=windows.conversion[0], due_before=windows.conversion[1], **filters.recall_filters
    )
    sms_filters = filters.sms_filters(windows)
    sms = dashboard.SmsHealth(sms_selectors.get_sms_health(**sms_filters))
    reasons = sms_selectors.get_sms_failure_reasons(**sms_filters)
    failed = list(sms_selectors.list_failed_messages(**sms_filters)[: dashboard.ROWS_SHOWN])
    query = request.GET.urlencode()
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "windows": windows,
        "query": f"?{query}" if query else "",
        "today": today,
        "weeks": weeks,
        "chart": {
            "labels": [f"{w['week_start']:%-d %b}" for w in weeks],
            "pending": [w["pending"] for w in weeks],
            "reminded": [w["reminded"] for w in weeks],
            "booked": [w["booked"] for w in weeks],
        },
        "due_total": sum(w["due"] for w in weeks),
        "booked_total": sum(w["booked"] for w in weeks),
        "booked_by": booked_by,
        "chart_end": weeks[-1]["week_start"] + timedelta(days=6),
        "overdue_rows": list(dashboard.recall_rows(overdue[: dashboard.ROWS_SHOWN], today=today)),
        "overdue_count": overdue.count(),
        "reminded_rows": list(dashboard.recall_rows(reminded[: dashboard.ROWS_SHOWN], today=today)),
        "reminded_count": reminded.count(),
        "rows_shown": dashboard.ROWS_SHOWN,
        "conversion": [
            {
                **row,
                "kind_label": dashboard.kind_label(row["kind"]),
                "rate": dashboard.rate(row["booked_in_time"], row["due"]),
            }
            for row in conversion
        ],
        "conversion_total": dashboard.conversion_totals(conversion),
        "within_days": dashboard.BOOKED_WITHIN_DAYS,
        "sms": sms,
        "sms_days": dashboard.SMS_HEALTH_DAYS,
        "reasons": [
            {
                **reason,
                "words": dashboard.describe_sms_problem(
                    reason["status"], reason["error_code"], reason["reason"]
                ),
                "status_label": dashboard.SMS_STATUS_LABELS.get(reason["status"], reason["status"]),
            }
            for reason in reasons
        ],
        "renewals": renewals.list_renewals(today=today),
        "waitlist": get_waitlist_panel(
            today=today, after=filters.due_after, before=filters.due_before
        ),
        "renew_within": renewals.RENEW_WITHIN_DAYS,
        "failed": [
            {
                "message": m,
                "sent_at": clock.local(m.created_at),
                "problem": dashboard.describe_sms_problem(m.status, m.error_code, m.error_message),
            }
            for m in failed
        ],
    }
    return page(request, "reminders/follow_ups.html", context)


@require(roles.can_read)
def renewal_worklist(request: HttpRequest) -> HttpResponse:
    """The authorizations to renew, for the front desk and clinicians who chase insurers
    (the header counts them); managers see the same table on the dashboard."""
    return page(
        request,
        "reminders/renewals.html",
        {
            "renewals": renewals.list_renewals(today=clock.today()),
            "renew_within": renewals.RENEW_WITHIN_DAYS,
        },
    )


# --- CSV ---------------------------------------------------------------------------

RENEWAL_HEADER = [
    "Patient ID",
    "Patient",
    "Phone",
    "Treatment",
    "Insurer",
    "Authorization number",
    "Valid until",
    "Days left",
    "Sessions used",
    "Sessions left",
    "Units used",
    "Units left",
    "Why",
    "Last injection on",
    "Next due on",
    "Next injection booked on",
]


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def renewals_csv() -> StreamingHttpResponse:
    return _csv(
        "authorization-renewals",
        RENEWAL_HEADER,
        (
            [
                r.patient_id,
                r.patient,
                r.phone,
                r.treatment,
                r.payer,
                r.number,
                _day(r.valid_until),
                r.ends_in_days,
                r.sessions_used,
                r.sessions_left,
                r.units_used,
                r.units_left,
                r.why,
                _day(r.last_injection_on),
                _day(r.next_due_on),
                _day(r.next_booked_on),
            ]
            for r in renewals.list_renewals(today=clock.today())
        ),
    )


def _csv(name: str, header: list[str], rows: Iterable[list[object]]) -> StreamingHttpResponse:
    return csv_response(name=name, header=header, rows=rows)


RECALL_HEADER = [
    "Patient ID",
    "Patient",
    "Phone",
    "Treatment",
    "Follow-up",
    "Due on",
    "Days overdue",
    "Status",
    "Last injection on",
    "Injected by",
    "Last SMS at",
    "Last SMS",
    "Last SMS status",
    "Last SMS problem",
]


def _recall_csv(name: str, recalls: Any, today: date) -> StreamingHttpResponse:
    rows = dashboard.recall_rows(recalls.iterator(chunk_size=2000), today=today)
    return _csv(
        name,
        RECALL_HEADER,
        (
            [
                r.patient_id,
                r.patient,
                r.phone,
                r.treatment,
                r.kind,
                f"{r.due_on:%Y-%m-%d}",
                r.days_overdue,
                r.status,
                f"{r.last_injection_on:%Y-%m-%d}",
                r.injected_by,
                f"{r.last_sms_at:%Y-%m-%d %H:%M}" if r.last_sms_at else "",
                r.last_sms,
                r.last_sms_status,
                r.last_sms_problem,
            ]
            for r in rows
        ),
    )


@login_required
def follow_ups_csv(request: HttpRequest, table: str) -> HttpResponseBase:
    """One table of the dashboard, every row the filters select (not just those shown).

    Streamed, so a big chain's export never sits in memory (hence not ``require``,
    whose views return a plain HttpResponse).
    """
    if table == "renewals" and roles.can_read(request.user):
        # Not filtered by the dashboard's filters: the worklist is the whole clinic's.
        return renewals_csv()
    if not roles.can_manage(request.user):
        raise PermissionDenied
    _form, filters = _filters(request)
    today = clock.today()
    windows = _windows(filters)
    if table == "overdue":
        return _recall_csv("overdue-not-booked", dashboard.overdue_recalls(filters, windows), today)
    if table == "reminded":
        return _recall_csv(
            "reminded-not-booked", dashboard.reminded_recalls(filters, windows), today
        )
    if table == "conversion":
        start, end = windows.conversion
        rows = selectors.get_recall_conversion(
            due_after=start,
            due_before=end,
            within_days=dashboard.BOOKED_WITHIN_DAYS,
            **filters.recall_filters,
        )
        return _csv(
            "recall-conversion",
            [
                "Treatment",
                "Follow-up",
                "Due from",
                "Due to",
                "Due",
                f"Booked within {dashboard.BOOKED_WITHIN_DAYS} days",
                "Booked later",
                "Still open",
                "Lapsed",
                "Dismissed (not in Due)",
                f"Booked within {dashboard.BOOKED_WITHIN_DAYS} days (%)",
            ],
            (
                [
                    row["treatment_name"],
                    dashboard.kind_label(row["kind"]),
                    f"{start:%Y-%m-%d}",
                    f"{end:%Y-%m-%d}",
                    row["due"],
                    row["booked_in_time"],
                    row["booked_late"],
                    row["open"],
                    row["lapsed"],
                    row["dismissed"],
                    dashboard.rate(row["booked_in_time"], row["due"]),
                ]
                for row in rows
            ),
        )
    if table == "failed-sms":
        messages = sms_selectors.list_failed_messages(**filters.sms_filters(windows))
        return _csv(
            "failed-sms",
            ["Patient ID", "Patient", "To", "Written at", "SMS", "Status", "Error code", "Problem"],
            (
                [
                    m.patient_id,
                    m.patient.full_name,
                    m.to,
                    f"{clock.local(m.created_at):%Y-%m-%d %H:%M}",
                    m.get_purpose_display(),
                    m.get_status_display(),
                    m.error_code or "",
                    dashboard.describe_sms_problem(m.status, m.error_code, m.error_message),
                ]
                for m in messages.iterator(chunk_size=2000)
            ),
        )
    raise Http404("No such table.")
