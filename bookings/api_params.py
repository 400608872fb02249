"""What an API request sends, read once: a body or query through its serializer, and the
plain query parameters, where blank means "not given" and anything else must parse and be
in range; either way a bad value is a field error (docs/rules.md#errors)."""

from datetime import date
from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from scheduler import bounds


def int_param(
    request: Request, name: str, *, low: int, high: int, out_of_range: str = ""
) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValidationError({name: ["Enter a whole number."]}) from exc
    if not low <= value <= high:
        raise ValidationError({name: [out_of_range or f"Enter a number from {low} to {high}."]})
    return value


def id_param(request: Request, name: str) -> int | None:
    """A record's number: a whole number a row could have."""
    return int_param(
        request, name, low=1, high=bounds.MAX_ID, out_of_range="No record has this number."
    )


def date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({name: ["Enter a date as YYYY-MM-DD."]}) from exc
    if not bounds.is_sane_query_date(day):
        raise ValidationError({name: [bounds.query_date_message()]})
    return day


def validated(shape: type[Serializer[Any]], data: Any, **context: Any) -> dict[str, Any]:
    """The values ``shape`` accepts from ``data``, or the field errors as a 400."""
    incoming = shape(data=data, context=context)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)
