"""The dashboard's query count does not grow with the number of recalls (docs/performance.md)."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bookings.models import Appointment, Course, Patient, Status
from reminders.models import Message, MessageStatus, Recall, RecallKind, RecallStatus
from scheduler import clock
from tests.clock import frozen_at
from tests.factories import PractitionerFactory, UserFactory, treatment

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 18)

STATUSES = [RecallStatus.PENDING, RecallStatus.REMINDED, RecallStatus.BOOKED, RecallStatus.LAPSED]
SMS_STATUSES = [MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.SUPPRESSED]


@pytest.fixture(autouse=True)
def _today():
    with frozen_at(clock.at(TODAY, time(12))):
        yield


def add_recalls(count: int, *, offset: int, practitioner) -> None:
    """``count`` recalls (with patient, course, injection and one SMS each), in bulk."""
    migraine = treatment("migraine")
    patients = Patient.objects.bulk_create(
        Patient(
            first_name=f"P{offset + n}",
            last_name="Bulk",
            phone=f"+1416556{(offset + n) % 10000:04d}",
        )
        for n in range(count)
    )
    courses = Course.objects.bulk_create(
        Course(patient=patient, treatment_type=migraine) for patient in patients
    )
    # Ten-minute injections one after another, so none overlap (PostgreSQL refuses that).
    first = clock.at(TODAY - timedelta(days=200), time(0))
    injections = Appointment.objects.bulk_create(
        Appointment(
            course=course,
            patient=course.patient,
            practitioner=practitioner,
            kind="injection",
            start_at=first + timedelta(minutes=10 * (offset + n)),
            end_at=first + timedelta(minutes=10 * (offset + n) + 10),
            status=Status.COMPLETED,
        )
        for n, course in enumerate(courses)
    )
    recalls = Recall.objects.bulk_create(
        Recall(
            patient=injection.patient,
            course=injection.course,
            treatment_type=migraine,
            kind=RecallKind.REINJECTION,
            source_appointment=injection,
            # Spread from 60 days overdue to 60 days ahead, every state.
            due_on=TODAY + timedelta(days=(offset + n) % 120 - 60),
            last_injection_on=TODAY - timedelta(days=150),
            status=STATUSES[(offset + n) % len(STATUSES)],
            booked_at=clock.now() if STATUSES[(offset + n) % len(STATUSES)] == "booked" else None,
        )
        for n, injection in enumerate(injections)
    )
    Message.objects.bulk_create(
        Message(
            patient=recall.patient,
            to=recall.patient.phone,
            body="Due.",
            purpose="recall_due",
            recall=recall,
            stage="due",
            status=SMS_STATUSES[n % len(SMS_STATUSES)],
            error_code=21614 if SMS_STATUSES[n % len(SMS_STATUSES)] == "failed" else None,
            send_after=clock.now(),
        )
        for n, recall in enumerate(recalls)
    )


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            response.getvalue()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/follow-ups/",
        "/follow-ups/?treatment_type=migraine&due_after=2025-05-01&due_before=2025-08-01",
        "/follow-ups/overdue.csv",
        "/follow-ups/failed-sms.csv",
    ],
)
def test_the_dashboard_makes_as_many_queries_for_1000_recalls_as_for_10(url):
    practitioner = PractitionerFactory()
    client = Client()
    client.force_login(UserFactory(groups=["manager"]))
    add_recalls(10, offset=0, practitioner=practitioner)
    queries_for(client, url)  # warm: session, content types
    with_10 = queries_for(client, url)
    add_recalls(990, offset=10, practitioner=practitioner)
    assert Recall.objects.count() == 1000
    assert queries_for(client, url) == with_10
    if url.startswith("/follow-ups/?") or url == "/follow-ups/":
        # 15 for the follow-ups, the insurance renewal worklist's (bookings.renewals),
        # the recalls booked by patients online (reminders/links/counts.py) and at most
        # four for the waitlist's figures (reminders/offers/figures.py).
        assert with_10 <= 21
