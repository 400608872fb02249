"""The API clients and the practitioner most bookings tests share."""

import pytest

from scheduler.models import Practitioner
from tests.bookings.support import client_for
from tests.factories import PractitionerFactory


@pytest.fixture
def desk():
    return client_for("front_desk")


@pytest.fixture
def clinician():
    return client_for("clinician")


@pytest.fixture
def doctor() -> Practitioner:
    return PractitionerFactory(name="Dr. Adams")
