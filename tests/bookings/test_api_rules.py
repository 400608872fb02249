"""Every rule of docs/rules.md#errors reachable over the API, with its status and code."""

from datetime import date, time

import pytest

from bookings.models import Appointment, AuditEntry, Course, Status
from scheduler.models import Kind, Role, TimeOff
from tests.bookings.support import act, book
from tests.clock import at
from tests.factories import (
    AppointmentFactory,
    PatientFactory,
    PractitionerFactory,
)
from tests.histories import (
    cosmetic_patient_injected,
    diagnosed_exam,
    given_injection,
    written_prescription,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def patient():
    return PatientFactory()


def assert_rule(response, code: str, status: int = 400) -> None:
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["code"] == code
    assert body["detail"].strip()


# --- the pathway ----------------------------------------------------------------------


def test_a_prescription_without_an_exam_is_exam_required(desk, doctor, patient):
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="prescription",
        start=at(2026, 3, 3),
    )
    assert_rule(response, "exam_required")


def test_a_cosmetic_injection_without_a_consultation_is_exam_required(desk, doctor, patient):
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="injection",
        start=at(2026, 3, 3),
    )
    assert_rule(response, "exam_required")


def test_a_cosmetic_exam_then_injection_the_same_day_is_accepted(desk, doctor, patient):
    common = dict(patient=patient, practitioner=doctor, treatment_type="frown-lines")
    assert book(desk, **common, kind="exam", start=at(2026, 3, 3, 9)).status_code == 201
    response = book(desk, **common, kind="injection", start=at(2026, 3, 3, 9, 30))
    assert response.status_code == 201, response.json()
    assert response.json()["planned_units"] == 20  # the type's typical dose


def test_a_therapeutic_injection_without_a_prescription_is_prescription_required(
    desk, doctor, patient
):
    diagnosed_exam(patient, "migraine", at(2026, 2, 2, 9))
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3),
    )
    assert_rule(response, "prescription_required")


def test_an_injection_after_the_prescription_expires_is_refused(desk, doctor, patient):
    written_prescription(patient, valid_until=date(2026, 3, 5))
    common = dict(patient=patient, practitioner=doctor, treatment_type="migraine", kind="injection")
    assert_rule(book(desk, **common, start=at(2026, 3, 6)), "prescription_expired")
    assert book(desk, **common, start=at(2026, 3, 5, 16, 30)).status_code == 201


def test_an_injection_with_every_session_used_or_booked_is_refused(desk, doctor, patient):
    rx = written_prescription(patient, sessions=1)
    first = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3),
    )
    assert first.status_code == 201, first.json()
    assert Appointment.objects.get(pk=first.json()["id"]).prescription == rx
    second = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 6, 2),
    )
    assert_rule(second, "no_sessions_left")


def test_a_cancelled_injection_gives_its_session_back(desk, doctor, patient):
    written_prescription(patient, sessions=1)
    common = dict(patient=patient, practitioner=doctor, treatment_type="migraine", kind="injection")
    first = book(desk, **common, start=at(2026, 3, 3)).json()
    assert act(desk, first["id"], "cancel", reason="Patient is ill").status_code == 200
    assert book(desk, **common, start=at(2026, 3, 4)).status_code == 201


def test_moving_the_injection_that_uses_the_last_session_is_allowed(desk, doctor, patient):
    written_prescription(patient, sessions=1)
    booked = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3),
    ).json()
    moved = act(desk, booked["id"], "move", start=at(2026, 3, 4, 11).isoformat())
    assert moved.status_code == 200, moved.json()
    assert moved.json()["start"] == "2026-03-04T11:00:00-05:00"


def test_a_review_before_any_injection_is_injection_required(desk, doctor, patient):
    diagnosed_exam(patient, "frown-lines", at(2026, 2, 2, 9))
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="review",
        start=at(2026, 3, 3),
    )
    assert_rule(response, "injection_required")


# --- completing -----------------------------------------------------------------------


def test_a_therapeutic_exam_cannot_be_completed_without_a_diagnosis(desk, clinician, doctor):
    exam = AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 2, 7))
    assert_rule(act(clinician, exam.pk, "complete", diagnosis="  "), "diagnosis_required")
    exam.refresh_from_db()
    assert exam.status == Status.BOOKED


