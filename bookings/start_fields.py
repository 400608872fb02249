"""The start-time input of the API and the web forms: one rule (``start_times``) for both."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from bookings.errors import PathwayError
from bookings.start_times import clinic_moment


class ClinicStartField(serializers.DateTimeField):
    """DRF's field, but a naive time must be a real, single clinic instant.

    The refusal is the domain error itself, not a field error, so the API answers
    ``400 {"code", "detail"}`` like every other rule (DRF lets it through ``is_valid``).
    """

    def enforce_timezone(self, value: datetime) -> datetime:
        if value.tzinfo is None:
            return clinic_moment(value)
        return super().enforce_timezone(value)


class ClinicStartFormField(forms.DateTimeField):
    """Django's field, with the same words as the API for a time the clocks skip or repeat."""

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                try:
                    return clinic_moment(parsed)
                except PathwayError as exc:
                    raise forms.ValidationError(exc.message, code=exc.code) from exc
        return super().to_python(value)
