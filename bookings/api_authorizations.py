"""/api/v1/authorizations/: the insurer's approvals per course (docs/rules.md#authorizations).

Front desk and clinicians write; every staff role reads.
"""

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.api_params import int_param, validated
from bookings.api_viewsets import ListCreateUpdateViewSet
from bookings.authorizations import AuthorizationInvalid, add_authorization, update_authorization
from bookings.authorizations_read import get_usages
from bookings.models import Authorization
from bookings.permissions import ReadAnyRoleWriteBooking
from bookings.serializers_authorizations import (
    AuthorizationChangeSerializer,
    AuthorizationCreateSerializer,
    AuthorizationSerializer,
)
from scheduler import clock

MAX_EXPIRING_WITHIN = 3650


def _refused(exc: AuthorizationInvalid) -> ValidationError:
    return ValidationError({name: [words] for name, words in exc.errors.items()})


class AuthorizationViewSet(ListCreateUpdateViewSet):
    serializer_class = AuthorizationSerializer
    permission_classes = [ReadAnyRoleWriteBooking]

    def get_queryset(self) -> QuerySet[Authorization]:
        qs = Authorization.objects.order_by("valid_until", "id")
        course = int_param(self.request, "course", low=1, high=2**31 - 1)
        if course is not None:
            qs = qs.filter(course_id=course)
        within = int_param(self.request, "expiring_within", low=0, high=MAX_EXPIRING_WITHIN)
        if within is not None:
            today = clock.today()
            qs = qs.filter(valid_until__gte=today, valid_until__lte=today + timedelta(days=within))
        return qs

    def _data(self, rows: list[Authorization]) -> Any:
        context = {**self.get_serializer_context(), "usages": get_usages(authorizations=rows)}
        return AuthorizationSerializer(rows, many=True, context=context).data

    @extend_schema(
        parameters=[
            OpenApiParameter("course", int),
            OpenApiParameter("expiring_within", int, description="days from today"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page if page is not None else self.get_queryset())
        data = self._data(rows)
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._data([self.get_object()])[0])

    @extend_schema(request=AuthorizationCreateSerializer, responses={201: AuthorizationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = validated(AuthorizationCreateSerializer, request.data)
        try:
            authorization = add_authorization(by=request.user, **values)
        except AuthorizationInvalid as exc:
            raise _refused(exc) from exc
        return Response(self._data([authorization])[0], status=status.HTTP_201_CREATED)

    @extend_schema(request=AuthorizationChangeSerializer, responses={200: AuthorizationSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        authorization = self.get_object()
        incoming = AuthorizationChangeSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        try:
            authorization = update_authorization(
                authorization=authorization, by=request.user, **incoming.validated_data
            )
        except AuthorizationInvalid as exc:
            raise _refused(exc) from exc
        return Response(self._data([authorization])[0])
