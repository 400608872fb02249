"""Read-only catalogue and practitioners over the API (scheduler data, bookings roles)."""

from rest_framework import mixins, serializers, viewsets

from bookings.permissions import ReadAnyRole
from scheduler.models import Practitioner, TreatmentType


class TreatmentTypeSerializer(serializers.ModelSerializer[TreatmentType]):
    durations = serializers.SerializerMethodField()

    class Meta:
        model = TreatmentType
        fields = [
            "code",
            "name",
            "category",
            "requires_prescription",
            "recall_interval_days",
            "min_reinjection_days",
            "review_after_days",
            "typical_units",
            "durations",
        ]

    def get_durations(self, obj: TreatmentType) -> dict[str, int]:
        return {
            "exam": obj.exam_minutes,
            "prescription": obj.prescription_minutes,
            "injection": obj.injection_minutes,
            "review": obj.review_minutes,
        }


class PractitionerSerializer(serializers.ModelSerializer[Practitioner]):
    treatment_types: serializers.SlugRelatedField[TreatmentType] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )

    class Meta:
        model = Practitioner
        fields = [
            "id",
            "name",
            "role",
            "can_examine",
            "can_prescribe",
            "can_inject",
            "treatment_types",
        ]


class TreatmentTypeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[TreatmentType]
):
    queryset = TreatmentType.objects.filter(active=True)
    serializer_class = TreatmentTypeSerializer
    permission_classes = [ReadAnyRole]
    lookup_field = "code"
    pagination_class = None


class PractitionerViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Practitioner]
):
    queryset = Practitioner.objects.filter(active=True).prefetch_related("treatment_types")
    serializer_class = PractitionerSerializer
    permission_classes = [ReadAnyRole]
    pagination_class = None
