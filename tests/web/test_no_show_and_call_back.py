"""A no-show and a call back are asked before they are recorded, and can be undone
the same clinic day, with both steps in the audit trail."""

from datetime import date, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from bookings.errors import PathwayError
from bookings.models import AuditEntry, Status
from reminders.inbox import undo_call_back
from reminders.models import InboundAction, RecallStatus
from scheduler.models import Kind
from tests.clock import TZ, frozen_at, in_march
from tests.factories import AppointmentFactory, InboundMessageFactory, RecallFactory

pytestmark = pytest.mark.django_db

# Monday 2 March 2026 in the clinic; the patient was due at 09:00 and never came.
MISSED_AT = in_march(2, 9, 0)
LATER_THAT_DAY = in_march(2, 9, 40)
LAST_MINUTE = in_march(2, 23, 59)
NEXT_MORNING = in_march(3, 8, 0)


@pytest.fixture
def missed(patient, doctor):
    return AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        kind=Kind.INJECTION,
        start_at=MISSED_AT,
        status=Status.CONFIRMED,
        planned_units=155,
    )


def audit(appointment):
    return list(appointment.audit.values_list("action", "by__username"))


def test_a_no_show_is_asked_before_it_is_recorded(client_for, missed):
    client = client_for("front_desk")
    with frozen_at(LATER_THAT_DAY):
        page = client.get(f"/appointments/{missed.pk}/").content.decode()
        assert "No-show…" in page and "Yes, mark as a no-show" in page
        # One click on an old page (no answer) asks instead of acting.
        asked = client.post(f"/appointments/{missed.pk}/no-show/", {"next": "/calendar/"})
        assert asked.status_code == 200
        assert "Did Maria Lopez not come?" in asked.content.decode()
        missed.refresh_from_db()
        assert missed.status == Status.CONFIRMED
        done = client.post(
            f"/appointments/{missed.pk}/no-show/", {"confirm": "yes", "next": "/calendar/"}
        )
    assert done.status_code == 302 and done.url == "/calendar/"
    missed.refresh_from_db()
    assert missed.status == Status.NO_SHOW
    assert audit(missed) == [("no_show", "front_desk")]


def test_the_no_show_question_works_without_javascript_as_a_page(client_for, missed):
    with frozen_at(LATER_THAT_DAY):
        page = client_for("front_desk").get(
            f"/appointments/{missed.pk}/no-show/", {"next": "javascript:alert(1)"}
        )
    html = page.content.decode()
    assert page.status_code == 200 and 'name="confirm" value="yes"' in html
    assert "javascript:" not in html.split("No, go back")[0].rsplit("<a", 1)[-1]


@pytest.mark.parametrize("undo_at", [LATER_THAT_DAY, LAST_MINUTE])
def test_a_no_show_is_undone_the_same_clinic_day_back_to_what_it_was(client_for, missed, undo_at):
    client = client_for("front_desk")
    with frozen_at(LATER_THAT_DAY):
        client.post(f"/appointments/{missed.pk}/no-show/", {"confirm": "yes"})
    with frozen_at(undo_at):
        page = client.get(f"/appointments/{missed.pk}/").content.decode()
        assert "Undo no-show" in page
        response = client.post(f"/appointments/{missed.pk}/undo-no-show/", follow=True)
    assert "no-show undone" in response.content.decode()
    missed.refresh_from_db()
    assert missed.status == Status.CONFIRMED
    assert audit(missed) == [("no_show", "front_desk"), ("no_show_undone", "front_desk")]


def test_a_no_show_cannot_be_undone_the_next_day(client_for, missed):
    client = client_for("front_desk")
    with frozen_at(LATER_THAT_DAY):
        client.post(f"/appointments/{missed.pk}/no-show/", {"confirm": "yes"})
    with frozen_at(NEXT_MORNING):
        page = client.get(f"/appointments/{missed.pk}/").content.decode()
        assert "Undo no-show" not in page
        response = client.post(f"/appointments/{missed.pk}/undo-no-show/", follow=True)
    assert "only be undone on the day it was marked" in response.content.decode()
    missed.refresh_from_db()
    assert missed.status == Status.NO_SHOW
    assert audit(missed) == [("no_show", "front_desk")]


def test_undoing_a_no_show_books_its_recall_again(client_for, missed, patient):
    injected = AppointmentFactory(
        patient=patient,
        kind=Kind.INJECTION,
        start_at=MISSED_AT - timedelta(days=90),
        status=Status.COMPLETED,
    )
    recall = RecallFactory(
        patient=patient,
        source_appointment=injected,
        due_on=date(2026, 3, 1),
        last_injection_on=date(2025, 12, 2),
        status=RecallStatus.BOOKED,
        booked_appointment=missed,
    )
    client = client_for("front_desk")
    with frozen_at(LATER_THAT_DAY):
        client.post(f"/appointments/{missed.pk}/no-show/", {"confirm": "yes"})
        recall.refresh_from_db()
        assert recall.status == RecallStatus.PENDING
        client.post(f"/appointments/{missed.pk}/undo-no-show/")
    recall.refresh_from_db()
    assert recall.status == RecallStatus.BOOKED and recall.booked_appointment == missed


