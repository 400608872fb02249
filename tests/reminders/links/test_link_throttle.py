"""A burst of requests to the link pages from one address is answered 429 with the
clinic's phone only, counted with the JSON API's (docs/rules.md#patient-links)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from .support import migraine_patient_due, recall_link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
UNKNOWN = "0" * 22


def test_a_burst_of_dates_of_birth_on_the_pages_is_throttled_with_the_phone_only():
    client = Client()
    answers = [client.post(f"/p/{UNKNOWN}", {"date_of_birth": "2000-01-01"}) for _ in range(21)]
    assert {a.status_code for a in answers[:20]} == {404}
    busy = answers[20]
    assert busy.status_code == 429
    assert int(busy["Retry-After"]) >= 1
    page = busy.content.decode()
    assert "Please wait a minute" in page and "+1 416 555 0199" in page
    # Another address is not held up.
    assert Client(REMOTE_ADDR="10.0.0.9").get(f"/p/{UNKNOWN}").status_code == 404


def test_the_pages_and_the_api_count_one_addresss_guesses_together():
    api, pages = APIClient(), Client()
    for _ in range(10):
        api.post(f"/api/public/v1/links/{UNKNOWN}/verify/", {"date_of_birth": "2000-01-01"})
    for _ in range(10):
        assert pages.post(f"/p/{UNKNOWN}", {"date_of_birth": "2000-01-01"}).status_code == 404
    assert pages.post(f"/p/{UNKNOWN}", {"date_of_birth": "2000-01-01"}).status_code == 429


def test_a_burst_of_page_views_is_throttled_and_shows_nothing_personal():
    token = recall_link(migraine_patient_due())
    client = Client()
    answers = [client.get(f"/p/{token}") for _ in range(121)]
    assert {a.status_code for a in answers[:120]} == {200}
    busy = answers[120].content.decode()
    assert answers[120].status_code == 429
    assert "Marguerite" not in busy and "Zylberstein" not in busy and token not in busy
