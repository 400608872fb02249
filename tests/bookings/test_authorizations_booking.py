"""Insured injections on every channel: the API, a move, the slot picker, the services.

An insured migraine course is refused without an authorization, accepted with one,
refused when it is used up, and overridden by a clinician with a reason kept in the
audit trail (docs/rules.md#authorizations).
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings import services
from bookings.booking_options import get_picker_start
from bookings.models import Appointment, AuditEntry, Funding, Status
from bookings.selectors import get_course_history, list_slots
from scheduler.models import Kind
from tests.bookings.support import act, book
from tests.clock import NOW, at
from tests.factories import (
    AppointmentFactory,
    PatientFactory,
    UserFactory,
    course_for,
    treatment,
)
from tests.histories import insured, written_prescription

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def insured_migraine(**approval):
    """A migraine patient with a written prescription, the course paid by insurance."""
    patient = PatientFactory()
    course = written_prescription(patient).course
    insured(course, authorized=bool(approval), **approval)
    return patient, course


def injection(client, doctor, patient, start=None, **extra):
    return book(
        client,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=start or at(2026, 3, 3),
        **extra,
    )


def test_an_insured_injection_without_an_authorization_is_refused(desk, doctor):
    patient, _ = insured_migraine()
    response = injection(desk, doctor, patient)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "authorization_required"
    assert "self-pay" in body["detail"]
    assert not Appointment.objects.filter(kind=Kind.INJECTION).exists()


def test_an_insured_injection_with_an_authorization_is_booked(desk, doctor):
    patient, _ = insured_migraine(sessions=4)
    response = injection(desk, doctor, patient)
    assert response.status_code == 201, response.json()


def test_an_injection_after_the_authorization_ended_is_expired(desk, doctor):
    patient, _ = insured_migraine(valid_until=date(2026, 3, 2))
    response = injection(desk, doctor, patient)
    assert response.status_code == 400
    assert response.json()["code"] == "authorization_expired"


def test_an_insured_injection_is_refused_when_the_sessions_are_used(desk, doctor):
    patient, _ = insured_migraine(sessions=1)
    assert injection(desk, doctor, patient).status_code == 201
    second = injection(desk, doctor, patient, start=at(2026, 6, 1), override_reason="")
    assert second.status_code == 400
    codes = [r["code"] for r in second.json()["rules"]]
    assert "authorization_exhausted" in codes


def test_cancelling_an_insured_injection_gives_its_session_back(desk, doctor):
    patient, _ = insured_migraine(sessions=1)
    first = injection(desk, doctor, patient).json()
    assert act(desk, first["id"], "cancel", reason="Patient asked").status_code == 200
    assert injection(desk, doctor, patient, start=at(2026, 3, 4)).status_code == 201


def test_a_clinician_overrides_the_authorization_with_a_reason_kept_in_the_audit(clinician, doctor):
    patient, _ = insured_migraine()
    response = injection(
        clinician,
        doctor,
        patient,
        override_reason="The patient pays for this one",
        override_rules=["authorization_required"],
    )
    assert response.status_code == 201, response.json()
    appointment = Appointment.objects.get(pk=response.json()["id"])
    assert appointment.overridden_rules == ["authorization_required"]
    audit = AuditEntry.objects.get(appointment=appointment, action="override")
    assert audit.detail["rules"] == ["authorization_required"]
    assert audit.detail["reason"] == "The patient pays for this one"


def test_the_front_desk_cannot_override_the_authorization(desk, doctor):
    patient, _ = insured_migraine()
    response = injection(
        desk,
        doctor,
        patient,
        override_reason="pays",
        override_rules=["authorization_required"],
    )
    assert response.status_code == 400
    assert response.json()["code"] == "override_not_allowed"


def test_switching_the_course_to_self_pay_lifts_the_rule(desk, doctor):
    patient, course = insured_migraine()
    switched = desk.patch(f"/api/v1/courses/{course.pk}/", {"funding": "self_pay"}, format="json")
    assert switched.status_code == 200, switched.json()
    assert switched.json()["funding"] == "self_pay"
    assert injection(desk, doctor, patient).status_code == 201


def test_moving_an_insured_injection_past_the_authorization_is_refused(desk, doctor):
    patient, _ = insured_migraine(valid_until=date(2026, 3, 31))
    booked = injection(desk, doctor, patient).json()
    moved = act(desk, booked["id"], "move", start=at(2026, 4, 7).isoformat())
    assert moved.status_code == 400, moved.json()
    assert moved.json()["code"] == "authorization_expired"
    assert Appointment.objects.get(pk=booked["id"]).start_at == at(2026, 3, 3)


def test_moving_within_the_authorization_does_not_count_the_injection_twice(desk, doctor):
    patient, _ = insured_migraine(sessions=1)
    booked = injection(desk, doctor, patient).json()
    moved = act(desk, booked["id"], "move", start=at(2026, 3, 5).isoformat())
    assert moved.status_code == 200, moved.json()


def test_the_slot_picker_offers_only_dates_the_authorization_covers(doctor):
    patient, _ = insured_migraine(valid_until=date(2026, 3, 4))
    slots = list_slots(
        treatment=treatment("migraine"),
        kind=Kind.INJECTION,
        first=date(2026, 3, 3),
        last=date(2026, 3, 6),
        patient=patient,
        planned_units=155,
    )
    days = {s.start_at.astimezone(NOW.tzinfo).date() for s in slots}
    assert days == {date(2026, 3, 3), date(2026, 3, 4)}


def test_the_picker_says_why_when_no_authorization_covers_any_day(doctor):
    patient, course = insured_migraine()
    start = get_picker_start(
        asked=date(2026, 3, 3),
        treatment=course.treatment_type,
        kind=Kind.INJECTION,
        patient=patient,
    )
    assert "no authorization covers" in start.note


def test_an_insured_booking_costs_at_most_one_query_more_than_self_pay(
    doctor, django_assert_num_queries
):
    by = UserFactory(username="desk-q", groups=["front_desk"])
    migraine = treatment("migraine")
    self_pay = PatientFactory()
    written_prescription(self_pay)
    insured, _ = insured_migraine(sessions=4)

    def book_for(patient, hour):
        return services.book_appointment(
            patient=patient,
            practitioner=doctor,
            treatment=migraine,
            kind=Kind.INJECTION,
            start_at=at(2026, 3, 3, hour),
            by=by,
        )

    warm_up = PatientFactory()
    written_prescription(warm_up)
    book_for(warm_up, 9)  # the user's roles are read once, then cached on the user
    with CaptureQueriesContext(connection) as baseline:
        book_for(self_pay, 10)
    with django_assert_num_queries(len(baseline) + 1):
        book_for(insured, 11)
    assert Appointment.objects.filter(status=Status.BOOKED, kind=Kind.INJECTION).count() == 3


def test_moving_the_only_appointment_of_an_insured_course_still_asks_for_the_authorization():
    """The course's funding is read from the appointment being moved when no other says it."""
    patient = PatientFactory()
    course = course_for(patient, "frown-lines")
    course.funding = Funding.INSURANCE
    course.save(update_fields=["funding"])
    booked = AppointmentFactory(
        patient=patient,
        treatment_code="frown-lines",
        kind=Kind.INJECTION,
        start_at=at(2026, 3, 3),
        planned_units=20,
    )
    history = get_course_history(
        patient=patient, treatment=treatment("frown-lines"), exclude_id=booked.pk
    )
    assert history.insured
    assert [v.id for v in history.course_visits] == []


def test_the_slot_search_for_an_insured_patient_costs_one_query_more(
    doctor, django_assert_num_queries
):
    self_pay = PatientFactory()
    written_prescription(self_pay)
    insured, _ = insured_migraine(sessions=4)

    def search(patient):
        return list_slots(
            treatment=treatment("migraine"),
            kind=Kind.INJECTION,
            first=date(2026, 3, 3),
            last=date(2026, 3, 31),
            patient=patient,
            planned_units=155,
        )

    with CaptureQueriesContext(connection) as baseline:
        assert search(self_pay)
    with django_assert_num_queries(len(baseline) + 1):
        assert search(insured)