def test_the_api_undoes_a_no_show_the_same_day_only(users, missed):
    api = APIClient()
    api.force_authenticate(users["front_desk"])
    url = f"/api/v1/appointments/{missed.pk}"
    with frozen_at(LATER_THAT_DAY):
        assert api.post(f"{url}/no-show/").json()["status"] == "no_show"
        assert api.post(f"{url}/undo-no-show/").json()["status"] == "confirmed"
        assert api.post(f"{url}/no-show/").status_code == 200
    with frozen_at(NEXT_MORNING):
        late = api.post(f"{url}/undo-no-show/")
    assert late.status_code == 400 and late.json()["code"] == "undo_too_late"
    manager = APIClient()
    manager.force_authenticate(users["manager"])
    assert manager.post(f"{url}/undo-no-show/").status_code == 403


def test_managers_can_neither_mark_nor_undo_a_no_show(client_for, missed):
    client = client_for("manager")
    with frozen_at(LATER_THAT_DAY):
        assert client.get(f"/appointments/{missed.pk}/no-show/").status_code == 403
        assert client.post(f"/appointments/{missed.pk}/undo-no-show/").status_code == 403


# --- call backs -------------------------------------------------------------------


@pytest.fixture
def asked(patient):
    patient.callback_requested_at = datetime(2026, 3, 2, 8, 30, tzinfo=TZ)
    patient.save()
    return InboundMessageFactory(patient=patient, body="R", action=InboundAction.CALLBACK)


def test_a_call_back_is_asked_before_it_is_recorded(client_for, patient, asked):
    client = client_for("front_desk")
    with frozen_at(LATER_THAT_DAY):
        inbox = client.get("/inbox/").content.decode()
        assert "Called back…" in inbox and "Yes, called back" in inbox
        question = client.post(f"/inbox/call-backs/{patient.pk}/done/", {"next": "/inbox/"})
        assert question.status_code == 200 and "Called back Maria Lopez?" in (
            question.content.decode()
        )
        patient.refresh_from_db()
        assert patient.callback_requested_at is not None
        done = client.post(f"/inbox/call-backs/{patient.pk}/done/", {"confirm": "yes"})
    assert done.status_code == 302
    patient.refresh_from_db()
    assert patient.callback_requested_at is None
    assert list(patient.audit.values_list("action", "by__username")) == [
        ("called_back", "front_desk")
    ]


def test_a_call_back_is_undone_the_same_day_and_waits_again(client_for, patient, asked):
    client = client_for("front_desk")
    with frozen_at(LATER_THAT_DAY):
        client.post(f"/inbox/call-backs/{patient.pk}/done/", {"confirm": "yes"})
        page = client.get(f"/patients/{patient.pk}/").content.decode()
        assert "Undo the call back" in page
        response = client.post(f"/inbox/call-backs/{patient.pk}/undo/", follow=True)
        assert "waiting for a call back again" in response.content.decode()
        assert "Lopez, Maria" in client.get("/inbox/").content.decode()
    patient.refresh_from_db()
    asked.refresh_from_db()
    assert patient.callback_requested_at == datetime(2026, 3, 2, 8, 30, tzinfo=TZ)
    assert asked.read_at is None and asked.read_by is None
    assert list(patient.audit.values_list("action", flat=True)) == [
        "called_back",
        "call_back_undone",
    ]


def test_a_call_back_cannot_be_undone_the_next_day(client_for, users, patient, asked):
    client = client_for("front_desk")
    with frozen_at(LATER_THAT_DAY):
        client.post(f"/inbox/call-backs/{patient.pk}/done/", {"confirm": "yes"})
    with frozen_at(NEXT_MORNING):
        assert "Undo the call back" not in client.get(f"/patients/{patient.pk}/").content.decode()
        response = client.post(f"/inbox/call-backs/{patient.pk}/undo/", follow=True)
    assert "Only a call back recorded today can be undone." in response.content.decode()
    with frozen_at(NEXT_MORNING), pytest.raises(PathwayError) as late:
        undo_call_back(patient=patient, by=users["front_desk"])
    assert late.value.code == "undo_too_late"
    patient.refresh_from_db()
    assert patient.callback_requested_at is None
    assert AuditEntry.objects.filter(action="call_back_undone").count() == 0
