"""The reminders REST API: recalls, the follow-up summary and the SMS outbox."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
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


def record_number(**extra: Any) -> serializers.IntegerField:
    """An optional filter by a record's number (a patient, a practitioner)."""
    return serializers.IntegerField(required=False, min_value=1, max_value=bounds.MAX_ID, **extra)


# A query serializer's fields are named (source=) as the selector's arguments are, so
# what it validated is passed on as is.
class RecallQuerySerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=RecallStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=RecallKind.choices, required=False)
    due_before = serializers.DateField(required=False, validators=[bounds.validate_query_date])
    due_after = serializers.DateField(required=False, validators=[bounds.validate_query_date])
    treatment_type = serializers.SlugField(required=False)
    patient = record_number(source="patient_id")
    practitioner = record_number(
        source="practitioner_id", help_text="Who gave the injection the recall came from."
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
    practitioner = record_number(
        source="practitioner_id", help_text="Who gave the injection the recall came from."
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
    patient = record_number(source="patient_id")
    status = serializers.ChoiceField(choices=MessageStatus.choices, required=False)


def _query(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class _FilteredList(generics.ListAPIView[Any]):
    """A list any staff role reads, filtered by what its query serializer accepts."""

    permission_classes = [ReadAnyRole]
    query_serializer: type[serializers.Serializer[Any]]
    # The selector, called with the query's values by their names.
    select: Callable[..., QuerySet[Any]]

    def get_queryset(self) -> QuerySet[Any]:
        return self.select(**_query(self.query_serializer, self.request))


@extend_schema_view(get=extend_schema(parameters=[RecallQuerySerializer]))
class RecallListView(_FilteredList):
    serializer_class = RecallSerializer
    query_serializer = RecallQuerySerializer
    select = staticmethod(selectors.list_recalls)


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
        summary = selectors.get_follow_up_summary(**_query(SummaryQuerySerializer, request))
        return Response(WeekSummarySerializer(summary, many=True).data)


@extend_schema_view(get=extend_schema(parameters=[MessageQuerySerializer]))
class MessageListView(_FilteredList):
    serializer_class = MessageSerializer
    query_serializer = MessageQuerySerializer
    select = staticmethod(sms_selectors.list_messages)
