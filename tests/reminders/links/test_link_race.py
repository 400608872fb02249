"""Eight patients' links book one start at once: exactly one wins, the others hear 409."""

import pytest

from bookings.models import Appointment, Status
from tests.bookings.test_concurrency import THREADS, run_together
from tests.clock import NOW, at, frozen_at
from tests.factories import PractitionerFactory

from .support import migraine_patient_due, recall_link, verified

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_a_taken_start_race_through_links_has_exactly_one_winner():
    with frozen_at(NOW):
        doctor = PractitionerFactory(name="Dr. Adams")
        clients = [verified(recall_link(migraine_patient_due())) for _ in range(THREADS)]
        tokens = [c.token for c in clients]  # type: ignore[attr-defined]
        start = at(2026, 3, 3, 10).isoformat()

        def book(i: int) -> str:
            response = clients[i].post(
                f"/p/{tokens[i]}/book/", {"practitioner": doctor.pk, "start": start}
            )
            return str(response.status_code)

        outcomes = run_together(book)
    assert outcomes == {"200": 1, "409": THREADS - 1}
    assert (
        Appointment.objects.filter(status=Status.BOOKED, start_at=at(2026, 3, 3, 10)).count() == 1
    )
