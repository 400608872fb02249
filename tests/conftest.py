import os

import pytest
from django.db import connection

# Services CI provides must really be used there: a skip would hide a broken rule.
REQUIRE_SERVICES = bool(os.environ.get("CI") or os.environ.get("REQUIRE_SERVICES"))


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} — required in CI, so this is a failure, not a skip")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _services_for_markers(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        skip_or_fail("needs Redis: set REDIS_URL=redis://…")


@pytest.fixture(autouse=True)
def _clinic_settings(settings):
    settings.CLINIC_TIME_ZONE = "America/Toronto"
    settings.CLINIC_NAME = "Lakeshore Clinic"
    settings.CLINIC_PHONE = "+1 416 555 0199"
