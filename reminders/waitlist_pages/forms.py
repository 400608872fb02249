"""The waitlist's forms: they check the shape of what is typed; the services decide.

The staff form and the patient's link form share the window (dates and parts of the
day); a refusal from the service is shown by the field it is about, so what was typed
stays and the words say what to change.
"""

from datetime import date, timedelta

from django import forms

from bookings.day_parts import PARTS
from bookings.errors import FieldRefused, PathwayError
from scheduler.models import Kind, Practitioner, TreatmentType

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A first window the form suggests: the next four weeks.
DEFAULT_WEEKS = 4

# The field each refusal of bookings.waitlist.entries is about.
FIELD_OF_CODE = {
    "latest_before_earliest": "latest_on",
    "window_in_the_past": "latest_on",
    "window_too_far_ahead": "earliest_on",
    "practitioner_not_qualified": "practitioner",
}


class WindowForm(forms.Form):
    earliest_on = forms.DateField(
        label="Earliest date",
        widget=DATE_INPUT,
        error_messages={"required": "Give the first day a time may be offered."},
    )
    latest_on = forms.DateField(
        label="Latest date",
        widget=DATE_INPUT,
        error_messages={"required": "Give the last day a time may be offered."},
    )
    parts_of_day = forms.MultipleChoiceField(
        label="Parts of the day",
        required=False,
        choices=[(code, words[0]) for code, words in PARTS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: any time of day.",
    )


def default_window(today: date, *, before: date | None = None) -> dict[str, date]:
    """The dates a new entry waits for unless changed; ``before``: a visit the patient
    already has, which only an earlier time would improve on."""
    latest = today + timedelta(weeks=DEFAULT_WEEKS)
    if before is not None:
        latest = max(min(latest, before - timedelta(days=1)), today)
    return {"earliest_on": today, "latest_on": latest}


class WaitlistForm(WindowForm):
    """Staff put a patient on the list for a course's step, from the patient page."""

    treatment = forms.ModelChoiceField(
        queryset=TreatmentType.objects.filter(active=True).order_by("name"),
        to_field_name="code",
        label="Treatment",
        empty_label="Choose the treatment…",
        error_messages={"required": "Choose the treatment."},
    )
    kind = forms.ChoiceField(
        label="Step",
        choices=Kind.choices,
        error_messages={"required": "Choose the step."},
    )
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.filter(active=True).order_by("name"),
        required=False,
        label="Practitioner",
        empty_label="Anyone qualified",
    )

    field_order = ["treatment", "kind", "earliest_on", "latest_on", "practitioner", "parts_of_day"]


def show_refusal(form: forms.Form, exc: PathwayError) -> None:
    """The service's words by the field they are about (else above the form)."""
    name = exc.field if isinstance(exc, FieldRefused) else FIELD_OF_CODE.get(exc.code)
    form.add_error(name if name in form.fields else None, exc.message)
