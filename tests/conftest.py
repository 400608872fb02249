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


def _ensure_reference_data() -> None:
    """The catalogue and role groups come from data migrations; a test that commits
    for real is followed by a flush that removes them, so put them back if gone."""
    from django.contrib.auth.models import Group

    from bookings.roles import ROLES
    from scheduler.catalogue import SEED_CATALOGUE
    from scheduler.models import TreatmentType

    if not TreatmentType.objects.exists():
        TreatmentType.objects.bulk_create(
            TreatmentType(**row, requires_prescription=row["category"] == "therapeutic")
            for row in SEED_CATALOGUE
        )
    for name in ROLES:
        Group.objects.get_or_create(name=name)


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
    elif not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    _ensure_reference_data()
