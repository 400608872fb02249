"""Input and output shapes of the bookings API."""

from datetime import timedelta
from typing import Any

from rest_framework import serializers

from bookings.errors import OVERRIDABLE
from bookings.models import Appointment, Course, Patient
from bookings.phones import InvalidPhone, normalize_phone
from bookings.serializers_lots import lot_field, sites_field, vial_field
from bookings.start_fields import ClinicStartField
from scheduler import bounds
from scheduler.models import Kind, Practitioner, TreatmentType

MAX_SLOT_RANGE_DAYS = 92


class BlankableDateField(serializers.DateField):
    """A date that may be left empty: ``""`` means none, as an empty field on the web form."""

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        return super().validate_empty_values(None if data == "" else data)


class BookingStartField(ClinicStartField):
    """A start within the booking horizon.

    DRF's own check of a naive time converts it to UTC, which overflows late on
    9999-12-31: that is a date too far ahead, said as such, not a crash.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validators=[bounds.validate_booking_start], **kwargs)

    def to_internal_value(self, value: Any) -> Any:
        try:
            return super().to_internal_value(value)
        except OverflowError as exc:
            raise serializers.ValidationError(
                bounds.horizon_message(), code="too_far_ahead"
            ) from exc


class PatientSerializer(serializers.ModelSerializer[Patient]):
    asked_in_person = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=(
            "Send true with sms_opted_out: false to confirm the patient asked in person "
            "to receive texts again; without it the opt-out stays."
        ),
    )
    date_of_birth = BlankableDateField(
        required=False,
        allow_null=True,
        validators=[bounds.validate_date_of_birth],
        error_messages={"invalid": "Enter the date of birth as YYYY-MM-DD, e.g. 1980-04-02."},
    )

    class Meta:
        model = Patient
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "phone",
            "email",
            "sms_consent",
            "sms_consent_at",
            "sms_consent_source",
            "sms_opted_out",
            "asked_in_person",
            "phone_invalid",
            "preferred_name",
            "address",
            "health_card_number",
            "insurance_member_number",
            "alerts",
            "created_at",
        ]
        read_only_fields = ["sms_consent_at", "sms_consent_source", "phone_invalid", "created_at"]

    def validate_phone(self, value: str) -> str:
        try:
            return normalize_phone(value)
        except InvalidPhone as exc:
            raise serializers.ValidationError(str(exc)) from exc


class SlotQuerySerializer(serializers.Serializer[Any]):
    treatment_type = serializers.SlugRelatedField(
        slug_field="code", queryset=TreatmentType.objects.filter(active=True)
    )
    kind = serializers.ChoiceField(choices=Kind.choices)
    # "from" is a Python keyword, so the fields are renamed in validate().
    from_ = serializers.DateField(required=True, validators=[bounds.validate_query_date])
    to = serializers.DateField(required=True, validators=[bounds.validate_query_date])
    practitioner = serializers.PrimaryKeyRelatedField(
        queryset=Practitioner.objects.filter(active=True), required=False
    )
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all(), required=False)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": ["“to” must be on or after “from”."]})
        if attrs["to"] - attrs["from"] > timedelta(days=MAX_SLOT_RANGE_DAYS):
            raise serializers.ValidationError(
                {"to": [f"Search at most {MAX_SLOT_RANGE_DAYS} days at a time."]}
            )
        last_day = bounds.latest_booking_day()
        if attrs["from"] > last_day:
            raise serializers.ValidationError({"from": [bounds.horizon_message()]})
        # Nothing past the horizon can be booked, so nothing past it is offered.
        attrs["to"] = min(attrs["to"], last_day)
        return attrs


def override_rules_field() -> serializers.ListField:
    """The rules a clinician overrides, each by its code: one reason never covers a
    rule that was not named (docs/rules.md#pathway)."""
    return serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(OVERRIDABLE)),
        required=False,
        max_length=len(OVERRIDABLE),
    )


class SlotSerializer(serializers.Serializer[Any]):
    practitioner = serializers.IntegerField(source="practitioner_id")
    start = serializers.DateTimeField(source="start_at")
    end = serializers.DateTimeField(source="end_at")


