"""A cancellation, a real Celery worker on Redis, PostgreSQL, texts to a fake Twilio,
and two patients answering: the rules pick who is asked, the database who gets it."""

import re

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from bookings import services
from bookings.models import Appointment, Status
from bookings.waitlist.models import WaitlistStatus
from reminders.models import Message, MessageStatus, Purpose
from tests.clock import NOW, ticking_at
from tests.conftest import wait_until
from tests.factories import AppointmentFactory
from tests.reminders.links.support import BIRTH
from tests.waitlist import FREED_AT, waitlist

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

LINK = re.compile(r"/p/([A-Za-z0-9_-]+)")


def answer(token: str, start: str, practitioner: int):
    client = APIClient()
    verified = client.post(
        f"/api/public/v1/links/{token}/verify/", {"date_of_birth": BIRTH.isoformat()}, format="json"
    )
    assert verified.status_code == 200, verified.json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {verified.json()['session']}")
    slots = client.get(f"/api/public/v1/links/{token}/slots/").json()
    booked = client.post(
        f"/api/public/v1/links/{token}/book/",
        {"practitioner": practitioner, "start": start},
        format="json",
    )
    return [s["start"] for s in slots], booked


def test_a_cancellation_is_offered_to_exactly_the_eligible_in_order_and_one_books(worker, settings):
    settings.WAITLIST_OFFER_BATCH = 4
    cache.clear()
    with ticking_at(NOW):
        w = waitlist()
        booked = AppointmentFactory(practitioner=w.doctor, start_at=FREED_AT, kind="exam")
        services.cancel_appointment(appointment=booked, by=None, reason="Called in ill")

        offers = Message.objects.filter(purpose=Purpose.WAITLIST_OFFER)
        wait_until(lambda: offers.filter(status=MessageStatus.SENT).count() == 4)
        eligible = [w.first, w.second, w.third, w.fourth]
        asked = list(offers.order_by("id").values_list("patient_id", flat=True))
        assert asked == [e.patient_id for e in eligible]  # waiting order, nobody else
        refused = {w.too_soon.patient.phone, w.over_dose.patient.phone}
        texted = [r["form"] for r in worker.requests]
        assert not [t for t in texted if t["To"] in refused]
        tokens = {
            t["To"]: LINK.search(t["Body"]).group(1)  # type: ignore[union-attr]
            for t in texted
            if "/p/" in t["Body"]
        }

        start = FREED_AT.isoformat()
        shown, first = answer(tokens[w.first.patient.phone], start, w.doctor.pk)
        assert shown == [start]  # the offered time, and only it
        assert first.status_code == 201, first.json()
        shown, second = answer(tokens[w.second.patient.phone], start, w.doctor.pk)
        assert shown == []  # gone by the time they looked
        assert second.status_code == 409
        assert second.json()["code"] == "offer_taken"
        assert "someone else took that time" in second.json()["detail"]

    live = Appointment.objects.filter(start_at=FREED_AT).exclude(status=Status.CANCELLED)
    assert [a.patient_id for a in live] == [w.first.patient_id]
    w.first.refresh_from_db()
    w.second.refresh_from_db()
    assert (w.first.status, w.second.status) == (WaitlistStatus.BOOKED, WaitlistStatus.WAITING)
