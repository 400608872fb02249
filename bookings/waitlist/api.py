"""/api/v1/waitlist/ (docs/rules.md#waitlist): list, add, and remove (kept as ``removed``).

Front desk and clinicians write; every staff role reads, as for the other booking
resources. Refusals are the services' rule codes: ``400 {"code", "detail"}``.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.api_params import date_param, id_param
from bookings.day_parts import PARTS
from bookings.models import Patient
from bookings.permissions import ReadAnyRoleWriteBooking
from bookings.waitlist.entries import add_entry, remove_entry
from bookings.waitlist.models import WaitlistEntry, WaitlistStatus
from bookings.waitlist.read import list_entries
from scheduler import bounds
from scheduler.models import Kind, Practitioner, TreatmentType


class WaitlistEntrySerializer(serializers.ModelSerializer[WaitlistEntry]):
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all())
    treatment_type = serializers.SlugRelatedField(
        slug_field="code", queryset=TreatmentType.objects.filter(active=True)
    )
    kind = serializers.ChoiceField(choices=Kind.choices)
    earliest_on = serializers.DateField(validators=[bounds.validate_query_date])
    latest_on = serializers.DateField(validators=[bounds.validate_query_date])
    practitioner = serializers.PrimaryKeyRelatedField(
        queryset=Practitioner.objects.filter(active=True), required=False, allow_null=True
    )
    parts_of_day = serializers.ListField(
        child=serializers.ChoiceField(choices=list(PARTS)),
        required=False,
        max_length=len(PARTS),
        help_text="morning, afternoon, evening; empty means any time of day",
    )

    class Meta:
        model = WaitlistEntry
        fields = [
            "id",
            "patient",
            "treatment_type",
            "kind",
            "earliest_on",
            "latest_on",
            "practitioner",
            "parts_of_day",
            "status",
        ]
        read_only_fields = ["id", "status"]


class WaitlistViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = WaitlistEntrySerializer
    permission_classes = [ReadAnyRoleWriteBooking]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[WaitlistEntry]:
        if self.action != "list":
            return WaitlistEntry.objects.all()
        state = self.request.query_params.get("status") or None
        if state is not None and state not in WaitlistStatus.values:
            choices = ", ".join(WaitlistStatus.values)
            raise ValidationError({"status": [f"Choose one of: {choices}."]})
        return list_entries(
            patient_id=id_param(self.request, "patient"),
            status=state,
            on=date_param(self.request, "on"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("patient", int),
            OpenApiParameter("status", str, enum=WaitlistStatus.values),
            OpenApiParameter("on", str, description="YYYY-MM-DD: entries whose dates include it"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = WaitlistEntrySerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        entry = add_entry(
            patient=values["patient"],
            treatment=values["treatment_type"],
            kind=values["kind"],
            earliest_on=values["earliest_on"],
            latest_on=values["latest_on"],
            practitioner=values.get("practitioner"),
            parts_of_day=values.get("parts_of_day", ()),
            by=request.user,
        )
        return Response(WaitlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: WaitlistEntrySerializer})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Takes the patient off the list; the entry stays, as ``removed``, for the figures."""
        entry = remove_entry(entry=self.get_object(), by=request.user)
        return Response(WaitlistEntrySerializer(entry).data)
