"""Helpers for the bookings tests: clients by role and API bookings (times: tests/clock.py)."""

from datetime import datetime
from typing import Any

from rest_framework.response import Response
from rest_framework.test import APIClient

from tests.factories import UserFactory


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
