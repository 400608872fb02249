"""The safety rules over the API: overrides name their rules, planned units have a floor,
recording an injection is checked like booking it, and a record can be amended."""

import pytest

from bookings.models import Appointment, AuditEntry, Status
from scheduler.models import Kind
from tests.bookings.support import act, book, client_for
from tests.clock import at
from tests.factories import (
    AppointmentFactory,
    LotFactory,
    PatientFactory,
    PrescriptionFactory,
)
from tests.histories import (
    cosmetic_patient_injected,
    given_injection,
    written_prescription,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def both_rules_broken():
    """Frown lines injected four weeks ago with 350 U: too soon, and 60 U more is too much."""
    return cosmetic_patient_injected(at(2026, 2, 2, 9, 30), units=350)


def too_soon_and_too_much(client, doctor, patient, **extra):
    return book(
        client,
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="injection",
        start=at(2026, 3, 3),
        planned_units=60,
        **extra,
    )


# --- overrides name their rules (item 3) ------------------------------------------------


def test_a_refusal_lists_every_broken_rule_in_plain_words(clinician, doctor):
    response = too_soon_and_too_much(clinician, doctor, both_rules_broken())
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "reinjection_too_soon"
    assert [r["code"] for r in body["rules"]] == ["reinjection_too_soon", "dose_limit_exceeded"]
    assert all(r["detail"].strip() for r in body["rules"])
    assert "400-unit limit" in body["rules"][1]["detail"]


def test_a_rule_not_named_in_the_override_is_still_refused(clinician, doctor):
    response = too_soon_and_too_much(
        clinician,
        doctor,
        both_rules_broken(),
        override_reason="Asymmetry to correct",
        override_rules=["reinjection_too_soon"],
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "dose_limit_exceeded"
    assert "400-unit limit" in body["detail"]
    assert not Appointment.objects.filter(practitioner=doctor).exists()


def test_a_reason_alone_overrides_nothing(clinician, doctor):
    response = too_soon_and_too_much(
        clinician, doctor, both_rules_broken(), override_reason="Asymmetry to correct"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "reinjection_too_soon"
    assert not Appointment.objects.filter(practitioner=doctor).exists()


def test_a_clinician_overrides_exactly_the_rules_named(clinician, doctor):
    response = too_soon_and_too_much(
        clinician,
        doctor,
        both_rules_broken(),
        override_reason="Asymmetry to correct",
        override_rules=["dose_limit_exceeded", "reinjection_too_soon"],
    )
    assert response.status_code == 201, response.json()
    assert response.json()["overridden_rules"] == ["reinjection_too_soon", "dose_limit_exceeded"]
    audit = AuditEntry.objects.get(action="override")
    assert audit.detail["rules"] == ["reinjection_too_soon", "dose_limit_exceeded"]


def test_override_rules_must_be_rules_a_clinician_may_override(clinician, doctor):
    response = too_soon_and_too_much(
        clinician,
        doctor,
        both_rules_broken(),
        override_reason="x",
        override_rules=["in_the_past"],
    )
    assert response.status_code == 400
    assert list(response.json()) == ["override_rules"]


def test_a_front_desk_override_is_refused_and_lists_the_rules(desk, doctor):
    response = too_soon_and_too_much(
        desk,
        doctor,
        both_rules_broken(),
        override_reason="The patient insists",
        override_rules=["reinjection_too_soon", "dose_limit_exceeded"],
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "override_not_allowed"
    assert [r["code"] for r in body["rules"]] == ["reinjection_too_soon", "dose_limit_exceeded"]


def test_moving_into_a_broken_rule_needs_the_rule_named(clinician, doctor):
    patient = cosmetic_patient_injected(at(2026, 1, 5, 9, 30))
    booked = book(
        clinician,
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="injection",
        start=at(2026, 4, 6),
    ).json()
    earlier = at(2026, 3, 3).isoformat()
    refused = act(clinician, booked["id"], "move", start=earlier, override_reason="Sooner")
    assert refused.status_code == 400
    assert refused.json()["code"] == "reinjection_too_soon"
    moved = act(
        clinician,
        booked["id"],
        "move",
        start=earlier,
        override_reason="Sooner",
        override_rules=["reinjection_too_soon"],
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["overridden_rules"] == ["reinjection_too_soon"]


# --- planned units (item 2) -------------------------------------------------------------


def test_front_desk_cannot_plan_fewer_units_than_the_prescription(desk, doctor):
    patient = PatientFactory()
    written_prescription(patient, units_per_session=155)
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3),
        planned_units=100,
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "planned_units_too_low"
    assert "155" in body["detail"]
    assert not Appointment.objects.filter(kind=Kind.INJECTION, practitioner=doctor).exists()


def test_front_desk_cannot_plan_fewer_than_the_typical_cosmetic_units(desk, doctor):
    # The case: refused at the typical 20 U, it went through at 10 U.
    patient = cosmetic_patient_injected(at(2025, 11, 3, 9, 30))
    given_injection(patient, "neck-pain", at(2026, 2, 2, 10), 385)
    common = dict(
        patient=patient,
        practitioner=doctor,
        treatment_type="frown-lines",
        kind="injection",
        start=at(2026, 3, 3),
    )
    assert book(desk, **common).json()["code"] == "dose_limit_exceeded"
    response = book(desk, **common, planned_units=10)
    assert response.status_code == 400
    assert response.json()["code"] == "planned_units_too_low"
    assert "20" in response.json()["detail"]


def test_a_clinician_may_plan_fewer_units(clinician, doctor):
    patient = PatientFactory()
    written_prescription(patient, units_per_session=155)
    response = book(
        clinician,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3),
        planned_units=100,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["planned_units"] == 100


def test_units_left_empty_are_the_prescriptions_units_per_session(desk, doctor):
    patient = PatientFactory()
    written_prescription(patient, units_per_session=195)
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["planned_units"] == 195


# --- recording an injection (item 1) ----------------------------------------------------


def injection_today(patient, code: str = "migraine", hour: int = 7, planned: int = 155):
    """An injection that started this morning, ready to be recorded."""
    return AppointmentFactory(
        patient=patient,
        treatment_code=code,
        kind=Kind.INJECTION,
        start_at=at(2026, 3, 2, hour),
        planned_units=planned,
    )


def record(client, appointment, units: int, **extra):
    lot = extra.pop("lot", None) or LotFactory(lot_number="C3709").pk
    return act(client, appointment.pk, "complete", units=units, lot=lot, **extra)


def test_recording_units_over_the_prescription_is_refused(clinician):
    patient = PatientFactory()
    written_prescription(patient, units_per_session=155)
    injection = injection_today(patient)
    response = record(clinician, injection, 300)
    assert response.status_code == 400
    assert response.json()["code"] == "units_over_prescription"
    assert "155" in response.json()["detail"]
    injection.refresh_from_db()
    assert injection.status == Status.BOOKED and injection.units_given is None
    assert not AuditEntry.objects.filter(appointment=injection).exists()


def test_a_second_injection_the_same_evening_counts_the_first(clinician):
    # The case: 600 U then another 600 U, both recorded.
    patient = PatientFactory()
    written_prescription(patient, units_per_session=155)
    given_injection(patient, "neck-pain", at(2026, 3, 2, 6), 300)
    injection = injection_today(patient)
    response = record(clinician, injection, 155)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "dose_limit_exceeded"
    assert [r["code"] for r in body["rules"]] == ["dose_limit_exceeded"]


def test_recording_over_a_limit_needs_a_clinicians_reason_kept_in_the_audit(clinician):
    patient = PatientFactory()
    written_prescription(patient, units_per_session=155)
    given_injection(patient, "neck-pain", at(2026, 3, 2, 6), 300)
    injection = injection_today(patient)
    refused = record(clinician, injection, 200, override_reason="Severe relapse")
    assert refused.status_code == 400
    assert [r["code"] for r in refused.json()["rules"]] == [
        "units_over_prescription",
        "dose_limit_exceeded",
    ]
    response = record(
        clinician,
        injection,
        200,
        override_reason="Severe relapse",
        override_rules=["units_over_prescription", "dose_limit_exceeded"],
    )
    assert response.status_code == 200, response.json()
    assert response.json()["units_given"] == 200
    audit = AuditEntry.objects.get(appointment=injection, action="override")
    assert audit.detail == {
        "rules": ["units_over_prescription", "dose_limit_exceeded"],
        "reason": "Severe relapse",
        "when": "recorded",
    }
    assert audit.by == clinician.user


def test_recording_within_the_limits_needs_no_override(clinician):
    patient = PatientFactory()
    written_prescription(patient, units_per_session=155)
    response = record(clinician, injection_today(patient), 155)
    assert response.status_code == 200, response.json()
    assert not AuditEntry.objects.filter(action="override").exists()


# --- amending a record (item 1) ---------------------------------------------------------


def recorded_injection(clinician, units: int = 150):
    patient = PatientFactory()
    written_prescription(patient, units_per_session=155)
    injection = injection_today(patient)
    assert record(clinician, injection, units).status_code == 200
    return injection


def test_a_clinician_amends_an_injection_and_the_earlier_values_stay_in_the_audit(clinician):
    injection = recorded_injection(clinician)
    first = Appointment.objects.get(pk=injection.pk).product_lot_id
    other = LotFactory(lot_number="C3710")
    response = act(
        clinician, injection.pk, "amend", units=140, lot=other.pk, reason="Typo in the lot"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["units_given"], body["lot"], body["product"]) == (140, "C3710", "Botox")
    amended = AuditEntry.objects.get(appointment=injection, action="amended")
    assert amended.detail["before"] == {"units": 150, "lot": "C3709", "lot_id": first}
    assert amended.detail["after"] == {"units": 140, "lot": "C3710", "lot_id": other.pk}
    assert amended.detail["reason"] == "Typo in the lot"
    assert amended.by == clinician.user


def test_amending_needs_a_reason(clinician):
    injection = recorded_injection(clinician)
    response = act(clinician, injection.pk, "amend", units=140)
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    injection.refresh_from_db()
    assert injection.units_given == 150


def test_amended_units_go_through_the_safety_check(clinician):
    injection = recorded_injection(clinician)
    response = act(clinician, injection.pk, "amend", units=300, reason="Wrong units")
    assert response.status_code == 400
    assert response.json()["code"] == "units_over_prescription"
    injection.refresh_from_db()
    assert injection.units_given == 150
    confirmed = act(
        clinician,
        injection.pk,
        "amend",
        units=300,
        reason="Wrong units",
        override_reason="Both sides needed",
        override_rules=["units_over_prescription"],
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert AuditEntry.objects.filter(appointment=injection, action="override").exists()


def test_only_a_clinician_amends(desk, clinician):
    injection = recorded_injection(clinician)
    manager = client_for("manager", username="manager")
    for client in (desk, manager):
        response = act(client, injection.pk, "amend", units=140, reason="x")
        assert response.status_code == 403
    injection.refresh_from_db()
    assert injection.units_given == 150


def test_only_a_completed_appointment_can_be_amended(clinician):
    injection = injection_today(PatientFactory())
    response = act(clinician, injection.pk, "amend", units=140, reason="x")
    assert response.status_code == 400
    assert response.json()["code"] == "not_completed"


def test_an_exam_diagnosis_can_be_amended(clinician):
    exam = AppointmentFactory(start_at=at(2026, 3, 2, 7))
    assert act(clinician, exam.pk, "complete", diagnosis="Migraine").status_code == 200
    response = act(clinician, exam.pk, "amend", diagnosis="Chronic migraine", reason="Detail")
    assert response.status_code == 200, response.json()
    assert response.json()["diagnosis"] == "Chronic migraine"
    amended = AuditEntry.objects.get(appointment=exam, action="amended")
    assert amended.detail["before"] == {"diagnosis": "Migraine"}


def test_a_prescription_can_be_amended_and_keeps_its_earlier_values(clinician):
    rx = written_prescription(PatientFactory(), units_per_session=155, sessions=4)
    response = act(
        clinician, rx.appointment.pk, "amend", sessions=3, valid_until="2026-12-31", reason="Typo"
    )
    assert response.status_code == 200, response.json()
    rx.refresh_from_db()
    assert (rx.sessions, str(rx.valid_until)) == (3, "2026-12-31")
    amended = AuditEntry.objects.get(appointment=rx.appointment, action="amended")
    assert amended.detail["before"] == {"sessions": 4, "valid_until": "2027-02-02"}


def test_an_amendment_that_changes_nothing_is_refused(clinician):
    injection = recorded_injection(clinician)
    response = act(clinician, injection.pk, "amend", units=150, reason="Checking")
    assert response.status_code == 400
    assert response.json()["code"] == "nothing_to_amend"
    assert not AuditEntry.objects.filter(appointment=injection, action="amended").exists()


def test_a_prescription_cannot_be_amended_below_the_sessions_already_booked(
    desk, clinician, doctor
):
    patient = PatientFactory()
    rx = written_prescription(patient, sessions=4)
    for month in (3, 6):
        booked = book(
            desk,
            patient=patient,
            practitioner=doctor,
            treatment_type="migraine",
            kind="injection",
            start=at(2026, month, 3 if month == 3 else 2),
        )
        assert booked.status_code == 201, booked.json()
    response = act(clinician, rx.appointment.pk, "amend", sessions=1, reason="Fewer")
    assert response.status_code == 400
    # A field error, said by the field it is about.
    (words,) = response.json()["sessions"]
    assert "2 sessions" in words
    rx.refresh_from_db()
    assert rx.sessions == 4


def test_recorded_units_answer_to_the_prescription_the_injection_was_booked_under(clinician):
    patient = PatientFactory()
    first = written_prescription(patient, units_per_session=200)
    injection = injection_today(patient)
    Appointment.objects.filter(pk=injection.pk).update(prescription=first)
    newer = PrescriptionFactory(
        appointment__patient=patient,
        appointment__start_at=at(2026, 2, 20, 9),
        units_per_session=100,
    )
    assert newer.written_on > first.written_on
    assert record(clinician, injection, 200).status_code == 200
