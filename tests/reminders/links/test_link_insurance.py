"""An insured course's injection through the link: refused in the patient's words when no
authorization covers it, booked when one does (docs/rules.md#authorizations)."""

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from bookings.models import Appointment, Status
from reminders.models import Recall
from tests.clock import at
from tests.factories import PractitionerFactory
from tests.histories import insured

from .support import BIRTH, migraine_patient_due, recall_link, verified

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
STAFF_WORDS = ("switch the course", "self-pay", "add the insurer")


@pytest.fixture
def doctor():
    return PractitionerFactory(name="Dr. Adams")


def insured_recall(*, covered_from: date | None = None) -> Recall:
    """Due today (Mon 2 March 2026), the course paid by insurance, with an authorization
    from ``covered_from`` if given."""
    recall = migraine_patient_due()
    if covered_from is None:
        insured(recall.course, authorized=False)
    else:
        insured(recall.course, valid_from=covered_from)
    return recall


def api_book(token: str, doctor, start) -> Any:
    client = APIClient()
    session = client.post(
        f"/api/public/v1/links/{token}/verify/", {"date_of_birth": BIRTH.isoformat()}, format="json"
    ).json()["session"]
    return client.post(
        f"/api/public/v1/links/{token}/book/",
        {"practitioner": doctor.pk, "start": start.isoformat()},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {session}",
    )


def test_without_an_authorization_the_patient_is_told_to_call_and_nothing_is_booked(doctor):
    token = recall_link(insured_recall())
    page = verified(token).get(f"/p/{token}").content.decode()
    assert "insurance" in page and "Please call us" in page
    assert 'class="start"' not in page
    assert not any(words in page for words in STAFF_WORDS)
    refused = api_book(token, doctor, at(2026, 3, 3, 10))
    assert refused.status_code == 400
    assert not any(words in refused.json()["detail"] for words in STAFF_WORDS)
    assert not Appointment.objects.filter(status=Status.BOOKED).exists()


def test_a_date_no_authorization_covers_is_refused_and_a_covered_one_is_booked(doctor):
    token = recall_link(insured_recall(covered_from=date(2026, 3, 9)))
    page = verified(token).get(f"/p/{token}").content.decode()
    assert "Next injection from Mon 9 Mar 2026" in page
    assert "Tuesday 3 March" not in page and not any(words in page for words in STAFF_WORDS)
    refused = api_book(token, doctor, at(2026, 3, 3, 10))
    assert refused.status_code == 400
    answer = refused.json()
    assert answer["code"] == "authorization_required"
    assert "insurance" in answer["detail"]
    assert not any(words in answer["detail"] for words in STAFF_WORDS)
    assert answer["next"][0]["start"].startswith("2026-03-09")
    booked = api_book(token, doctor, at(2026, 3, 9, 10))
    assert booked.status_code == 201
    assert Appointment.objects.get(status=Status.BOOKED).start_at == at(2026, 3, 9, 10)
