"""Fields several web forms share, each with its limit and its words said once; the
limits are scheduler/bounds.py's, the same the API's serializers check."""

from typing import Any

from django import forms

from scheduler import bounds


def units_field(label: str, **extra: Any) -> forms.IntegerField:
    """Units of product: at least one, at most what one session uses."""
    words = {"max_value": bounds.TOO_MANY_UNITS, **extra.pop("error_messages", {})}
    return forms.IntegerField(
        min_value=1, max_value=bounds.MAX_UNITS, error_messages=words, label=label, **extra
    )


def sessions_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        max_value=bounds.MAX_SESSIONS,
        error_messages={"max_value": bounds.TOO_MANY_SESSIONS},
        label=label,
    )


def optional_text(label: str, max_length: int, **extra: Any) -> forms.CharField:
    """A text staff may leave empty, and the label says so."""
    return forms.CharField(
        required=False, max_length=max_length, label=f"{label} (optional)", **extra
    )