class BookingSerializer(serializers.Serializer[Any]):
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all())
    practitioner = serializers.PrimaryKeyRelatedField(
        queryset=Practitioner.objects.filter(active=True)
    )
    # Read in the service's own words (``treatment``, ``start_at``): the API passes what
    # it validated straight to services.book_appointment.
    treatment_type = serializers.SlugRelatedField(
        slug_field="code", queryset=TreatmentType.objects.filter(active=True), source="treatment"
    )
    kind = serializers.ChoiceField(choices=Kind.choices)
    start = BookingStartField(source="start_at")
    planned_units = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=bounds.MAX_UNITS,
        error_messages={"max_value": bounds.TOO_MANY_UNITS},
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    override_rules = override_rules_field()


class MoveSerializer(serializers.Serializer[Any]):
    start = BookingStartField(source="start_at")
    practitioner = serializers.PrimaryKeyRelatedField(
        queryset=Practitioner.objects.filter(active=True), required=False
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    override_rules = override_rules_field()


class CancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200)


class CompleteSerializer(serializers.Serializer[Any]):
    """One shape for every kind; which fields are needed depends on the kind."""

    diagnosis = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    units_per_session = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=bounds.MAX_UNITS,
        error_messages={"max_value": bounds.TOO_MANY_UNITS},
    )
    sessions = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=bounds.MAX_SESSIONS,
        error_messages={"max_value": bounds.TOO_MANY_SESSIONS},
    )
    valid_until = serializers.DateField(
        required=False, validators=[bounds.validate_prescription_end]
    )
    units = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=bounds.MAX_UNITS,
        error_messages={"max_value": bounds.TOO_MANY_UNITS},
    )
    # The product is the lot's (docs/rules.md#lots-and-the-injection-record).
    lot = lot_field()
    vial = vial_field()
    sites = sites_field()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    override_rules = override_rules_field()

    REQUIRED = {
        Kind.PRESCRIPTION: ("units_per_session", "sessions"),
        Kind.INJECTION: ("units", "lot"),
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = self.context["kind"]
        missing = {
            name: ["This field is required."]
            for name in self.REQUIRED.get(kind, ())
            if attrs.get(name) in (None, "")
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class AmendSerializer(CompleteSerializer):
    """The outcome fields to correct, and why; fields left out keep their value."""

    reason = serializers.CharField(max_length=500)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs


def split_overrides(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The outcome fields apart from the override a clinician confirms with them, the
    override as the services' ``override_reason`` and ``override_rules``."""
    outcome = dict(data)
    override = {
        "override_reason": outcome.pop("override_reason", ""),
        "override_rules": outcome.pop("override_rules", []),
    }
    return outcome, override


class AppointmentSerializer(serializers.ModelSerializer[Appointment]):
    treatment_type = serializers.CharField(source="course.treatment_type.code", read_only=True)
    start = serializers.DateTimeField(source="start_at", read_only=True)
    end = serializers.DateTimeField(source="end_at", read_only=True)
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    practitioner_name = serializers.CharField(source="practitioner.name", read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "patient",
            "patient_name",
            "practitioner",
            "practitioner_name",
            "treatment_type",
            "course",
            "kind",
            "start",
            "end",
            "status",
            "planned_units",
            "override_reason",
            "overridden_rules",
            "diagnosis",
            "product",
            "units_given",
            "lot",
            "product_lot",
            "vial",
            "site_units",
            "notes",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = fields


class PrescriptionStateSerializer(serializers.Serializer[Any]):
    units_per_session = serializers.IntegerField()
    sessions = serializers.IntegerField()
    sessions_used = serializers.IntegerField(source="used")
    written_on = serializers.DateField()
    valid_until = serializers.DateField()


class CourseSerializer(serializers.ModelSerializer[Course]):
    treatment_type = serializers.CharField(source="treatment_type.code", read_only=True)
    effective_recall_interval_days = serializers.IntegerField(read_only=True)
    step = serializers.SerializerMethodField()
    prescription = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "patient",
            "treatment_type",
            "recall_interval_days",
            "effective_recall_interval_days",
            "funding",
            "step",
            "prescription",
            "created_at",
        ]
        read_only_fields = ["patient", "created_at"]

    def get_step(self, obj: Course) -> dict[str, str]:
        code, words = self.context["steps"][obj.pk]
        return {"code": code, "label": words}

    def get_prescription(self, obj: Course) -> dict[str, Any] | None:
        rx = self.context["prescriptions"].get(obj.pk)
        return PrescriptionStateSerializer(rx).data if rx else None
