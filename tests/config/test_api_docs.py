"""/api/schema/ and /api/docs/ are for signed-in users unless API_DOCS_PUBLIC opens them;
the schema documents the error answers and filter values (config/api_docs.py,
config/openapi.py)."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-42"
DOCS = ["/api/schema/", "/api/docs/"]


def token_client() -> APIClient:
    UserFactory(username="frontdesk", groups=["front_desk"], password=PASSWORD)
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "frontdesk", "password": PASSWORD}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.parametrize("url", DOCS)
def test_the_docs_answer_401_without_a_sign_in_never_a_login_page(url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert "Location" not in response
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("url", DOCS)
def test_an_expired_or_unknown_token_gets_401_for_the_docs(url):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "ab" * 32)
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("url", DOCS)
def test_the_docs_open_to_a_token(url):
    assert token_client().get(url).status_code == 200


@pytest.mark.parametrize("url", DOCS)
def test_the_docs_open_to_a_web_session(url):
    client = APIClient()
    client.force_login(UserFactory(groups=["manager"]))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", DOCS)
def test_a_setting_opens_the_docs_to_anyone(url, settings):
    settings.API_DOCS_PUBLIC = True
    assert APIClient().get(url).status_code == 200


def schema() -> dict:
    return token_client().get("/api/schema/?format=json").json()


def test_the_schema_documents_the_error_answers_in_one_shape():
    document = schema()
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "detail"}
    assert "rules" in error["properties"]
    paths = document["paths"]
    book = paths["/api/v1/appointments/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "409"} <= set(book)
    assert {"200", "401", "403", "404"} <= set(paths["/api/v1/patients/{id}/"]["get"]["responses"])
    assert "400" in paths["/api/v1/patients/"]["get"]["responses"]
    assert "429" in paths["/api/v1/auth/token/"]["post"]["responses"]
    assert "401" not in paths["/api/v1/auth/token/"]["post"]["responses"]


def test_the_schema_names_the_token_scheme():
    document = schema()
    assert document["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    get_patients = document["paths"]["/api/v1/patients/"]["get"]
    assert {"tokenAuth": []} in get_patients["security"]


def test_the_schema_lists_the_values_filters_accept():
    paths = schema()["paths"]

    def enum(path: str, name: str) -> list[str]:
        param = next(p for p in paths[path]["get"]["parameters"] if p["name"] == name)
        return param["schema"].get("enum") or []

    assert "booked" in enum("/api/v1/appointments/", "status")
    assert enum("/api/v1/recalls/", "status")
    assert enum("/api/v1/messages/", "status")
    assert enum("/api/v1/slots/", "kind")


def test_drf_errors_carry_a_code_like_rule_refusals():
    response = APIClient().get("/api/v1/patients/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    missing = token_client().get("/api/v1/patients/999999/")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "detail": missing.json()["detail"]}