def test_a_cosmetic_consultation_can_be_completed_without_a_diagnosis(clinician, doctor):
    exam = AppointmentFactory(
        practitioner=doctor, treatment_code="frown-lines", start_at=at(2026, 3, 2, 7)
    )
    assert act(clinician, exam.pk, "complete").status_code == 200


def test_a_prescription_cannot_be_completed_before_the_exam_has_a_diagnosis(clinician, patient):
    AppointmentFactory(patient=patient, start_at=at(2026, 3, 2, 7))  # booked, not completed
    visit = AppointmentFactory(
        patient=patient, kind=Kind.PRESCRIPTION, start_at=at(2026, 3, 2, 7, 30), minutes=15
    )
    response = act(clinician, visit.pk, "complete", units_per_session=155, sessions=4)
    assert_rule(response, "diagnosis_required")
    assert not visit.course.prescriptions.exists()


def test_completing_needs_the_outcome_fields_of_the_kind(clinician, patient):
    injection = AppointmentFactory(
        patient=patient,
        treatment_code="frown-lines",
        kind=Kind.INJECTION,
        start_at=at(2026, 3, 2, 7),
    )
    response = act(clinician, injection.pk, "complete", product="Botox")
    assert response.status_code == 400
    assert set(response.json()) == {"units", "lot"}


# --- safety rules and overrides --------------------------------------------------------


def test_an_injection_too_soon_after_the_last_is_refused(desk, doctor):
    patient = cosmetic_patient_injected(at(2026, 1, 5, 9, 30))
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="injection",
        start=at(2026, 3, 3),
    )
    assert_rule(response, "reinjection_too_soon")
    assert "Mon 5 Jan 2026" in response.json()["detail"]
    assert "Sun 5 Apr 2026" in response.json()["detail"]


def test_an_injection_over_the_cumulative_dose_is_refused(desk, doctor, patient):
    written_prescription(patient)
    given_injection(patient, "neck-pain", at(2026, 2, 2, 10), 350)
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3),
        planned_units=155,
    )
    assert_rule(response, "dose_limit_exceeded")


def test_front_desk_cannot_override_a_safety_rule(desk, doctor):
    patient = cosmetic_patient_injected(at(2026, 1, 5, 9, 30))
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="injection",
        start=at(2026, 3, 3),
        override_reason="The patient insists",
    )
    assert_rule(response, "override_not_allowed")
    assert not Appointment.objects.filter(practitioner=doctor).exists()


def test_an_override_without_a_reason_is_the_rule_itself(clinician, doctor):
    patient = cosmetic_patient_injected(at(2026, 1, 5, 9, 30))
    response = book(
        clinician,
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="injection",
        start=at(2026, 3, 3),
        override_reason="   ",
    )
    assert_rule(response, "reinjection_too_soon")


def test_a_clinician_overrides_both_rules_and_the_override_is_recorded(clinician, doctor):
    patient = cosmetic_patient_injected(at(2026, 2, 2, 9, 30), units=350)
    response = book(
        clinician,
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="injection",
        start=at(2026, 3, 3),
        planned_units=60,
        override_reason="  Asymmetry after the last session; approved by Dr. Adams  ",
        override_rules=["reinjection_too_soon", "dose_limit_exceeded"],
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    reason = "Asymmetry after the last session; approved by Dr. Adams"
    assert body["overridden_rules"] == ["reinjection_too_soon", "dose_limit_exceeded"]
    assert body["override_reason"] == reason
    appointment = Appointment.objects.get(pk=body["id"])
    assert appointment.overridden_rules == ["reinjection_too_soon", "dose_limit_exceeded"]
    audit = AuditEntry.objects.get(appointment=appointment, action="override")
    assert audit.detail == {
        "rules": ["reinjection_too_soon", "dose_limit_exceeded"],
        "reason": reason,
    }
    assert audit.by == clinician.user


def test_a_front_desk_reason_with_nothing_to_override_is_not_stored(desk, doctor, patient):
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="exam",
        start=at(2026, 3, 3),
        override_reason="not needed",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["override_reason"] == ""
    assert not AuditEntry.objects.filter(action="override").exists()


# --- the calendar ---------------------------------------------------------------------


def test_a_practitioner_without_the_treatment_is_not_qualified(desk, patient):
    physician = PractitionerFactory(treatment_types=["migraine", "frown-lines"])
    dentist = PractitionerFactory(role=Role.DENTIST, treatment_types=["tmj", "bruxism"])
    common = dict(patient=patient, treatment_type="tmj", kind="exam", start=at(2026, 3, 3))
    assert_rule(book(desk, practitioner=physician, **common), "practitioner_not_qualified")
    assert book(desk, practitioner=dentist, **common).status_code == 201


def test_a_practitioner_who_cannot_prescribe_is_not_qualified(desk, patient):
    nurse = PractitionerFactory(role=Role.NURSE_INJECTOR, can_examine=False, can_prescribe=False)
    AppointmentFactory(patient=patient, start_at=at(2026, 3, 3, 9))
    response = book(
        desk,
        patient=patient,
        practitioner=nurse,
        treatment_type="migraine",
        kind="prescription",
        start=at(2026, 3, 3, 10),
    )
    assert_rule(response, "practitioner_not_qualified")


@pytest.mark.parametrize(
    "start",
    [
        at(2026, 3, 3, 8, 30),  # before opening
        at(2026, 3, 3, 16, 45),  # would end at 17:15
        at(2026, 3, 7, 10),  # Saturday
    ],
    ids=["before-opening", "past-closing", "weekend"],
)
def test_outside_working_hours_is_refused(desk, doctor, patient, start):
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="exam",
        start=start,
    )
    assert_rule(response, "outside_working_hours")


