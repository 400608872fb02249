"""Helpers for the bookings tests: clients by role and API bookings (times: tests/clock.py)."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.factories import UserFactory

if TYPE_CHECKING:
    # What the test client returns (``.json()`` and all); the name exists only in the stubs.
    from rest_framework.response import _MonkeyPatchedResponse as Response


class RoleClient(APIClient):
    """An API client signed in as one user of a role, who is at hand as ``user``."""

    user: User


def client_for(role: str | None, username: str | None = None) -> RoleClient:
    client = RoleClient()
    if role is not None:
        user = UserFactory(username=username or role, groups=[role])
        client.force_authenticate(user)
        client.user = user
    return client


def book(client: APIClient, **fields: Any) -> "Response":
    data = {**fields}
    for name in ("patient", "practitioner"):
        if hasattr(data.get(name), "pk"):
            data[name] = data[name].pk
    if isinstance(data.get("start"), datetime):
        data["start"] = data["start"].isoformat()
    return client.post("/api/v1/appointments/", data, format="json")


def act(client: APIClient, appointment_id: int, action: str, **data: Any) -> "Response":
    return client.post(f"/api/v1/appointments/{appointment_id}/{action}/", data, format="json")
