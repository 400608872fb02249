"""Sign-in guard and API tokens: lock-out after repeated wrong passwords, token lifetime,
revocation (config/signin.py, config/api_auth.py)."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.clock import frozen_at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-42"
TOKEN_URL = "/api/v1/auth/token/"
START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture
def frontdesk():
    return UserFactory(username="frontdesk", groups=["front_desk"], password=PASSWORD)


def sign_in(client: APIClient, username: str, password: str):
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def answers_to_wrong_passwords(username: str, tries: int) -> list[tuple[int, str | None]]:
    client = APIClient()
    answers = []
    for n in range(tries):
        response = sign_in(client, username, f"wrong-{n}")
        answers.append((response.status_code, response.json().get("code")))
    return answers


def test_the_right_password_gives_a_token_with_its_expiry(frontdesk):
    with frozen_at(START):
        response = sign_in(APIClient(), "frontdesk", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert len(body["token"]) >= 32
    assert datetime.fromisoformat(body["expiry"]) == START + timedelta(hours=12)


def test_tokens_are_stored_only_as_a_hash(frontdesk):
    token = sign_in(APIClient(), "frontdesk", PASSWORD).json()["token"]
    stored = AuthToken.objects.get(user=frontdesk)
    assert token not in (stored.digest, stored.token_key)


def test_repeated_wrong_passwords_lock_the_api_sign_in_even_for_the_right_one(frontdesk):
    answers = answers_to_wrong_passwords("frontdesk", 5)
    assert answers[:4] == [(400, "sign_in_failed")] * 4
    assert answers[4] == (429, "sign_in_locked")
    right = sign_in(APIClient(), "frontdesk", PASSWORD)
    assert right.status_code == 429
    assert right.json()["code"] == "sign_in_locked"
    assert "minutes" in right.json()["detail"]
    assert "token" not in right.json()


def test_an_unknown_username_is_answered_exactly_like_a_real_one(frontdesk):
    assert answers_to_wrong_passwords("nobody-here", 6) == answers_to_wrong_passwords(
        "frontdesk", 6
    )


def test_the_lock_is_per_username(frontdesk):
    answers_to_wrong_passwords("someone-else", 6)
    assert sign_in(APIClient(), "frontdesk", PASSWORD).status_code == 200


def test_the_lock_ends_after_the_lockout_minutes(frontdesk, settings):
    with frozen_at(START):
        answers_to_wrong_passwords("frontdesk", 5)
    with frozen_at(START + timedelta(minutes=14)):
        assert sign_in(APIClient(), "frontdesk", PASSWORD).status_code == 429
    with frozen_at(START + timedelta(minutes=31)):
        assert sign_in(APIClient(), "frontdesk", PASSWORD).status_code == 200


def test_a_few_mistakes_then_the_right_password_start_the_count_again(frontdesk):
    answers_to_wrong_passwords("frontdesk", 4)
    assert sign_in(APIClient(), "frontdesk", PASSWORD).status_code == 200
    assert answers_to_wrong_passwords("frontdesk", 4) == [(400, "sign_in_failed")] * 4


def test_the_login_page_locks_out_politely_and_keeps_the_username(frontdesk):
    client = Client()
    for n in range(4):
        response = client.post("/login/", {"username": "frontdesk", "password": f"wrong-{n}"})
        assert response.status_code == 200
    locked = client.post("/login/", {"username": "frontdesk", "password": "wrong-again"})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many unsuccessful sign-in attempts" in page
    assert 'value="frontdesk"' in page
    assert "sign_in_locked" not in page
    right = client.post("/login/", {"username": "frontdesk", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_on_the_page_and_the_api_count_together(frontdesk):
    client = Client()
    for n in range(3):
        client.post("/login/", {"username": "frontdesk", "password": f"wrong-{n}"})
    assert answers_to_wrong_passwords("frontdesk", 2)[-1] == (429, "sign_in_locked")


def test_failed_sign_ins_log_neither_the_username_nor_the_address(frontdesk, caplog):
    caplog.set_level(logging.DEBUG)
    answers_to_wrong_passwords("frontdesk", 6)
    assert caplog.records
    assert "frontdesk" not in caplog.text
    assert "127.0.0.1" not in caplog.text


def test_a_token_stops_working_after_its_lifetime(frontdesk):
    with frozen_at(START):
        token = sign_in(APIClient(), "frontdesk", PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with frozen_at(START + timedelta(hours=11, minutes=59)):
        assert client.get("/api/v1/treatment-types/").status_code == 200
    with frozen_at(START + timedelta(hours=12, minutes=1)):
        assert client.get("/api/v1/treatment-types/").status_code == 401


def test_the_token_lifetime_is_a_setting(frontdesk, settings):
    settings.API_TOKEN_HOURS = 1
    with frozen_at(START):
        body = sign_in(APIClient(), "frontdesk", PASSWORD).json()
    assert datetime.fromisoformat(body["expiry"]) == START + timedelta(hours=1)


def test_delete_revokes_the_token_it_is_sent_with_and_no_other(frontdesk):
    first, second = APIClient(), APIClient()
    for client in (first, second):
        token = sign_in(APIClient(), "frontdesk", PASSWORD).json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert first.delete(TOKEN_URL).status_code == 204
    assert first.get("/api/v1/treatment-types/").status_code == 401
    assert second.get("/api/v1/treatment-types/").status_code == 200


def test_revoking_needs_a_token():
    assert APIClient().delete(TOKEN_URL).status_code == 401


@pytest.mark.parametrize("token", ["0123456789abcdef", "not hex at all"])
def test_a_malformed_or_unknown_token_is_unauthenticated(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/treatment-types/").status_code == 401


def test_a_token_with_a_nul_byte_is_refused_before_authentication():
    # The request guard answers every NUL the same plain way, headers included.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "abc\x00def" * 4)
    response = client.get("/api/v1/treatment-types/")
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_byte_in_the_sign_in_is_a_plain_400(frontdesk, field):
    data = {"username": "frontdesk", "password": PASSWORD, field: "front\x00desk"}
    response = APIClient().post(TOKEN_URL, data, format="json")
    assert response.status_code == 400
