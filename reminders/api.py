"""The reminders REST API: recalls, the follow-up summary and the SMS outbox."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.permissions import BookingRole, ReadAnyRole
from reminders import recalls, selectors, sms_selectors
from reminders.models import Message, MessageStatus, Recall, RecallKind, RecallStatus
from scheduler import bounds


class RecallSerializer(serializers.ModelSerializer[Recall]):
    treatment_type: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Recall
        fields = [
            "id",
            "patient",
            "treatment_type",
            "kind",
            "due_on",
            "status",
            "last_injection_on",
        ]
        read_only_fields = fields


class RecallQuerySerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=RecallStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=RecallKind.choices, required=False)
    due_before = serializers.DateField(required=False, validators=[bounds.validate_query_date])
    due_after = serializers.DateField(required=False, validators=[bounds.validate_query_date])
    treatment_type = serializers.SlugField(required=False)
    patient = serializers.IntegerField(required=False, min_value=1, max_value=bounds.MAX_ID)
    practitioner = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=bounds.MAX_ID,
        help_text="Who gave the injection the recall came from.",
    )


class DismissSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200, allow_blank=False, trim_whitespace=True)


class WeekSummarySerializer(serializers.Serializer[Any]):
    week_start = serializers.DateField()
    due = serializers.IntegerField()
    reminded = serializers.IntegerField()
    booked = serializers.IntegerField()
    overdue = serializers.IntegerField()


class SummaryQuerySerializer(serializers.Serializer[Any]):
    weeks = serializers.IntegerField(required=False, default=8, min_value=1, max_value=52)
    treatment_type = serializers.SlugField(required=False)
    kind = serializers.ChoiceField(choices=RecallKind.choices, required=False)
    practitioner = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=bounds.MAX_ID,
        help_text="Who gave the injection the recall came from.",
    )


class MessageSerializer(serializers.ModelSerializer[Message]):
    class Meta:
        model = Message
        fields = [
            "id",
            "patient",
            "to",
            "body",
            "purpose",
            "status",
            "error_code",
            "error_message",
            "created_at",
            "sent_at",
            "delivered_at",
        ]
        read_only_fields = fields


class MessageQuerySerializer(serializers.Serializer[Any]):
    patient = serializers.IntegerField(required=False, min_value=1, max_value=bounds.MAX_ID)
    status = serializers.ChoiceField(choices=MessageStatus.choices, required=False)


def _query(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class RecallListView(generics.ListAPIView[Recall]):
    serializer_class = RecallSerializer
    permission_classes = [ReadAnyRole]

    @extend_schema(parameters=[RecallQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        query = _query(RecallQuerySerializer, self.request)
        return selectors.list_recalls(
            status=query.get("status"),
            kind=query.get("kind"),
            due_before=query.get("due_before"),
            due_after=query.get("due_after"),
            treatment_type=query.get("treatment_type"),
            patient_id=query.get("patient"),
            practitioner_id=query.get("practitioner"),
        )


class RecallDismissView(APIView):
    permission_classes = [BookingRole]

    @extend_schema(request=DismissSerializer, responses=RecallSerializer)
    def post(self, request: Request, pk: int) -> Response:
        recall = get_object_or_404(Recall, pk=pk)
        data = DismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recall = recalls.dismiss_recall(
            recall=recall, by=request.user, reason=data.validated_data["reason"]
        )
        return Response(RecallSerializer(recall).data)


class FollowUpSummaryView(APIView):
    permission_classes = [ReadAnyRole]

    @extend_schema(parameters=[SummaryQuerySerializer], responses=WeekSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        query = _query(SummaryQuerySerializer, request)
        summary = selectors.get_follow_up_summary(
            weeks=query["weeks"],
            treatment_type=query.get("treatment_type"),
            kind=query.get("kind"),
            practitioner_id=query.get("practitioner"),
        )
        return Response(WeekSummarySerializer(summary, many=True).data)


class MessageListView(generics.ListAPIView[Message]):
    serializer_class = MessageSerializer
    permission_classes = [ReadAnyRole]

    @extend_schema(parameters=[MessageQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        query = _query(MessageQuerySerializer, self.request)
        return sms_selectors.list_messages(
            patient_id=query.get("patient"), status=query.get("status")
        )