def test_time_off_counts_as_outside_working_hours(desk, doctor, patient):
    TimeOff.objects.create(
        practitioner=doctor, start_at=at(2026, 3, 3, 12), end_at=at(2026, 3, 3, 14), reason="Course"
    )
    common = dict(patient=patient, practitioner=doctor, treatment_type="migraine", kind="exam")
    assert_rule(book(desk, **common, start=at(2026, 3, 3, 11, 45)), "outside_working_hours")
    assert book(desk, **common, start=at(2026, 3, 3, 11, 30)).status_code == 201
    assert book(desk, **common, start=at(2026, 3, 3, 14)).status_code == 201


def test_a_time_already_passed_is_refused(desk, doctor, patient):
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="exam",
        start=at(2026, 3, 2, 7, 45),
    )
    assert_rule(response, "in_the_past")


def test_an_overlapping_booking_is_a_409_and_back_to_back_is_fine(desk, doctor):
    common = dict(practitioner=doctor, treatment_type="migraine", kind="exam")
    assert (
        book(desk, patient=PatientFactory(), **common, start=at(2026, 3, 3, 10)).status_code == 201
    )
    clash = book(desk, patient=PatientFactory(), **common, start=at(2026, 3, 3, 10, 15))
    assert_rule(clash, "slot_taken", status=409)
    after = book(desk, patient=PatientFactory(), **common, start=at(2026, 3, 3, 10, 30))
    assert after.status_code == 201


def test_a_cancelled_appointment_frees_its_time(desk, doctor):
    common = dict(practitioner=doctor, treatment_type="migraine", kind="exam", start=at(2026, 3, 3))
    first = book(desk, patient=PatientFactory(), **common).json()
    act(desk, first["id"], "cancel", reason="Called to cancel")
    assert book(desk, patient=PatientFactory(), **common).status_code == 201


# --- never a half-written row -----------------------------------------------------------


def test_a_refused_first_booking_leaves_no_course_behind(desk, doctor, patient):
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="injection",
        start=at(2026, 3, 3),
    )
    assert response.status_code == 400
    assert not Course.objects.filter(patient=patient).exists()
    assert not Appointment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_first_booking_lost_to_a_taken_slot_leaves_no_course_behind(desk, doctor):
    common = dict(practitioner=doctor, treatment_type="migraine", kind="exam", start=at(2026, 3, 3))
    book(desk, patient=PatientFactory(), **common)
    late = PatientFactory()
    assert book(desk, patient=late, **common).status_code == 409
    assert not Course.objects.filter(patient=late).exists()


def test_a_refused_completion_writes_nothing(clinician, patient):
    AppointmentFactory(
        patient=patient, start_at=at(2026, 3, 2, 7), diagnosis="", status="completed"
    )
    visit = AppointmentFactory(
        patient=patient, kind=Kind.PRESCRIPTION, start_at=at(2026, 3, 2, 7, 30), minutes=15
    )
    act(clinician, visit.pk, "complete", units_per_session=155, sessions=4)
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED and visit.completed_at is None
    assert not AuditEntry.objects.filter(appointment=visit).exists()


