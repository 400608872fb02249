"""Input and output shapes of lots and the injection record (docs/rules.md#lots-and-the-injection-record)."""

from typing import Any

from rest_framework import serializers

from scheduler import bounds, clock
from scheduler.models import Lot

MAX_SITES = 60


class SiteUnitsSerializer(serializers.Serializer[Any]):
    site = serializers.CharField(max_length=40)
    units = serializers.IntegerField(
        min_value=1,
        max_value=bounds.MAX_UNITS,
        error_messages={
            "min_value": "Give each site at least 1 unit, or leave the site out.",
            "max_value": bounds.TOO_MANY_UNITS,
        },
    )


def sites_field() -> serializers.ListField:
    return serializers.ListField(
        child=SiteUnitsSerializer(),
        required=False,
        max_length=MAX_SITES,
        error_messages={"not_a_list": 'Give the sites as a list of {{"site": …, "units": …}}.'},
    )


def lot_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": "Give the lot's id from the lots list.",
            "min_value": "Give the lot's id from the lots list.",
        },
    )


def vial_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        error_messages={
            "invalid": "Give the opened vial's id.",
            "min_value": "Give the opened vial's id.",
        },
    )


class LotSerializer(serializers.ModelSerializer[Lot]):
    units_left = serializers.IntegerField(read_only=True)
    vials_received = serializers.IntegerField(
        min_value=1, max_value=10_000, error_messages={"max_value": "Enter at most 10000 vials."}
    )
    units_per_vial = serializers.IntegerField(
        min_value=1,
        max_value=bounds.MAX_UNITS,
        error_messages={"max_value": bounds.TOO_MANY_UNITS},
    )

    class Meta:
        model = Lot
        fields = [
            "id",
            "product",
            "lot_number",
            "expires_on",
            "vials_received",
            "units_per_vial",
            "units_left",
        ]
        read_only_fields = ["id", "units_left"]
        # The pair's uniqueness is answered by the service in plain words.
        validators: list[Any] = []


class LotPatientSerializer(serializers.Serializer[Any]):
    appointment = serializers.IntegerField(source="pk")
    patient = serializers.IntegerField(source="patient_id")
    patient_name = serializers.SerializerMethodField()
    date = serializers.SerializerMethodField()
    units = serializers.IntegerField(source="units_given")
    practitioner = serializers.CharField(source="practitioner.name")

    def get_patient_name(self, obj: Any) -> str:
        return f"{obj.patient.first_name} {obj.patient.last_name}"

    def get_date(self, obj: Any) -> str:
        return clock.local_date(obj.start_at).isoformat()
