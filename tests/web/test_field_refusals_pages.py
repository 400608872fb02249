"""A value the services refuse is shown by its field on the page, with what was typed
kept, as the form's own checks are (docs/rules.md#errors)."""

import re

import pytest

from bookings.models import Prescription
from scheduler.models import Kind
from tests.clock import in_march
from tests.factories import AppointmentFactory, PrescriptionFactory

pytestmark = pytest.mark.django_db


def field_error(html: str, field: str) -> str:
    """The error Django writes under one field (its ``id_<field>_error`` list)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]*>", "", found.group(1)).strip() if found else ""


def test_a_prescription_valid_until_yesterday_is_said_by_its_field(client_for, patient, frozen):
    AppointmentFactory(
        patient=patient, start_at=in_march(2, 7), status="completed", diagnosis="Migraine"
    )
    visit = AppointmentFactory(
        patient=patient, kind=Kind.PRESCRIPTION, start_at=in_march(2, 7, 30), minutes=15
    )
    typed = {"units_per_session": "155", "sessions": "4", "valid_until": "2026-03-01"}
    response = client_for("clinician").post(f"/appointments/{visit.pk}/complete/", typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "valid_until") == "“Valid until” cannot be before today."
    assert 'id="rule-error"' not in html
    assert 'name="units_per_session" value="155"' in html
    assert 'value="2026-03-01"' in html
    assert not Prescription.objects.filter(appointment=visit).exists()


def test_amending_sessions_below_those_booked_is_said_by_the_field(client_for, patient, frozen):
    rx = PrescriptionFactory(
        appointment__patient=patient, appointment__start_at=in_march(2, 7), sessions=4
    )
    for day in (3, 4):
        AppointmentFactory(
            patient=patient, kind=Kind.INJECTION, prescription=rx, start_at=in_march(day, 10)
        )
    typed = {
        "units_per_session": "155",
        "sessions": "1",
        "valid_until": rx.valid_until.isoformat(),
        "reason": "Fewer sessions",
    }
    response = client_for("clinician").post(f"/appointments/{rx.appointment.pk}/amend/", typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 sessions of this prescription are already given or booked" in field_error(
        html, "sessions"
    )
    assert 'value="Fewer sessions"' in html
    rx.refresh_from_db()
    assert rx.sessions == 4