# --- status actions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "start", "data"),
    [
        ("confirm", Status.CONFIRMED, at(2026, 3, 3), {}),
        ("confirm", Status.CANCELLED, at(2026, 3, 3), {}),
        ("check-in", Status.COMPLETED, at(2026, 3, 2, 9), {}),
        ("check-in", Status.BOOKED, at(2026, 3, 3), {}),  # not today
        ("complete", Status.CANCELLED, at(2026, 3, 2, 7), {"diagnosis": "x"}),
        ("complete", Status.BOOKED, at(2026, 3, 2, 9), {"diagnosis": "x"}),  # not started
        ("cancel", Status.COMPLETED, at(2026, 3, 2, 7), {"reason": "x"}),
        ("cancel", Status.NO_SHOW, at(2026, 3, 2, 7), {"reason": "x"}),
        ("no-show", Status.CHECKED_IN, at(2026, 3, 2, 7), {}),
        ("no-show", Status.BOOKED, at(2026, 3, 2, 9), {}),  # not started yet
        ("move", Status.CHECKED_IN, at(2026, 3, 2, 9), {"start": at(2026, 3, 3).isoformat()}),
        ("move", Status.COMPLETED, at(2026, 3, 2, 7), {"start": at(2026, 3, 3).isoformat()}),
    ],
)
def test_each_status_action_refuses_an_invalid_transition(clinician, action, status, start, data):
    appointment = AppointmentFactory(status=status, start_at=start)
    response = act(clinician, appointment.pk, action, **data)
    assert_rule(response, "invalid_transition")
    appointment.refresh_from_db()
    assert appointment.status == status


def test_the_whole_status_path_and_its_audit_trail(desk, clinician, doctor, patient):
    booked = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="exam",
        start=at(2026, 3, 2, 9),
    ).json()
    assert act(desk, booked["id"], "confirm").json()["status"] == "confirmed"
    assert act(desk, booked["id"], "check-in").json()["status"] == "checked_in"
    done = act(clinician, booked["id"], "complete", diagnosis="Chronic migraine").json()
    assert done["status"] == "completed" and done["diagnosis"] == "Chronic migraine"
    actions = list(
        AuditEntry.objects.filter(appointment_id=booked["id"]).values_list("action", flat=True)
    )
    assert actions == ["booked", "confirmed", "checked_in", "completed"]


def test_a_no_show_after_the_start_time_is_recorded(desk, doctor):
    appointment = AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 2, 7))
    assert act(desk, appointment.pk, "no-show").json()["status"] == "no_show"


def test_moving_resets_a_confirmation_and_checks_the_calendar(desk, doctor, patient):
    booked = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="exam",
        start=at(2026, 3, 3, 10),
    ).json()
    act(desk, booked["id"], "confirm")
    assert_rule(
        act(desk, booked["id"], "move", start=at(2026, 3, 3, 18).isoformat()),
        "outside_working_hours",
    )
    moved = act(desk, booked["id"], "move", start=at(2026, 3, 4, 10).isoformat()).json()
    assert moved["status"] == "booked" and moved["end"] == "2026-03-04T10:30:00-05:00"


# --- field errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("treatment_type", "liposuction"), ("kind", "surgery"), ("practitioner", 999999)],
)
def test_unknown_values_are_field_errors(desk, doctor, patient, field, value):
    data = dict(
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="exam",
        start=at(2026, 3, 3),
    )
    data[field] = value
    response = book(desk, **data)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_an_inactive_practitioner_cannot_be_booked(desk, patient):
    retired = PractitionerFactory(active=False)
    response = book(
        desk,
        patient=patient,
        practitioner=retired,
        treatment_type="migraine",
        kind="exam",
        start=at(2026, 3, 3),
    )
    assert list(response.json()) == ["practitioner"]


def test_an_invalid_phone_is_a_field_error(desk):
    response = desk.post(
        "/api/v1/patients/",
        {"first_name": "Ana", "last_name": "Silva", "phone": "12345"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["phone"]


def test_working_hours_are_clinic_wall_clock_on_the_first_day_of_summer_time(desk, doctor, patient):
    hours = doctor.working_hours.get(weekday=0)
    assert hours.start_time == time(9)
    common = dict(patient=patient, practitioner=doctor, treatment_type="migraine", kind="exam")
    assert_rule(book(desk, **common, start=at(2026, 3, 9, 8, 45)), "outside_working_hours")
    assert book(desk, **common, start=at(2026, 3, 9, 9)).json()["start"] == (
        "2026-03-09T09:00:00-04:00"
    )
