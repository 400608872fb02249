"""The reminders REST API: recalls, dismissing, the follow-up summary, messages."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from reminders.models import MessageStatus, Recall, RecallStatus
from reminders.selectors import get_follow_up_summary
from scheduler import clock
from tests.clock import frozen_at
from tests.factories import MessageFactory, UserFactory

from .conftest import make_recall

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 18)  # a Wednesday


@pytest.fixture(autouse=True)
def _today():
    with frozen_at(clock.at(TODAY, clock.now().time().replace(hour=12))):
        yield


def api_as(role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory(groups=[role]))
    return client


def test_recalls_are_listed_with_their_treatment_code_and_filtered():
    due = make_recall(due_on=TODAY, code="migraine")
    make_recall(due_on=TODAY + timedelta(days=30), code="neck-pain", status="booked")
    response = api_as("manager").get(
        "/api/v1/recalls/",
        {"status": "pending", "due_before": TODAY.isoformat(), "treatment_type": "migraine"},
    )
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": due.pk,
            "patient": due.patient_id,
            "treatment_type": "migraine",
            "kind": "reinjection",
            "due_on": "2025-06-18",
            "status": "pending",
            "last_injection_on": str(due.last_injection_on),
        }
    ]


def test_a_bad_recall_filter_is_a_field_error():
    response = api_as("manager").get("/api/v1/recalls/", {"status": "forgotten", "due_after": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"status", "due_after"}


@pytest.mark.parametrize("role", ["front_desk", "clinician"])
def test_front_desk_and_clinicians_dismiss_a_recall_with_a_reason(role):
    recall = make_recall(due_on=TODAY)
    response = api_as(role).post(f"/api/v1/recalls/{recall.pk}/dismiss/", {"reason": "moved away"})
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"
    assert Recall.objects.get().dismissed_reason == "moved away"


def test_managers_may_not_dismiss_a_recall():
    recall = make_recall(due_on=TODAY)
    response = api_as("manager").post(f"/api/v1/recalls/{recall.pk}/dismiss/", {"reason": "x"})
    assert response.status_code == 403
    assert Recall.objects.get().status == RecallStatus.PENDING


def test_dismissing_without_a_reason_is_a_field_error():
    recall = make_recall(due_on=TODAY)
    response = api_as("front_desk").post(f"/api/v1/recalls/{recall.pk}/dismiss/", {"reason": " "})
    assert response.status_code == 400
    assert "reason" in response.json()


def test_dismissing_a_booked_recall_is_an_invalid_transition():
    recall = make_recall(due_on=TODAY, status="booked")
    response = api_as("front_desk").post(f"/api/v1/recalls/{recall.pk}/dismiss/", {"reason": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["detail"]


def test_anonymous_callers_see_no_recalls():
    assert APIClient().get("/api/v1/recalls/").status_code in (401, 403)


def test_the_follow_up_summary_has_one_row_per_week_from_this_week_on():
    monday = date(2025, 6, 16)
    make_recall(due_on=TODAY - timedelta(days=20))  # overdue from an earlier week
    make_recall(due_on=monday)  # overdue this week
    make_recall(due_on=TODAY, status="reminded", reminded_at=clock.now())
    make_recall(due_on=TODAY + timedelta(days=7), status="booked")
    make_recall(due_on=TODAY + timedelta(days=7), status="dismissed", dismissed_reason="x")
    response = api_as("manager").get("/api/v1/follow-ups/summary/", {"weeks": 3})
    assert response.status_code == 200
    assert response.json() == [
        {"week_start": "2025-06-16", "due": 2, "reminded": 1, "booked": 0, "overdue": 2},
        {"week_start": "2025-06-23", "due": 1, "reminded": 0, "booked": 1, "overdue": 0},
        {"week_start": "2025-06-30", "due": 0, "reminded": 0, "booked": 0, "overdue": 0},
    ]


def test_the_follow_up_summary_is_one_query_however_many_weeks_and_recalls():
    for day in range(0, 60, 3):
        make_recall(due_on=TODAY + timedelta(days=day))
    with CaptureQueriesContext(connection) as queries:
        summary = get_follow_up_summary(weeks=12)
    assert len(queries) == 1
    assert sum(week["due"] for week in summary) == 20


def test_the_follow_up_summary_filtered_by_treatment_is_still_one_query():
    make_recall(due_on=TODAY, code="migraine")
    make_recall(due_on=TODAY, code="frown-lines")
    with CaptureQueriesContext(connection) as queries:
        summary = get_follow_up_summary(weeks=2, treatment_type="frown-lines")
    assert len(queries) == 1
    assert [week["due"] for week in summary] == [1, 0]


def test_an_unknown_treatment_code_matches_no_recalls():
    make_recall(due_on=TODAY, code="migraine")
    client = api_as("manager")
    assert client.get("/api/v1/recalls/", {"treatment_type": "no-such"}).json()["results"] == []
    summary = client.get("/api/v1/follow-ups/summary/", {"treatment_type": "no-such"}).json()
    assert sum(week["due"] for week in summary) == 0


def test_messages_are_listed_for_staff_and_filtered_by_patient_and_status():
    failed = MessageFactory(status=MessageStatus.FAILED, error_code=21211, error_message="bad")
    MessageFactory()
    response = api_as("front_desk").get(
        "/api/v1/messages/", {"patient": str(failed.patient_id), "status": "failed"}
    )
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == failed.pk
    assert row["error_code"] == 21211
    assert {"to", "body", "purpose", "status", "created_at", "sent_at"} <= set(row)
