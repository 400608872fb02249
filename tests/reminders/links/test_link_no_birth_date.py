"""A patient with no date of birth on file cannot prove who they are: their link says so
kindly, with the clinic's phone, and counts no wrong answer (docs/rules.md#patient-links)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reminders.links.tokens import find_link

from .support import BIRTH, migraine_patient_due, recall_link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def token() -> str:
    recall = migraine_patient_due()
    recall.patient.date_of_birth = None
    recall.patient.save()
    return recall_link(recall)


def test_the_page_says_to_call_instead_of_asking_for_a_date_of_birth(token):
    client = Client()
    for response in (
        client.get(f"/p/{token}"),
        client.post(f"/p/{token}", {"date_of_birth": BIRTH.isoformat()}),
    ):
        assert response.status_code == 403
        page = response.content.decode()
        assert "we do not have it on file" in page and "+1 416 555 0199" in page
        assert "Marguerite" not in page and "date_of_birth" not in page
    link = find_link(token)
    assert link is not None and link.failed_attempts == 0


def test_the_api_answers_403_in_words(token):
    response = APIClient().post(
        f"/api/public/v1/links/{token}/verify/",
        {"date_of_birth": BIRTH.isoformat()},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "no_date_of_birth"
    assert "call us" in response.json()["detail"]
