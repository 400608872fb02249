"""The managers' follow-ups dashboard: its filters, the windows each part looks at, and
the rows it shows and exports. All counting is done by ``reminders.selectors`` (the
API's functions), so the page and the API cannot disagree.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django import forms
from django.conf import settings

from bookings.phones import display_phone
from reminders import selectors
from reminders.models import (
    OPEN_RECALL_STATUSES,
    MessageStatus,
    Purpose,
    Recall,
    RecallKind,
    RecallStatus,
)
from scheduler import bounds, clock
from scheduler.models import Practitioner, TreatmentType

CHART_WEEKS = 8
MAX_CHART_WEEKS = 52
BOOKED_WITHIN_DAYS = 30
SMS_HEALTH_DAYS = 30
ROWS_SHOWN = 50

# Twilio's error codes in words a front desk can act on (www.twilio.com/docs/api/errors).
SMS_ERRORS = {
    20429: "too many requests to Twilio (retried later)",
    21211: "invalid phone number",
    21408: "texts to this country are not enabled",
    21610: "patient opted out (replied STOP)",
    21612: "this number cannot be reached from ours",
    21614: "number not a mobile (cannot receive texts)",
    30003: "phone switched off or out of coverage",
    30004: "the patient blocked our texts",
    30005: "number unknown or no longer in service",
    30006: "landline, or the carrier cannot be reached",
    30007: "blocked by the carrier as spam",
    30008: "the carrier gave no reason",
    30034: "our sending number is not registered (10DLC)",
}


def describe_sms_problem(status: str, error_code: int | None, error_message: str) -> str:
    """Why an SMS did not reach the patient, in words; empty when nothing went wrong."""
    if error_code:
        words = SMS_ERRORS.get(error_code, error_message or "error from the SMS provider")
        return f"{words} ({error_code})"
    if status == MessageStatus.SUPPRESSED:
        return error_message or "no reason recorded"
    if status == MessageStatus.QUEUED:
        return error_message  # why it waits (the patient's text limit), if it does
    if status == MessageStatus.UNKNOWN:
        return "sent, but the outcome is uncertain"
    if status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
        return error_message or "no reason given"
    return ""


class FilterForm(forms.Form):
    """The dashboard's filters, read from the query string so a view can be bookmarked."""

    treatment_type = forms.ChoiceField(label="Treatment", required=False)
    practitioner = forms.TypedChoiceField(
        label="Injected by", required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label="Follow-up",
        required=False,
        choices=[("", "All follow-ups"), *RecallKind.choices],
    )
    due_after = forms.DateField(
        label="Due from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[bounds.validate_query_date],
    )
    due_before = forms.DateField(
        label="Due to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[bounds.validate_query_date],
    )

    def __init__(
        self,
        data: Any,
        *,
        treatments: Iterable[TreatmentType],
        practitioners: Iterable[Practitioner],
    ) -> None:
        super().__init__(data)
        treatment_field = self.fields["treatment_type"]
        assert isinstance(treatment_field, forms.ChoiceField)
        treatment_field.choices = [("", "All treatments")] + [(t.code, t.name) for t in treatments]
        practitioner_field = self.fields["practitioner"]
        assert isinstance(practitioner_field, forms.ChoiceField)
        practitioner_field.choices = [("", "Anyone")] + [(p.pk, p.name) for p in practitioners]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        after, before = data.get("due_after"), data.get("due_before")
        if after and before and after > before:
            raise forms.ValidationError("The “due from” date is after the “due to” date.")
        return data


@dataclass(frozen=True)
class Filters:
    treatment_type: str | None = None
    practitioner_id: int | None = None
    kind: str | None = None
    due_after: date | None = None
    due_before: date | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def has_range(self) -> bool:
        return bool(self.due_after or self.due_before)

    @property
    def recall_filters(self) -> dict[str, Any]:
        return {
            "treatment_type": self.treatment_type,
            "practitioner_id": self.practitioner_id,
            "kind": self.kind,
        }

    @property
    def message_filters(self) -> dict[str, Any]:
        return {"treatment_type": self.treatment_type, "practitioner_id": self.practitioner_id}

    def sms_filters(self, windows: "Windows") -> dict[str, Any]:
        return {
            "sent_after": windows.sms_since,
            "sent_before": windows.sms_until,
            **self.message_filters,
        }


def read_filters(form: FilterForm) -> Filters:
    """The valid filters; an invalid one is dropped and said, never a failed page."""
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    problems = [
        f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
        for name, errors in form.errors.items()
        if name != "__all__"
    ]
    problems += [str(error) for error in form.non_field_errors()]
    if form.non_field_errors():
        data.pop("due_after", None)
        data.pop("due_before", None)
    return Filters(
        treatment_type=data.get("treatment_type") or None,
        practitioner_id=data.get("practitioner") or None,
        kind=data.get("kind") or None,
        due_after=data.get("due_after"),
        due_before=data.get("due_before"),
        problems=problems,
    )


@dataclass(frozen=True)
class Windows:
    """Which due dates (or send dates) each part of the page looks at."""

    chart_start: date
    chart_weeks: int
    overdue: tuple[date | None, date]
    reminded: tuple[date, date | None]
    conversion: tuple[date, date]
    sms_since: datetime
    sms_until: datetime
    chart_capped: bool = False


