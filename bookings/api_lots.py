"""/api/v1/lots/: product lots with their stock, and a lot's recall list.

Clinicians and managers add lots; every staff role reads them
(docs/rules.md#lots-and-the-injection-record).
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from bookings import roles
from bookings.api_params import validated
from bookings.api_viewsets import ListCreateViewSet
from bookings.lots import can_manage_lots, receive_lot
from bookings.lots_read import list_lot_patients, lots_with_stock
from bookings.serializers_lots import LotPatientSerializer, LotSerializer
from scheduler.models import Lot


class ReadAnyRoleWriteLots(BasePermission):
    message = "Only clinicians and managers may change the stock."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return roles.can_read(request.user)
        return can_manage_lots(request.user)


class LotViewSet(ListCreateViewSet):
    serializer_class = LotSerializer
    permission_classes = [ReadAnyRoleWriteLots]
    # Anything but a number is no lot: 404, never a lookup that fails with a 500.
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Lot]:
        return lots_with_stock().order_by("expires_on", "product", "lot_number", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        lot = receive_lot(by=request.user, **validated(LotSerializer, request.data))
        fresh = self.get_queryset().get(pk=lot.pk)
        return Response(LotSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=LotPatientSerializer(many=True))
    @action(detail=True, methods=["get"])
    def patients(self, request: Request, pk: str) -> Response:
        """Every patient injected from the lot, with date, units and practitioner: a recall."""
        # The bare row: the stock's sums are not needed to list a recall.
        lot = get_object_or_404(Lot, pk=pk)
        rows = list_lot_patients(lot=lot)
        return Response(LotPatientSerializer(rows, many=True).data)
