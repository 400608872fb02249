"""DRF permission classes for the roles of docs/rules.md#roles."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from bookings import roles


class ReadAnyRoleWriteBooking(BasePermission):
    """Every staff role reads; front desk and clinicians write."""

    message = "Your role may look at this but not change it."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return roles.can_read(request.user)
        return roles.can_book(request.user)


class ReadAnyRole(BasePermission):
    message = "Your account has no clinic role."

    def has_permission(self, request: Request, view: Any) -> bool:
        return roles.can_read(request.user)


class BookingRole(BasePermission):
    message = "Only front desk and clinicians may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return roles.can_book(request.user)


class ClinicianRole(BasePermission):
    message = "Only a clinician may record clinical information."

    def has_permission(self, request: Request, view: Any) -> bool:
        return roles.can_record_clinical(request.user)
