"""API lists: an oversized ?limit= is cut to the ceiling, never a database error."""

import pytest
from rest_framework.test import APIClient

from config.pagination import MAX_LIMIT
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> APIClient:
    api = APIClient()
    api.force_authenticate(UserFactory(groups=["front_desk"]))
    return api


@pytest.mark.parametrize("path", ["/api/v1/patients/", "/api/v1/appointments/", "/api/v1/recalls/"])
def test_a_limit_beyond_any_integer_is_answered_not_a_500(client, path):
    PatientFactory()
    response = client.get(path, {"limit": "2119751069739877000019968", "offset": "1"})
    assert response.status_code == 200


def test_the_limit_is_cut_to_the_ceiling(client, settings):
    PatientFactory.create_batch(3)
    response = client.get("/api/v1/patients/", {"limit": str(10**30)})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3
    next_page = client.get("/api/v1/patients/", {"limit": str(10**30), "offset": "2"})
    assert len(next_page.json()["results"]) == 1
    assert settings.REST_FRAMEWORK["PAGE_SIZE"] <= MAX_LIMIT


def test_a_huge_offset_is_an_empty_page(client):
    PatientFactory()
    response = client.get("/api/v1/patients/", {"offset": str(10**30)})
    assert response.status_code == 200
    assert response.json()["results"] == []
