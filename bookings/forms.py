"""Web forms: they check the shape of what staff type; the services decide the rules."""

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict

from bookings.errors import OVERRIDABLE, PathwayError
from bookings.form_fields import optional_text, sessions_field, units_field
from bookings.forms_injection import InjectionOutcomeForm
from bookings.models import Appointment, Patient
from bookings.patients import check_opt_out_change
from bookings.phones import InvalidPhone, display_phone, normalize_phone
from bookings.start_fields import ClinicStartFormField
from scheduler import bounds, clock
from scheduler.models import Kind, Practitioner, TreatmentType

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PatientForm(forms.Form):
    first_name = forms.CharField(max_length=80, label="First name")
    last_name = forms.CharField(max_length=80, label="Last name")
    date_of_birth = forms.DateField(
        required=False,
        label="Date of birth",
        widget=DATE_INPUT,
        validators=[bounds.validate_date_of_birth],
    )
    phone = forms.CharField(
        max_length=40,
        label="Mobile phone",
        help_text="For text reminders. Area code needed; +country code if not local.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(required=False, label="Email (optional)")
    sms_consent = forms.BooleanField(
        required=False,
        label="The patient agrees to receive appointment and recall text messages",
    )
    preferred_name = optional_text("Preferred name", 80)
    address = optional_text("Address", 500, widget=forms.Textarea(attrs={"rows": 2}))
    health_card_number = optional_text("Health card number", 40)
    insurance_member_number = optional_text("Insurance member number", 40)
    alerts = optional_text(
        "Alerts",
        300,
        help_text="Shown on the calendar: allergies, needle-phobic, needs an interpreter, …",
    )

    def clean_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(str(exc)) from exc


class PatientRegisterForm(PatientForm):
    """Registration, which warns of a possible duplicate until it is ticked away."""

    different_person = forms.BooleanField(
        required=False,
        label="I checked: this is a different person, register them",
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        max_length=2000,
        label="Add a note",
        error_messages={"required": "Write the note before adding it."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PatientEditForm(PatientForm):
    """The registration fields, plus the opt-out, which staff clear only on request."""

    sms_opted_out = forms.BooleanField(
        required=False,
        label="Opted out of texts: no text is sent",
    )
    asked_in_person = forms.BooleanField(
        required=False,
        label="The patient asked me in person to receive texts again",
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "first_name": patient.first_name,
                "last_name": patient.last_name,
                "date_of_birth": patient.date_of_birth,
                "phone": display_phone(patient.phone),
                "email": patient.email,
                "sms_consent": patient.sms_consent,
                "sms_opted_out": patient.sms_opted_out,
                "preferred_name": patient.preferred_name,
                "address": patient.address,
                "health_card_number": patient.health_card_number,
                "insurance_member_number": patient.insurance_member_number,
                "alerts": patient.alerts,
            },
        )
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            check_opt_out_change(
                was_opted_out=self.patient.sms_opted_out,
                opted_out=bool(data.get("sms_opted_out")),
                asked_in_person=bool(data.get("asked_in_person")),
            )
        except PathwayError:
            # The rule's own words are channel-neutral; beside the box, say what to tick.
            self.add_error(
                "asked_in_person",
                "Texts stay off unless the patient asked you in person: tick this to confirm.",
            )
        return data


def override_rules_field() -> forms.MultipleChoiceField:
    """One checkbox per broken rule, drawn by the page next to the rule's own words."""
    return forms.MultipleChoiceField(
        choices=[(code, code) for code in sorted(OVERRIDABLE)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def override_reason_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=500,
        label="Reason for overriding (clinicians only)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OverrideForm(forms.Form):
    """A clinician's override: the rules ticked and the reason (docs/rules.md#pathway)."""

    override_rules = override_rules_field()
    override_reason = override_reason_field()


class BookingForm(forms.Form):
    """The chosen slot travels in hidden fields; units and an override are typed here."""

    patient = forms.ModelChoiceField(queryset=Patient.objects.all(), widget=forms.HiddenInput)
    treatment = forms.ModelChoiceField(
        queryset=TreatmentType.objects.all(), to_field_name="code", widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.all(), widget=forms.HiddenInput
    )
    start = ClinicStartFormField(
        widget=forms.HiddenInput, validators=[bounds.validate_booking_start]
    )
    planned_units = units_field(
        "Planned units",
        required=False,
        help_text="Leave empty for the prescription's units per session, or the typical dose.",
    )
    override_rules = override_rules_field()
    override_reason = override_reason_field()


class MoveForm(forms.Form):
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.all(), widget=forms.HiddenInput
    )
    start = ClinicStartFormField(
        widget=forms.HiddenInput, validators=[bounds.validate_booking_start]
    )
    override_rules = override_rules_field()
    override_reason = override_reason_field()


CANCEL_REASONS = [
    "Patient asked to cancel",
    "Patient unwell",
    "Practitioner unavailable",
    "Booked in error",
]


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        label="Reason for cancelling",
        error_messages={"required": "Enter why the appointment is cancelled."},
        widget=forms.TextInput(attrs={"list": "cancel-reasons", "autocomplete": "off"}),
    )


class ExamOutcomeForm(forms.Form):
    diagnosis = forms.CharField(
        required=False,
        label="Diagnosis",
        help_text="Required for a therapeutic treatment before its prescription.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(required=False, label="Notes", widget=forms.Textarea(attrs={"rows": 2}))


class PrescriptionOutcomeForm(forms.Form):
    units_per_session = units_field("Units per session")
    sessions = sessions_field("Number of sessions")
    valid_until = forms.DateField(
        label="Valid until", widget=DATE_INPUT, validators=[bounds.validate_prescription_end]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The same default the service applies when no date is given.
        self.fields["valid_until"].initial = clock.today() + timedelta(
            days=settings.PRESCRIPTION_VALIDITY_DAYS
        )


PRODUCTS = [
    "Botox (onabotulinumtoxinA)",
    "Dysport (abobotulinumtoxinA)",
    "Xeomin (incobotulinumtoxinA)",
]


class ReviewOutcomeForm(forms.Form):
    notes = forms.CharField(
        required=False, label="Review notes", widget=forms.Textarea(attrs={"rows": 3})
    )


OUTCOME_FORMS: dict[str, type[forms.Form]] = {
    Kind.EXAM: ExamOutcomeForm,
    Kind.PRESCRIPTION: PrescriptionOutcomeForm,
    Kind.REVIEW: ReviewOutcomeForm,
}


def outcome_form_for(
    appointment: Appointment,
    *,
    data: QueryDict | None = None,
    initial: dict[str, Any] | None = None,
) -> forms.Form:
    """The kind's outcome form; a cosmetic exam is a consultation with no diagnosis asked."""
    if appointment.kind == Kind.INJECTION:
        # Its lots, vials and sites depend on the appointment's date and treatment.
        return InjectionOutcomeForm(data, appointment=appointment, initial=initial)
    form = OUTCOME_FORMS[appointment.kind](data, initial=initial)
    treatment = appointment.course.treatment_type
    if appointment.kind == Kind.EXAM and not treatment.requires_prescription:
        field = form.fields["diagnosis"]
        field.label = "Assessment (optional)"
        field.help_text = "What the consultation found, if there is anything to note."
    return form


class AmendReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Why is the record amended?",
        error_messages={"required": "Say why the record is amended."},
    )
