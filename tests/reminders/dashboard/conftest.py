import pytest

from tests.clock import frozen_at, on

from .clinic import TODAY, Clinic, seed_small_clinic


@pytest.fixture(autouse=True)
def _today():
    with frozen_at(on(TODAY, 12)):
        yield


@pytest.fixture
def clinic() -> Clinic:
    return seed_small_clinic()
