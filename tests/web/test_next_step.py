"""Book the next step: a button per course, the picker at the first allowed day, the usual
practitioner first, and the same button in the calendar's side panel."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Status
from scheduler.models import Kind
from tests.clock import TZ
from tests.factories import (
    AppointmentFactory,
    PractitionerFactory,
    PrescriptionFactory,
)

pytestmark = pytest.mark.django_db


def migraine_injection_given(patient, doctor, nurse):
    """Exam with a diagnosis, a prescription, and an injection given by the nurse on 5 Jan."""
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        start_at=datetime(2025, 12, 1, 9, tzinfo=TZ),
        status=Status.COMPLETED,
        diagnosis="Chronic migraine",
    )
    rx = PrescriptionFactory(
        appointment__patient=patient,
        appointment__practitioner=doctor,
        appointment__start_at=datetime(2025, 12, 8, 9, tzinfo=TZ),
    )
    return AppointmentFactory(
        patient=patient,
        practitioner=nurse,
        kind=Kind.INJECTION,
        start_at=datetime(2026, 1, 5, 10, tzinfo=TZ),
        status=Status.COMPLETED,
        units_given=155,
        planned_units=155,
        prescription=rx,
    )


@pytest.fixture
def nurse(db):
    return PractitionerFactory(name="Nurse Zoe Young")


def test_the_patient_page_has_a_button_for_each_course_next_step(
    client_for, patient, doctor, nurse, frozen
):
    migraine_injection_given(patient, doctor, nurse)
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        treatment_code="frown-lines",
        start_at=datetime(2026, 3, 4, 9, tzinfo=TZ),
    )
    html = client_for("front_desk").get(f"/patients/{patient.pk}/").content.decode()
    assert f'href="/book/?patient={patient.pk}&amp;treatment=migraine&amp;kind=injection"' in html
    assert "Book the injection" in html
    # The consultation booked, a cosmetic course's injection is next.
    assert "treatment=frown-lines&amp;kind=injection" in html


def test_a_course_waiting_on_its_prescription_visit_has_no_button(
    client_for, patient, doctor, frozen
):
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        start_at=datetime(2026, 2, 2, 9, tzinfo=TZ),
        status=Status.COMPLETED,
        diagnosis="Chronic migraine",
    )
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        kind=Kind.PRESCRIPTION,
        start_at=datetime(2026, 3, 3, 9, tzinfo=TZ),
    )
    html = client_for("front_desk").get(f"/patients/{patient.pk}/").content.decode()
    assert "Prescription appointment booked" in html
    assert "next-step" not in html


def test_managers_see_no_booking_button(client_for, patient, doctor, nurse, frozen):
    migraine_injection_given(patient, doctor, nurse)
    html = client_for("manager").get(f"/patients/{patient.pk}/").content.decode()
    assert "Book the injection" not in html


def test_the_button_opens_the_picker_on_the_first_allowed_day_with_the_usual_injector_first(
    client_for, patient, doctor, nurse, frozen
):
    migraine_injection_given(patient, doctor, nurse)
    html = (
        client_for("front_desk")
        .get(f"/book/?patient={patient.pk}&treatment=migraine&kind=injection")
        .content.decode()
    )
    assert "Next injection from Mon 30 Mar 2026" in html
    assert "Free on Monday 30 March" in html
    # The nurse gave the last injection: first on the day, though "Dr." sorts before.
    assert html.index("<dt>Nurse Zoe Young") < html.index("<dt>Dr. Amelia Hart")
    assert 'Nurse Zoe Young <span class="muted">(usual)</span>' in html


def test_the_calendar_panel_offers_the_courses_next_step(
    client_for, patient, doctor, nurse, frozen
):
    given = migraine_injection_given(patient, doctor, nurse)
    response = client_for("front_desk").get(f"/appointments/{given.pk}/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Book the injection" in html
    assert f"/book/?patient={patient.pk}&amp;treatment=migraine&amp;kind=injection" in html


def test_the_patient_page_costs_the_same_queries_for_one_course_or_five(
    client_for, patient, doctor, nurse, frozen
):
    client = client_for("front_desk")
    migraine_injection_given(patient, doctor, nurse)
    client.get(f"/patients/{patient.pk}/")  # warm up the session

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/patients/{patient.pk}/").status_code == 200
        return len(captured)

    one = count()
    for day, code in enumerate(("frown-lines", "crows-feet", "neck-pain", "bruxism"), start=9):
        AppointmentFactory(
            patient=patient,
            practitioner=doctor,
            treatment_code=code,
            start_at=datetime(2026, 3, day, 9, tzinfo=TZ),
        )
    assert count() == one


def test_after_a_cosmetic_injection_the_button_books_the_review_from_its_due_date(
    client_for, patient, doctor, frozen
):
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        treatment_code="frown-lines",
        start_at=datetime(2026, 2, 23, 9, tzinfo=TZ),
        status=Status.COMPLETED,
    )
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        treatment_code="frown-lines",
        kind=Kind.INJECTION,
        start_at=datetime(2026, 2, 23, 9, 30, tzinfo=TZ),
        status=Status.COMPLETED,
        units_given=20,
    )
    client = client_for("front_desk")
    html = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "treatment=frown-lines&amp;kind=review" in html and "Book the review" in html
    picker = client.get(
        f"/book/?patient={patient.pk}&treatment=frown-lines&kind=review"
    ).content.decode()
    assert "Review due from Mon 9 Mar 2026, 14 days after the injection" in picker
    assert "Free on Monday 9 March" in picker
    assert "← Earlier" in picker
    earlier = client.get(
        f"/book/?patient={patient.pk}&treatment=frown-lines&kind=review&from=2026-03-03"
    ).content.decode()
    assert "Free on Tuesday 3 March" in earlier
    # Booked, the review is no longer the next step: the next injection is.
    AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        treatment_code="frown-lines",
        kind=Kind.REVIEW,
        start_at=datetime(2026, 3, 9, 9, tzinfo=TZ),
        minutes=15,
    )
    after = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "treatment=frown-lines&amp;kind=injection" in after