def windows_for(filters: Filters, *, today: date, now: datetime) -> Windows:
    """With no date range each part has its natural window; a range narrows all of them.

    The conversion's default period ended ``BOOKED_WITHIN_DAYS`` ago, so every recall in
    it has had its full time to be booked.
    """
    after, before = filters.due_after, filters.due_before
    chart_start = after or today
    if before:
        monday = chart_start - timedelta(days=chart_start.weekday())
        weeks = (before - monday).days // 7 + 1
    else:
        weeks = CHART_WEEKS
    yesterday = today - timedelta(days=1)
    default_conversion_end = today - timedelta(days=BOOKED_WITHIN_DAYS + 1)
    conversion_end = min(before or default_conversion_end, yesterday)
    conversion_start = after or (conversion_end - timedelta(days=89))
    return Windows(
        chart_start=chart_start,
        chart_weeks=max(1, min(weeks, MAX_CHART_WEEKS)),
        chart_capped=weeks > MAX_CHART_WEEKS,
        overdue=(after, min(before or yesterday, yesterday)),
        reminded=(max(after or today, today), before),
        conversion=(conversion_start, conversion_end),
        sms_since=now - timedelta(days=SMS_HEALTH_DAYS),
        sms_until=now,
    )


def overdue_recalls(filters: Filters, windows: Windows) -> Any:
    """Past due and not booked (pending or reminded; lapsed ones have left the list)."""
    after, before = windows.overdue
    return _with_details(
        selectors.list_recalls(
            statuses=OPEN_RECALL_STATUSES,
            due_after=after,
            due_before=before,
            **filters.recall_filters,
        )
    )


def reminded_recalls(filters: Filters, windows: Windows) -> Any:
    """Texted, not booked, and not overdue yet (the overdue ones are in the other list)."""
    after, before = windows.reminded
    return _with_details(
        selectors.list_recalls(
            status=RecallStatus.REMINDED,
            due_after=after,
            due_before=before,
            **filters.recall_filters,
        )
    )


def _with_details(recalls: Any) -> Any:
    return selectors.with_last_message(recalls.select_related("source_appointment__practitioner"))


@dataclass(frozen=True)
class RecallRow:
    patient_id: int
    patient: str
    phone: str
    treatment: str
    kind: str
    due_on: date
    days_overdue: int
    status: str
    last_injection_on: date
    injected_by: str
    last_sms_at: datetime | None
    last_sms: str
    last_sms_status: str
    last_sms_state: str
    last_sms_problem: str


_PURPOSES = dict(Purpose.choices)
# Short enough for a badge in a table cell; the problem column says the rest.
SMS_STATUS_LABELS = {
    **dict(MessageStatus.choices),
    MessageStatus.SUPPRESSED: "Not sent",
    MessageStatus.UNKNOWN: "Outcome unknown",
}
_STATUSES = SMS_STATUS_LABELS


def recall_rows(recalls: Iterable[Recall], *, today: date) -> Iterator[RecallRow]:
    for r in recalls:
        sms_status: str = getattr(r, "last_sms_status", None) or ""
        sms_at: datetime | None = getattr(r, "last_sms_at", None)
        yield RecallRow(
            patient_id=r.patient_id,
            patient=r.patient.full_name,
            phone=display_phone(r.patient.phone),
            treatment=r.treatment_type.name,
            kind=r.get_kind_display(),
            due_on=r.due_on,
            days_overdue=max(0, (today - r.due_on).days),
            status=r.get_status_display(),
            last_injection_on=r.last_injection_on,
            injected_by=r.source_appointment.practitioner.name,
            last_sms_at=clock.local(sms_at) if sms_at else None,
            last_sms=_PURPOSES.get(getattr(r, "last_sms_purpose", "") or "", ""),
            last_sms_status=_STATUSES.get(sms_status, sms_status),
            last_sms_state=sms_status,
            last_sms_problem=describe_sms_problem(
                sms_status,
                getattr(r, "last_sms_error_code", None),
                getattr(r, "last_sms_error_message", None) or "",
            )
            if sms_status
            else "",
        )


class ConversionTotal(selectors.ConversionCounts):
    # Booked within the time, in whole percent of those due; None when none were due.
    rate: int | None


def conversion_totals(rows: Iterable[selectors.ConversionRow]) -> ConversionTotal:
    # Only the count fields are summed, so each row reads as counts by name.
    counted = [cast(Mapping[str, int], row) for row in rows]
    counts = cast(
        selectors.ConversionCounts,
        {key: sum(r[key] for r in counted) for key in selectors.ConversionCounts.__annotations__},
    )
    return {**counts, "rate": rate(counts["booked_in_time"], counts["due"])}


def rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


class _Count:
    """An SmsHealth figure: the texts in any of these statuses."""

    def __init__(self, *statuses: MessageStatus) -> None:
        self.statuses = statuses

    def __get__(self, health: "SmsHealth", owner: type | None = None) -> int:
        return sum(health.counts[status] for status in self.statuses)


@dataclass(frozen=True)
class SmsHealth:
    counts: dict[str, int]
    # The console backend prints a text and marks it sent; no delivery report can ever
    # come, so a delivery rate of 0 % would only alarm. Twilio reports delivery.
    delivery_reported: bool = field(default_factory=lambda: settings.SMS_BACKEND != "console")

    delivered = _Count(MessageStatus.DELIVERED)
    # Handed to the provider, delivery report not in yet.
    sent = _Count(MessageStatus.SENT)
    failed = _Count(MessageStatus.FAILED, MessageStatus.UNDELIVERED)
    unknown = _Count(MessageStatus.UNKNOWN)
    suppressed = _Count(MessageStatus.SUPPRESSED)
    waiting = _Count(MessageStatus.QUEUED, MessageStatus.SENDING)

    @property
    def attempted(self) -> int:
        """Texts that went to the provider (or tried to): the delivery rate's base."""
        return self.delivered + self.sent + self.failed + self.unknown

    @property
    def delivery_rate(self) -> int | None:
        if not self.delivery_reported:
            return None
        return rate(self.delivered, self.attempted)


def kind_label(kind: str) -> str:
    return dict(RecallKind.choices).get(kind, kind)
