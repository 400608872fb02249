"""The staff inbox page, its actions, and the header badge."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reminders.models import InboundAction
from scheduler import clock
from tests.factories import InboundMessageFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_the_inbox_shows_call_back_requests_and_unread_texts_first(client_for, patient):
    patient.callback_requested_at = clock.now()
    patient.save()
    other = PatientFactory(first_name="John", last_name="Smith")
    InboundMessageFactory(patient=other, body="Already answered", read_at=clock.now())
    InboundMessageFactory(patient=other, body="Can I move to Friday?")
    page = client_for("front_desk").get("/inbox/").content.decode()
    assert "Lopez, Maria" in page and "+1 416-555-0123" in page
    assert "Called back" in page and "Mark read" in page
    assert page.index("Can I move to Friday?") < page.index("Already answered")


def test_called_back_clears_the_request_and_says_who(client_for, patient, users):
    patient.callback_requested_at = clock.now()
    patient.save()
    r = InboundMessageFactory(patient=patient, body="R", action=InboundAction.CALLBACK)
    response = client_for("front_desk").post(
        f"/inbox/call-backs/{patient.pk}/done/", {"confirm": "yes"}
    )
    assert response.status_code == 302 and response.url == "/inbox/"
    patient.refresh_from_db()
    r.refresh_from_db()
    assert patient.callback_requested_at is None
    assert r.read_by == users["front_desk"]


def test_mark_read_moves_a_text_out_of_the_unread(client_for, patient, users):
    message = InboundMessageFactory(patient=patient, body="Thank you!")
    client = client_for("clinician")
    assert client.post(f"/inbox/texts/{message.pk}/read/").status_code == 302
    message.refresh_from_db()
    assert message.read_by == users["clinician"]
    page = client.get("/inbox/").content.decode()
    assert "Read " in page and "by Clinician" in page


def test_an_htmx_action_answers_with_the_inbox_and_its_message(client_for, patient):
    message = InboundMessageFactory(patient=patient, body="Thank you!")
    response = client_for("front_desk").post(
        f"/inbox/texts/{message.pk}/read/",
        {"next": "/inbox/"},
        headers={"HX-Request": "true"},
        follow=True,
    )
    page = response.content.decode()
    assert 'id="inbox"' in page and "marked read" in page


def test_managers_read_the_inbox_but_its_actions_are_refused(client_for, patient):
    patient.callback_requested_at = clock.now()
    patient.save()
    message = InboundMessageFactory(patient=patient, body="Hello")
    client = client_for("manager")
    page = client.get("/inbox/").content.decode()
    assert "Lopez, Maria" in page and "<button" not in page.split('id="inbox"')[1]
    assert client.post(f"/inbox/call-backs/{patient.pk}/done/").status_code == 403
    assert client.post(f"/inbox/texts/{message.pk}/read/").status_code == 403
    patient.refresh_from_db()
    message.refresh_from_db()
    assert patient.callback_requested_at is not None and message.read_at is None


def test_anonymous_users_are_sent_to_log_in_for_the_inbox_and_its_actions(patient):
    message = InboundMessageFactory(patient=patient, body="Hello")
    client = Client()
    for response in (
        client.get("/inbox/"),
        client.post(f"/inbox/call-backs/{patient.pk}/done/"),
        client.post(f"/inbox/texts/{message.pk}/read/"),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert message.read_at is None


def test_the_header_shows_the_inbox_count(client_for, patient):
    patient.callback_requested_at = clock.now()
    patient.save()
    InboundMessageFactory(patient=patient, body="Hello")
    InboundMessageFactory(patient=patient, body="Seen", read_at=clock.now())
    page = client_for("front_desk").get("/calendar/").content.decode()
    assert 'href="/inbox/"' in page
    assert '(2<span class="visually-hidden"> waiting</span>)' in page


def test_the_header_badge_costs_the_same_queries_however_full_the_inbox(client_for):
    client = client_for("front_desk")
    client.get("/patients/")  # session and the like, once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/patients/").status_code == 200
        return len(captured)

    empty = queries()
    for n in range(6):
        p = PatientFactory(callback_requested_at=clock.now())
        InboundMessageFactory(patient=p, body=f"Message {n}")
    assert queries() == empty
    assert 'class="badge">(12' in client.get("/patients/").content.decode()


def test_no_inbox_link_before_logging_in():
    page = Client().get("/login/").content.decode()
    assert "/inbox/" not in page


def test_managers_see_the_inbox_link_without_a_count_to_act_on(client_for, patient):
    patient.callback_requested_at = clock.now()
    patient.save()
    page = client_for("manager").get("/follow-ups/").content.decode()
    assert 'href="/inbox/"' in page and 'class="badge empty"' in page
