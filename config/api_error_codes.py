"""Every API error carries a ``code``, not only the clinic's rule refusals.

bookings/api_errors.py gives rule refusals their ``{"code", "detail"}``; DRF's own
answers (not signed in, forbidden, not found, method not allowed) come as
``{"detail"}`` alone. Adding DRF's code to those makes one shape for clients and
for the schema (config/openapi.py). Field errors keep DRF's usual shape.
"""

from typing import Any

from django.http import Http404
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from bookings.api_errors import exception_handler as rule_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = rule_exception_handler(exc, context)
    if response is None or not (
        isinstance(response.data, dict) and set(response.data) == {"detail"}
    ):
        return response
    if isinstance(exc, APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
    else:  # Django's own, which DRF answers as these
        code = "not_found" if isinstance(exc, Http404) else "permission_denied"
    response.data = {"code": code, "detail": response.data["detail"]}
    return response
