"""The patient page's texts, call back, follow-ups and messages (fed by reminders)."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders.models import InboundAction, MessageStatus, Recall, RecallStatus
from scheduler import clock
from tests.clock import TZ
from tests.factories import InboundMessageFactory, MessageFactory, PatientFactory
from tests.reminders.conftest import make_recall

pytestmark = pytest.mark.django_db


def show(client, patient) -> str:
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_patient_page_says_when_and_how_consent_was_given(client_for):
    patient = PatientFactory(
        sms_consent=True,
        sms_consent_at=datetime(2026, 1, 5, 10, tzinfo=TZ),
        sms_consent_source="sms_start",
    )
    page = show(client_for("front_desk"), patient)
    assert "Agreed to texts on 5 Jan 2026, texted START." in page


def test_the_patient_page_says_an_opt_out_and_a_number_that_cannot_take_texts(client_for):
    patient = PatientFactory(
        sms_opted_out=True,
        sms_opted_out_at=datetime(2026, 2, 10, 12, tzinfo=TZ),
        phone_invalid=True,
    )
    page = show(client_for("clinician"), patient)
    assert "Opted out of texts on 10 Feb 2026: none are sent." in page
    assert "This number cannot receive texts" in page


def test_the_patient_page_says_there_is_no_consent(client_for):
    patient = PatientFactory(sms_consent=False, sms_consent_at=None, sms_consent_source="")
    assert "No consent to texts: none are sent." in show(client_for("front_desk"), patient)


def test_each_failed_message_says_why_in_words(client_for):
    patient = PatientFactory()
    MessageFactory(patient=patient, status=MessageStatus.FAILED, error_code=21614)
    MessageFactory(patient=patient, status=MessageStatus.UNDELIVERED, error_code=30003)
    MessageFactory(
        patient=patient, status=MessageStatus.SUPPRESSED, error_message="patient opted out"
    )
    page = show(client_for("front_desk"), patient)
    assert "number not a mobile (cannot receive texts) (21614)" in page
    assert "phone switched off or out of coverage (30003)" in page
    assert "patient opted out" in page


def test_a_call_back_request_shows_with_its_button_and_then_who_called(client_for, users):
    patient = PatientFactory(callback_requested_at=clock.now())
    InboundMessageFactory(patient=patient, body="R", action=InboundAction.CALLBACK)
    client = client_for("front_desk")
    page = show(client, patient)
    assert "Asked for a call back" in page and f"/inbox/call-backs/{patient.pk}/done/" in page
    response = client.post(
        f"/inbox/call-backs/{patient.pk}/done/",
        {"next": f"/patients/{patient.pk}/", "confirm": "yes"},
    )
    assert response.url == f"/patients/{patient.pk}/"
    page = show(client, patient)
    assert "(texted R)" not in page and f"/inbox/call-backs/{patient.pk}/done/" not in page
    assert "Last called back" in page and "by Front Desk" in page


def test_recent_replies_are_shown_on_the_patient_page(client_for):
    patient = PatientFactory()
    InboundMessageFactory(patient=patient, body="See you soon", action="other")
    page = show(client_for("front_desk"), patient)
    assert "See you soon" in page and "unread" in page


def test_dismissing_a_recall_needs_a_reason_shown_next_to_its_form(client_for):
    recall = make_recall(due_on=clock.today() + timedelta(days=10))
    response = client_for("front_desk").post(f"/recalls/{recall.pk}/dismiss/", {"reason": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    form = page[page.index(f'action="/recalls/{recall.pk}/dismiss/"') :]
    assert "Say why this recall is dismissed." in form[: form.index("</form>")]
    assert '<details class="cancel" open>' in page
    recall.refresh_from_db()
    assert recall.status == RecallStatus.PENDING


def test_a_too_long_reason_is_refused_and_kept_as_typed(client_for):
    recall = make_recall(due_on=clock.today())
    reason = "Moved away " * 20
    response = client_for("clinician").post(f"/recalls/{recall.pk}/dismiss/", {"reason": reason})
    assert response.status_code == 400
    assert f'value="{reason}"' in response.content.decode()


def test_dismissing_a_recall_with_a_reason_takes_it_off_the_list(client_for, users):
    recall = make_recall(due_on=clock.today() + timedelta(days=10))
    client = client_for("clinician")
    response = client.post(f"/recalls/{recall.pk}/dismiss/", {"reason": "Moved to Vancouver"})
    assert response.status_code == 302 and response.url == f"/patients/{recall.patient_id}/"
    recall.refresh_from_db()
    assert recall.status == RecallStatus.DISMISSED
    assert recall.dismissed_reason == "Moved to Vancouver"
    assert recall.dismissed_by == users["clinician"]
    page = show(client, recall.patient)
    assert "Moved to Vancouver" in page and f"/recalls/{recall.pk}/dismiss/" not in page


def test_managers_cannot_dismiss_a_recall(client_for):
    recall = make_recall(due_on=clock.today())
    client = client_for("manager")
    assert f"/recalls/{recall.pk}/dismiss/" not in show(client, recall.patient)
    response = client.post(f"/recalls/{recall.pk}/dismiss/", {"reason": "No"})
    assert response.status_code == 403
    assert Recall.objects.get().status == RecallStatus.PENDING


def test_the_patient_page_costs_the_same_queries_however_long_the_history(client_for):
    patient = PatientFactory()
    client = client_for("front_desk")
    make_recall(patient, due_on=clock.today())
    MessageFactory(patient=patient, status=MessageStatus.FAILED, error_code=21211)
    show(client, patient)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            show(client, patient)
        return len(captured)

    before = queries()
    for n in range(5):
        make_recall(patient, due_on=clock.today() + timedelta(days=n + 1), code="crows-feet")
        MessageFactory(patient=patient, status=MessageStatus.DELIVERED)
        InboundMessageFactory(patient=patient, body=f"hi {n}", action="other")
    assert queries() == before


def test_follow_ups_are_listed_in_date_order(client_for):
    patient = PatientFactory()
    make_recall(patient, due_on=datetime(2026, 5, 4).date(), code="neck-pain")
    make_recall(
        patient,
        due_on=datetime(2026, 1, 12).date(),
        code="migraine",
        status=RecallStatus.DISMISSED,
        dismissed_reason="Moved away",
    )
    make_recall(patient, due_on=datetime(2026, 3, 16).date(), code="bruxism")
    page = show(client_for("front_desk"), patient)
    dates = [page.index(day) for day in ("Mon 12 Jan 2026", "Mon 16 Mar 2026", "Mon 4 May 2026")]
    assert dates == sorted(dates)
