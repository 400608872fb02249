"""The bookings REST API: thin views over selectors and services."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from bookings import amendments, authorizations, no_shows, patients, selectors, services
from bookings.api_params import date_param, id_param, validated
from bookings.api_viewsets import ListCreateUpdateViewSet
from bookings.models import Appointment, Course, Patient, Status
from bookings.permissions import BookingRole, ClinicianRole, ReadAnyRole, ReadAnyRoleWriteBooking
from bookings.phones import InvalidPhone
from bookings.serializers import (
    AmendSerializer,
    AppointmentSerializer,
    BookingSerializer,
    CancelSerializer,
    CompleteSerializer,
    CourseSerializer,
    MoveSerializer,
    PatientSerializer,
    SlotQuerySerializer,
    SlotSerializer,
    split_overrides,
)
from scheduler.selectors import range_bounds
from scheduler.slots import Slot


class PatientViewSet(ListCreateUpdateViewSet):
    serializer_class = PatientSerializer
    permission_classes = [ReadAnyRoleWriteBooking]

    @extend_schema(parameters=[OpenApiParameter("search", str, description="name or phone")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Patient]:
        query = self.request.query_params.get("search", "").strip()
        return selectors.search_patients(query) if query else Patient.objects.all()

    def perform_create(self, serializer: PatientSerializer) -> None:  # type: ignore[override]
        serializer.instance = patients.register_patient(
            by=self.request.user, consent_source="api", **serializer.validated_data
        )

    def perform_update(self, serializer: PatientSerializer) -> None:  # type: ignore[override]
        try:
            serializer.instance = patients.update_patient(
                patient=serializer.instance,  # type: ignore[arg-type]
                by=self.request.user,
                consent_source="api",
                **serializer.validated_data,
            )
        except InvalidPhone as exc:
            raise ValidationError({"phone": [str(exc)]}) from exc


class SlotsView(APIView):
    permission_classes = [ReadAnyRole]

    @extend_schema(
        parameters=[
            OpenApiParameter("treatment_type", str, required=True),
            OpenApiParameter(
                "kind", str, required=True, enum=["exam", "prescription", "injection", "review"]
            ),
            OpenApiParameter("from", date, required=True),
            OpenApiParameter("to", date, required=True),
            OpenApiParameter("practitioner", int),
            OpenApiParameter(
                "patient", int, description="only starts this patient's pathway allows"
            ),
        ],
        responses=SlotSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        q = validated(SlotQuerySerializer, request.query_params)
        slots = selectors.list_slots(
            treatment=q["treatment_type"],
            kind=q["kind"],
            first=q["from"],
            last=q["to"],
            practitioner_id=q["practitioner"].pk if q.get("practitioner") else None,
            patient=q.get("patient"),
        )
        return Response(slots_as_json(slots))


def slots_as_json(slots: list[Slot]) -> list[dict[str, object]]:
    """What SlotSerializer would write, 20 times faster: a month of slots shares few
    distinct instants, and DRF formats every one of them again (~29 ms for 2,000)."""
    tz = timezone.get_current_timezone()
    text: dict[datetime, str] = {}

    def iso(moment: datetime) -> str:
        if (found := text.get(moment)) is None:
            found = text[moment] = moment.astimezone(tz).isoformat().replace("+00:00", "Z")
        return found

    return [
        {"practitioner": s.practitioner_id, "start": iso(s.start_at), "end": iso(s.end_at)}
        for s in slots
    ]


class AppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = AppointmentSerializer
    permission_classes = [ReadAnyRoleWriteBooking]

    def get_permissions(self) -> list[BasePermission]:
        if self.action in {"complete", "amend"}:
            return [ClinicianRole()]
        if self.action in {
            "confirm",
            "check_in",
            "cancel",
            "no_show",
            "undo_no_show",
            "move",
            "create",
        }:
            return [BookingRole()]
        return [ReadAnyRole()]

    def get_queryset(self) -> QuerySet[Appointment]:
        qs = Appointment.objects.select_related("course__treatment_type", "patient", "practitioner")
        if self.action != "list":
            return qs
        request = self.request
        day = date_param(request, "date")
        if day is not None:
            start, end = range_bounds(day, day)
            qs = qs.filter(start_at__gte=start, start_at__lt=end)
        for name in ("patient", "practitioner"):
            value = id_param(request, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        state = request.query_params.get("status")
        if state:
            if state not in Status.values:
                raise ValidationError({"status": [f"Choose one of: {', '.join(Status.values)}."]})
            qs = qs.filter(status=state)
        return qs.order_by("start_at", "id")

    @extend_schema(
        parameters=[
            OpenApiParameter("date", date),
            OpenApiParameter("patient", int),
            OpenApiParameter("practitioner", int),
            OpenApiParameter("status", str),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=BookingSerializer, responses={201: AppointmentSerializer})
    def create(self, request: Request) -> Response:
        booking = validated(BookingSerializer, request.data)
        appointment = services.book_appointment(by=request.user, **booking)
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    def _respond(self, appointment: Appointment) -> Response:
        return Response(AppointmentSerializer(appointment).data)

    def _outcome_sent(
        self, shape: type[Serializer[Any]]
    ) -> tuple[Appointment, dict[str, Any], dict[str, Any]]:
        """The appointment, and the outcome sent for it (checked against its kind) apart
        from the override that goes with it."""
        appointment = self.get_object()
        values, override = split_overrides(
            validated(shape, self.request.data, kind=appointment.kind)
        )
        return appointment, values, override

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        return self._respond(
            services.confirm_appointment(appointment=self.get_object(), by=request.user)
        )

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str) -> Response:
        return self._respond(
            services.check_in_appointment(appointment=self.get_object(), by=request.user)
        )

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request: Request, pk: str) -> Response:
        return self._respond(no_shows.mark_no_show(appointment=self.get_object(), by=request.user))

    @extend_schema(
        request=None,
        responses=AppointmentSerializer,
        description="Take back a no-show on the clinic day it was marked; audited.",
    )
    @action(detail=True, methods=["post"], url_path="undo-no-show")
    def undo_no_show(self, request: Request, pk: str) -> Response:
        return self._respond(no_shows.undo_no_show(appointment=self.get_object(), by=request.user))

    @extend_schema(request=CancelSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        appointment = self.get_object()
        reason = validated(CancelSerializer, request.data)["reason"]
        return self._respond(
            services.cancel_appointment(appointment=appointment, by=request.user, reason=reason)
        )

    @extend_schema(request=MoveSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        appointment = self.get_object()
        move = validated(MoveSerializer, request.data)
        return self._respond(
            services.move_appointment(appointment=appointment, by=request.user, **move)
        )

    @extend_schema(request=CompleteSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        appointment, outcome, override = self._outcome_sent(CompleteSerializer)
        return self._respond(
            services.complete_appointment(
                appointment=appointment, by=request.user, outcome=outcome, **override
            )
        )

    @extend_schema(request=AmendSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str) -> Response:
        """Correct a completed outcome; the earlier values stay in the audit trail."""
        appointment, changes, override = self._outcome_sent(AmendSerializer)
        reason = changes.pop("reason")
        return self._respond(
            amendments.amend_outcome(
                appointment=appointment, by=request.user, changes=changes, reason=reason, **override
            )
        )


class CourseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = CourseSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_permissions(self) -> list[BasePermission]:
        # Funding is front desk's too; the recall interval stays a clinician's
        # (services.set_recall_interval refuses anyone else).
        return [BookingRole()] if self.action == "partial_update" else [ReadAnyRole()]

    def get_queryset(self) -> QuerySet[Course]:
        qs = Course.objects.select_related("treatment_type").order_by("id")
        patient = id_param(self.request, "patient")
        if patient is not None:
            qs = qs.filter(patient_id=patient)
        return qs

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **getattr(self, "_overview", {})}

    def _with_overview(self, courses: list[Course]) -> None:
        steps, prescriptions = selectors.get_course_overviews(courses)
        self._overview = {"steps": steps, "prescriptions": prescriptions}

    @extend_schema(parameters=[OpenApiParameter("patient", int)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        courses = list(page if page is not None else self.get_queryset())
        self._with_overview(courses)
        data = self.get_serializer(courses, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        course = self.get_object()
        self._with_overview([course])
        return Response(self.get_serializer(course).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        course = self.get_object()
        incoming = self.get_serializer(course, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        course = authorizations.update_course(
            course=course, by=request.user, changes=incoming.validated_data
        )
        self._with_overview([course])
        return Response(self.get_serializer(course).data)
