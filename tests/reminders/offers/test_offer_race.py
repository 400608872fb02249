"""Eight patients take the same offered time at once: exactly one is booked."""

import pytest
import time_machine
from django.core.cache import cache

from bookings.models import Appointment, Status
from bookings.waitlist.models import WaitlistEntry, WaitlistStatus
from reminders.links.tokens import create_link
from reminders.offers.engine import offer_to_entry
from tests.bookings.test_concurrency import THREADS, run_together
from tests.clock import NOW, at
from tests.factories import PractitionerFactory
from tests.reminders.links.support import verified
from tests.waitlist import FREED_AT, ready_patient, wait

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_two_or_more_accepting_the_same_time_book_exactly_one(settings):
    settings.SMS_QUIET_HOURS = ""
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        doctor = PractitionerFactory()
        entries = [
            wait(ready_patient(), waiting_since=at(2026, 2, 1, 9, i)) for i in range(THREADS)
        ]
        tokens = [
            create_link(
                offer=offer_to_entry(entry=e, practitioner=doctor, start_at=FREED_AT, by=None)
            )
            for e in entries
        ]
        clients = [verified(token) for token in tokens]
        start = FREED_AT.isoformat()

        def take(i: int) -> str:
            response = clients[i].post(
                f"/p/{tokens[i]}/book/", {"practitioner": doctor.pk, "start": start}
            )
            return str(response.status_code)

        outcomes = run_together(take)
    assert outcomes == {"200": 1, "409": THREADS - 1}
    live = Appointment.objects.filter(start_at=FREED_AT, status=Status.BOOKED)
    assert live.count() == 1
    statuses = sorted(WaitlistEntry.objects.values_list("status", flat=True))
    assert statuses == sorted([WaitlistStatus.BOOKED] + [WaitlistStatus.WAITING] * (THREADS - 1))
