"""What the patient page shows from reminders: texts status, call back, follow-ups, SMS.

Bookings' patient page includes ``reminders/_patient_follow_ups.html`` (named in the
setting PATIENT_PAGE_PANELS), which asks for this through the ``patient_follow_ups`` template tag, so bookings never imports
reminders. A fixed, small number of queries, each bounded, whatever the patient's
history.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django import forms

from bookings.models import Patient
from reminders import dashboard, inbox
from reminders.links import access
from reminders.links.tokens import links_enabled
from reminders.models import (
    OPEN_RECALL_STATUSES,
    InboundMessage,
    Message,
    Recall,
)
from reminders.replies import ThreadEntry, get_thread, latest_texts, reason_not_to_reply
from scheduler import clock

RECALLS_SHOWN = 20
THREAD_ON_PATIENT_PAGE = 8
MESSAGES_SHOWN = 10
REPLIES_SHOWN = 5

CONSENT_SOURCES = {
    "front_desk": "recorded by staff",
    "sms_start": "texted START",
    "api": "recorded through the API",
}


class DismissForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        label="Reason for dismissing",
        error_messages={"required": "Say why this recall is dismissed."},
        widget=forms.TextInput(attrs={"list": "dismiss-reasons", "autocomplete": "off"}),
    )


DISMISS_REASONS = [
    "Patient stopped treatment",
    "Patient moved away",
    "Treated elsewhere",
    "Patient asked not to be reminded",
]


@dataclass(frozen=True)
class SmsState:
    """One thing to know about texting this patient; ``level`` is ok, warn or stop."""

    words: str
    level: str


def sms_states(patient: Patient) -> list[SmsState]:
    """Whether texts reach this patient, in words (no query: the patient's own fields)."""
    states: list[SmsState] = []
    if patient.sms_opted_out:
        when = _on(patient.sms_opted_out_at)
        states.append(SmsState(f"Opted out of texts{when}: none are sent.", "stop"))
    if patient.phone_invalid:
        states.append(
            SmsState(
                "This number cannot receive texts (the SMS provider refused it). "
                "Check the number with the patient.",
                "stop",
            )
        )
    if patient.sms_consent:
        source = patient.sms_consent_source
        how = f", {CONSENT_SOURCES.get(source, source)}" if source else ""
        states.append(SmsState(f"Agreed to texts{_on(patient.sms_consent_at)}{how}.", "ok"))
    else:
        states.append(SmsState("No consent to texts: none are sent.", "warn"))
    return states


def _on(at: datetime | None) -> str:
    return f" on {clock.local(at):%-d %b %Y}" if at else ""


@dataclass
class RecallRow:
    recall: Recall
    form: DismissForm | None = None


@dataclass
class MessageRow:
    message: Message
    problem: str


@dataclass
class PatientPanel:
    states: list[SmsState]
    callback_requested_at: datetime | None
    last_call_back: InboundMessage | None
    call_back_undo: bool
    recalls: list[RecallRow]
    more_recalls: bool
    messages: list[MessageRow]
    replies: list[InboundMessage]
    thread: list[ThreadEntry] = field(default_factory=list)
    cannot_reply: str = ""
    dismiss_reasons: list[str] = field(default_factory=lambda: DISMISS_REASONS)
    # Staff may text an open recall's booking link (reminders/links/staff.py), or are
    # told why the patient could not use one.
    links_enabled: bool = False
    no_link_because: str = ""


def get_patient_panel(
    *,
    patient: Patient,
    dismiss_form: DismissForm | None = None,
    dismiss_recall_id: int | None = None,
    may_dismiss: bool = False,
) -> PatientPanel:
    """Six bounded queries: recalls, messages, replies, the last call back, the thread."""
    recalls = list(
        patient.recalls.select_related("treatment_type", "dismissed_by").order_by("-due_on", "-id")[
            : RECALLS_SHOWN + 1
        ]
    )
    # The latest ones, shown in date order like the rest of the page; open ones stand
    # out by their status and their Dismiss button.
    recalls[:RECALLS_SHOWN] = sorted(recalls[:RECALLS_SHOWN], key=lambda r: (r.due_on, r.pk))
    rows = []
    for recall in recalls[:RECALLS_SHOWN]:
        form = None
        if may_dismiss and recall.status in OPEN_RECALL_STATUSES:
            if dismiss_form is not None and dismiss_recall_id == recall.pk:
                form = dismiss_form
            else:
                form = DismissForm(auto_id=f"dismiss-{recall.pk}-%s")
        rows.append(RecallRow(recall=recall, form=form))
    messages, replies = latest_texts(patient, sent=MESSAGES_SHOWN, received=REPLIES_SHOWN)
    return PatientPanel(
        states=sms_states(patient),
        callback_requested_at=patient.callback_requested_at,
        last_call_back=inbox.get_last_call_back(patient=patient),
        call_back_undo=inbox.can_undo_call_back(patient=patient),
        recalls=rows,
        more_recalls=len(recalls) > RECALLS_SHOWN,
        messages=[
            MessageRow(
                message=m,
                problem=dashboard.describe_sms_problem(m.status, m.error_code, m.error_message),
            )
            for m in messages
        ],
        replies=replies,
        thread=get_thread(patient=patient, limit=THREAD_ON_PATIENT_PAGE),
        cannot_reply=reason_not_to_reply(patient),
        links_enabled=links_enabled(),
        no_link_because="" if access.can_verify(patient=patient) else access.NO_DATE_OF_BIRTH,
    )
