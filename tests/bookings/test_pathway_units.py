"""Units the rules count: the prescription's units per session, recording, the floor on
planned units, and the consultation wording of cosmetic courses. Pure, no database."""

from datetime import date

import pytest

from bookings.errors import PathwayError
from bookings.pathway import (
    CourseHistory,
    PrescriptionState,
    check_pathway,
    check_planned_units,
    check_safety,
    planned_units_floor,
)
from tests.bookings.test_pathway import FROWN, LIMITS, MIGRAINE, NECK, visit
from tests.clock import at


def rx(units_per_session: int = 155) -> PrescriptionState:
    return PrescriptionState(date(2027, 1, 1), 4, 0, units_per_session)


def codes(units: int, history: CourseHistory, **kwargs: bool) -> list[str]:
    verdict = check_safety(at(2026, 3, 2), units, history, LIMITS, **kwargs)
    return [e.code for e in verdict.overridable]


def test_more_units_than_the_prescription_allows_per_session_is_refused():
    history = CourseHistory(MIGRAINE, prescription=rx(155))
    assert codes(155, history) == []
    assert codes(156, history) == ["units_over_prescription"]


def test_a_cosmetic_course_has_no_prescription_units_to_exceed():
    assert codes(60, CourseHistory(FROWN)) == []


def test_recording_checks_the_units_but_not_the_interval_already_checked_at_booking():
    given = visit("injection", at(2026, 2, 2), units=300)
    history = CourseHistory(MIGRAINE, [given], rx(155), patient_injections=[given])
    assert codes(155, history) == ["reinjection_too_soon", "dose_limit_exceeded"]
    assert codes(155, history, recording=True) == ["dose_limit_exceeded"]


def test_recording_counts_an_injection_of_another_type_the_same_evening():
    other = visit("injection", at(2026, 3, 2, 8), code="neck-pain", units=300)
    history = CourseHistory(NECK, patient_injections=[other])
    verdict = check_safety(at(2026, 3, 2, 18), 155, history, LIMITS, recording=True)
    assert [e.code for e in verdict.overridable] == ["dose_limit_exceeded"]
    assert "155 units given" in verdict.overridable[0].message


def test_the_floor_on_planned_units_is_the_prescription_or_the_typical_dose():
    assert planned_units_floor(CourseHistory(MIGRAINE, prescription=rx(195)), 155) == 195
    assert planned_units_floor(CourseHistory(FROWN), 20) == 20


def test_only_a_clinician_plans_fewer_units_than_the_floor():
    history = CourseHistory(FROWN)
    check_planned_units(20, history, 20, may_plan_fewer=False)
    check_planned_units(10, history, 20, may_plan_fewer=True)
    with pytest.raises(PathwayError) as caught:
        check_planned_units(10, history, 20, may_plan_fewer=False)
    assert caught.value.code == "planned_units_too_low"
    assert "at least 20 units" in caught.value.message


def test_a_cosmetic_course_is_worded_as_a_consultation():
    with pytest.raises(PathwayError) as caught:
        check_pathway("prescription", at(2026, 3, 2), CourseHistory(FROWN), LIMITS)
    assert "consultation" in caught.value.message
    assert "diagnosis" not in caught.value.message.lower()
    exam = visit("exam", at(2026, 3, 2, 11), status="booked", code="frown-lines")
    with pytest.raises(PathwayError) as caught:
        check_pathway("prescription", at(2026, 3, 2, 10), CourseHistory(FROWN, [exam]), LIMITS)
    assert "after the consultation ends" in caught.value.message
