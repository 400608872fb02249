"""One JSON error shape: rule violations are ``{"code", "detail"}`` (docs/rules.md#errors)."""

from typing import Any

from django.db import IntegrityError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from bookings.errors import PathwayError, PatientBusy, SlotTaken


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, PathwayError):
        return Response(exc.as_json(), status=exc.status)
    if isinstance(exc, IntegrityError) and "appointment_no_overlap" in str(exc):
        taken = SlotTaken()
        return Response({"code": taken.code, "detail": taken.message}, status=taken.status)
    if isinstance(exc, IntegrityError) and "appointment_patient_no_overlap" in str(exc):
        busy = PatientBusy()
        return Response({"code": busy.code, "detail": busy.message}, status=busy.status)
    return drf_exception_handler(exc, context)
