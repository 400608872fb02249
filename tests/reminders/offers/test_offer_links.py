"""An offer's link: only the offered time, 410 once the hold is over, 403 for another's."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.test import APIClient

from reminders.links.tokens import create_link
from reminders.offers.engine import offer_to_entry
from tests.clock import NOW
from tests.reminders.links.support import BIRTH, verified
from tests.waitlist import FREED_AT, waitlist

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning(settings):
    settings.SMS_QUIET_HOURS = ""
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def url(token: str, action: str = "") -> str:
    return f"/api/public/v1/links/{token}/" + (f"{action}/" if action else "")


def session(client: APIClient, token: str) -> APIClient:
    answer = client.post(url(token, "verify"), {"date_of_birth": BIRTH.isoformat()}, format="json")
    assert answer.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['session']}")
    return client


def offered_links():
    w = waitlist()
    first = offer_to_entry(entry=w.first, practitioner=w.doctor, start_at=FREED_AT, by=None)
    second = offer_to_entry(entry=w.second, practitioner=w.doctor, start_at=FREED_AT, by=None)
    return w, create_link(offer=first), create_link(offer=second)


def test_the_page_shows_only_the_offered_time_and_books_it():
    w, token, _ = offered_links()
    browser = verified(token)
    page = browser.get(f"/p/{token}")
    assert page.status_code == 200
    assert b"A time has opened up" in page.content
    assert page.content.count(b'class="start"') == 1
    done = browser.post(
        f"/p/{token}/book/", {"practitioner": w.doctor.pk, "start": FREED_AT.isoformat()}
    )
    assert done.status_code == 200
    assert w.first.patient.appointments.filter(start_at=FREED_AT).exists()


def test_another_time_than_the_one_offered_is_refused():
    w, token, _ = offered_links()
    client = session(APIClient(), token)
    other = (FREED_AT + timedelta(hours=1)).isoformat()
    answer = client.post(url(token, "book"), {"practitioner": w.doctor.pk, "start": other})
    assert answer.status_code == 400 and answer.json()["code"] == "not_offered"


def test_an_offer_past_its_hold_is_410(_monday_morning):
    w, token, _ = offered_links()
    client = session(APIClient(), token)
    _monday_morning.shift(timedelta(minutes=21))
    answer = client.post(
        url(token, "book"), {"practitioner": w.doctor.pk, "start": FREED_AT.isoformat()}
    )
    assert answer.status_code == 410


def test_someone_elses_offer_is_403():
    w, token, other = offered_links()
    client = session(APIClient(), token)
    answer = client.post(
        url(other, "book"), {"practitioner": w.doctor.pk, "start": FREED_AT.isoformat()}
    )
    assert answer.status_code == 403


def test_the_second_to_answer_is_told_kindly_and_keeps_their_place():
    w, token, other = offered_links()
    start = FREED_AT.isoformat()
    first = session(APIClient(), token).post(
        url(token, "book"), {"practitioner": w.doctor.pk, "start": start}
    )
    assert first.status_code == 201
    late = session(APIClient(), other)
    assert late.get(url(other)).json()["can_book"] is False
    answer = late.post(url(other, "book"), {"practitioner": w.doctor.pk, "start": start})
    assert answer.status_code == 409
    page = verified(other).get(f"/p/{other}")
    assert b"someone else took that time" in page.content
