"""The follow-ups dashboard counts recalls booked by patients beside those booked by staff."""

import pytest
from django.test import Client

from bookings import services
from reminders.links.counts import count_recalls_booked_by
from reminders.models import Recall
from scheduler import clock
from tests.clock import NOW, at, frozen_at
from tests.factories import PractitionerFactory, UserFactory, treatment

from .support import migraine_patient_due, recall_link, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with frozen_at(NOW):
        yield


def test_recalls_booked_online_and_by_staff_are_counted_apart():
    doctor = PractitionerFactory()
    online = migraine_patient_due()
    token = recall_link(online)
    response = verified(token).post(
        f"/p/{token}/book/", {"practitioner": doctor.pk, "start": at(2026, 3, 3, 10).isoformat()}
    )
    assert response.status_code == 200
    by_desk = migraine_patient_due()
    services.book_appointment(
        patient=by_desk.patient,
        practitioner=doctor,
        treatment=treatment("migraine"),
        kind="injection",
        start_at=at(2026, 3, 3, 11),
        by=UserFactory(groups=["front_desk"]),
    )
    migraine_patient_due()  # not booked
    assert Recall.objects.filter(status="booked").count() == 2
    counts = count_recalls_booked_by(due_after=clock.today(), due_before=clock.today())
    assert (counts.online, counts.staff) == (1, 1)
    manager = Client()
    manager.force_login(UserFactory(groups=["manager"]))
    page = manager.get("/follow-ups/").content.decode()
    assert "booked by patients online" in page
