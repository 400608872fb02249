"""Schemathesis over the OpenAPI schema: no input a client can send gets a 5xx.

Runs inside the suite (so `make test` and `.ci/run` run it) against the app itself
through WSGI, on the test database, signed in as the front desk with a real token.
The size is kept small (MAX_EXAMPLES per operation) and the run derandomized, so CI
sees the same cases on every run; set SCHEMATHESIS_MAX_EXAMPLES (e.g. 200) to search harder.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error

from tests.factories import PatientFactory, PractitionerFactory, UserFactory

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))
PASSWORD = "a-long-test-password-42"

# Signing out would end the run's token; test_signin covers it.
NOT_FUZZED = ["DELETE /api/v1/auth/token/"]


schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True)
).exclude(name=NOT_FUZZED)
schema.app = get_wsgi_application()
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def front_desk_headers() -> Iterator[dict[str, str]]:
    UserFactory(username="fuzz-frontdesk", groups=["front_desk"], password=PASSWORD)
    PractitionerFactory()
    PatientFactory()
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "fuzz-frontdesk", "password": PASSWORD},
        format="json",
    )
    headers = {"Authorization": f"Token {response.json()['token']}"}
    # Requests go through the real WSGI handler, which closes the database connection
    # at each request's end and would lose the test's transaction; Django's test client
    # disconnects the same handler for the same reason (and reconnects it after each
    # of its own requests, hence after the sign-in above).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield headers
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@FUZZ
def test_no_input_gets_a_server_error(case: Any, front_desk_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=front_desk_headers, checks=[not_a_server_error])
