import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from benchmarks.fake_twilio import FakeTwilio
from tests.clock import NOW, Traveller, frozen_at

# Services CI provides must really be used there: a skip would hide a broken rule.
REQUIRE_SERVICES = bool(os.environ.get("CI") or os.environ.get("REQUIRE_SERVICES"))


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} — required in CI, so this is a failure, not a skip")
    pytest.skip(reason)


def _missing_service(item: pytest.Item) -> str | None:
    if (
        item.get_closest_marker("postgres")
        and "postgresql" not in settings.DATABASES["default"]["ENGINE"]
    ):
        return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://…"
    if item.get_closest_marker("browser") and not Path("/usr/bin/chromium").exists():
        return "needs Chromium at /usr/bin/chromium: apt-get install -y chromium"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip before any fixture runs: a database set up for a test that then skips
    leaves its reset half done for the next one. In CI the fixture below fails them."""
    if REQUIRE_SERVICES:
        return
    for item in items:
        if reason := _missing_service(item):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _services_for_markers(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        skip_or_fail("needs Redis: set REDIS_URL=redis://…")


@pytest.fixture(autouse=True)
def _clinic_settings(settings):
    # Hashing a password properly takes ~0.1 s and the suite creates many users.
    # The production hasher stays listed for accounts used by a separate server process.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    settings.CLINIC_TIME_ZONE = "America/Toronto"
    settings.CLINIC_NAME = "Lakeshore Clinic"
    settings.CLINIC_PHONE = "+1 416 555 0199"


def _ensure_reference_data() -> None:
    """The catalogue and role groups come from data migrations; a test that commits
    for real is followed by a flush that removes them, so put them back if gone."""
    from django.contrib.auth.models import Group

    from bookings.roles import ROLES
    from scheduler.catalogue import SEED_CATALOGUE
    from scheduler.models import InjectionSite, TreatmentType
    from scheduler.sites import seed_sites

    if not TreatmentType.objects.exists():
        TreatmentType.objects.bulk_create(
            TreatmentType(**row, requires_prescription=row["category"] == "therapeutic")
            for row in SEED_CATALOGUE
        )
    if not InjectionSite.objects.exists():
        seed_sites(site_model=InjectionSite, treatment_model=TreatmentType)
    for name in ROLES:
        Group.objects.get_or_create(name=name)


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
    elif not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    _ensure_reference_data()


@pytest.fixture(autouse=True)
def _no_requests_counted_yet() -> None:
    """The link throttles count per address in Django's cache, and a frozen clock never
    lets a count expire: each test starts with none."""
    cache.clear()


@pytest.fixture
def frozen() -> Iterator[Traveller]:
    """The clinic's Monday morning (tests/clock.py ``NOW``), the clock stopped."""
    with frozen_at(NOW) as traveller:
        yield traveller


# Texts go to a fake of Twilio's Messages endpoint on 127.0.0.1 (benchmarks/fake_twilio.py),
# through the real twilio client: what a patient's phone would receive is read there.
ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "fake-auth-token"
PUBLIC_BASE_URL = "https://clinic.example.org"


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    yield fake
    fake.close()


@pytest.fixture
def sms_settings(settings):
    """Send at any hour, as fast as asked; tests of those rules set their own."""
    settings.SMS_QUIET_HOURS = ""
    settings.SMS_MAX_PER_SECOND = 0
    settings.SMS_RETRY_BACKOFF_SECONDS = 0.01
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    return settings


@pytest.fixture
def twilio(sms_settings, fake_twilio) -> FakeTwilio:
    sms_settings.SMS_BACKEND = "twilio"
    sms_settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    sms_settings.TWILIO_FROM_NUMBER = "+15005550006"
    sms_settings.TWILIO_MESSAGING_SERVICE_SID = ""
    sms_settings.TWILIO_API_BASE_URL = fake_twilio.url
    sms_settings.SMS_HTTP_TIMEOUT_SECONDS = 2.0
    return fake_twilio


def wait_until(predicate, *, timeout: float = 30.0) -> None:
    """Poll until the worker thread has done its part (a limit, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("gave up waiting for the worker")


@pytest.fixture
def worker(twilio):
    """A real Celery worker thread on the real broker, sending to the fake Twilio."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with app.connection_for_write() as conn:
        for queue in ("sms", "celery"):
            # The Redis channel has queue_purge; kombu types only the abstract channel.
            conn.default_channel.queue_purge(queue)  # type: ignore[attr-defined]
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=["sms", "celery"], shutdown_timeout=10
    ):
        yield twilio
