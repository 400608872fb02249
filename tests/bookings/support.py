"""Helpers for the bookings tests: clients by role, clinic times, API bookings."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rest_framework.response import Response
from rest_framework.test import APIClient

from tests.factories import UserFactory

TZ = ZoneInfo("America/Toronto")
# Monday 2 March 2026, 08:00 in the clinic: before opening, the whole week ahead.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    """A clinic wall-clock time."""
    return datetime(y, m, d, h, mi, tzinfo=TZ)


def client_for(role: str | None, username: str | None = None) -> APIClient:
    client = APIClient()
    if role is not None:
        user = UserFactory(username=username or role, groups=[role])
        client.force_authenticate(user)
        client.user = user  # type: ignore[attr-defined]
    return client


def book(client: APIClient, **fields: Any) -> Response:
    data = {**fields}
    for name in ("patient", "practitioner"):
        if hasattr(data.get(name), "pk"):
            data[name] = data[name].pk
    if isinstance(data.get("start"), datetime):
        data["start"] = data["start"].isoformat()
    return client.post("/api/v1/appointments/", data, format="json")  # type: ignore[return-value]


def act(client: APIClient, appointment_id: int, action: str, **data: Any) -> Response:
    return client.post(  # type: ignore[return-value]
        f"/api/v1/appointments/{appointment_id}/{action}/", data, format="json"
    )
