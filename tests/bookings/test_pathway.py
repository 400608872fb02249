"""The care-pathway rules as pure functions: no database, no clock (docs/rules.md#pathway)."""

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from bookings.errors import PathwayError, RulesRefused
from bookings.pathway import (
    CourseHistory,
    Limits,
    PrescriptionState,
    Treatment,
    Verdict,
    Visit,
    apply_overrides,
    check_pathway,
    check_safety,
    next_step,
)
from tests.clock import at

MIGRAINE = Treatment("migraine", "Migraines and headaches", True, 84)
NECK = Treatment("neck-pain", "Neck pain", True, 84)
HYPERHIDROSIS = Treatment("hyperhidrosis", "Excessive sweating (hyperhidrosis)", True, 112)
FROWN = Treatment("frown-lines", "Frown lines", False, 90)
LIMITS = Limits()
_ids = count(1)


def visit(
    kind: str,
    start_at: datetime,
    *,
    status: str = "completed",
    minutes: int = 30,
    code: str = "migraine",
    diagnosis: str = "",
    units: int = 0,
) -> Visit:
    return Visit(
        next(_ids),
        kind,
        status,
        start_at,
        start_at + timedelta(minutes=minutes),
        code,
        diagnosis,
        units,
    )


def rx(valid_until: date = date(2027, 1, 1), sessions: int = 4, used: int = 0):
    return PrescriptionState(valid_until, sessions, used)


def refused(kind: str, start_at: datetime, history: CourseHistory) -> str:
    with pytest.raises(PathwayError) as caught:
        check_pathway(kind, start_at, history, LIMITS)
    return caught.value.code


def safety_codes(start_at: datetime, units: int, history: CourseHistory) -> list[str]:
    return [e.code for e in check_safety(start_at, units, history, LIMITS).overridable]


# --- exam before prescription ------------------------------------------------------


def test_a_prescription_needs_an_exam_on_the_course():
    assert refused("prescription", at(2026, 3, 2), CourseHistory(MIGRAINE)) == "exam_required"


def test_a_cancelled_exam_does_not_count_for_a_prescription():
    exam = visit("exam", at(2026, 3, 2, 9), status="cancelled")
    history = CourseHistory(MIGRAINE, [exam])
    assert refused("prescription", at(2026, 3, 2, 10), history) == "exam_required"


def test_a_prescription_cannot_start_before_the_exam_ends():
    exam = visit("exam", at(2026, 3, 2, 9), status="booked")
    history = CourseHistory(MIGRAINE, [exam])
    assert refused("prescription", at(2026, 3, 2, 9, 15), history) == "exam_required"


def test_a_prescription_may_follow_a_booked_exam_back_to_back():
    exam = visit("exam", at(2026, 3, 2, 9), status="booked")
    check_pathway("prescription", at(2026, 3, 2, 9, 30), CourseHistory(MIGRAINE, [exam]), LIMITS)


# --- therapeutic injection needs a valid prescription --------------------------------


def test_a_therapeutic_injection_needs_a_written_prescription():
    exam = visit("exam", at(2026, 3, 2, 9), diagnosis="Chronic migraine")
    booked_rx = visit("prescription", at(2026, 3, 2, 9, 30), status="booked", minutes=15)
    history = CourseHistory(MIGRAINE, [exam, booked_rx], prescription=None)
    assert refused("injection", at(2026, 3, 9), history) == "prescription_required"


def test_an_injection_after_the_prescription_expired_is_refused():
    history = CourseHistory(MIGRAINE, prescription=rx(valid_until=date(2026, 3, 8)))
    assert refused("injection", at(2026, 3, 9), history) == "prescription_expired"


def test_a_prescription_is_valid_through_its_last_day_in_clinic_time():
    # 23:30 in Toronto on the last valid day is already the next day in UTC.
    history = CourseHistory(MIGRAINE, prescription=rx(valid_until=date(2026, 3, 9)))
    check_pathway("injection", at(2026, 3, 9, 23, 30), history, LIMITS)


def test_an_injection_needs_a_session_left_on_the_prescription():
    history = CourseHistory(MIGRAINE, prescription=rx(sessions=4, used=4))
    assert refused("injection", at(2026, 3, 9), history) == "no_sessions_left"


def test_an_injection_with_a_valid_prescription_and_sessions_left_is_allowed():
    check_pathway("injection", at(2026, 3, 9), CourseHistory(MIGRAINE, prescription=rx()), LIMITS)


# --- cosmetic injection needs a consultation -----------------------------------------


def test_a_cosmetic_injection_needs_an_exam():
    assert refused("injection", at(2026, 3, 9), CourseHistory(FROWN)) == "exam_required"


def test_a_cosmetic_injection_accepts_an_exam_completed_within_twelve_months():
    exam = visit("exam", at(2025, 3, 10), code="frown-lines")
    check_pathway("injection", at(2026, 3, 9), CourseHistory(FROWN, [exam]), LIMITS)


def test_a_cosmetic_injection_refuses_an_exam_older_than_twelve_months():
    exam = visit("exam", at(2025, 3, 8), code="frown-lines")
    assert refused("injection", at(2026, 3, 9), CourseHistory(FROWN, [exam])) == "exam_required"


def test_a_cosmetic_injection_accepts_an_exam_booked_to_end_before_it_the_same_day():
    exam = visit("exam", at(2026, 3, 9, 9), status="booked", code="frown-lines")
    check_pathway("injection", at(2026, 3, 9, 9, 30), CourseHistory(FROWN, [exam]), LIMITS)


def test_a_cosmetic_injection_refuses_an_exam_booked_later_that_day():
    exam = visit("exam", at(2026, 3, 9, 11), status="booked", code="frown-lines")
    assert refused("injection", at(2026, 3, 9, 10), CourseHistory(FROWN, [exam])) == (
        "exam_required"
    )


def test_a_cosmetic_injection_refuses_an_uncompleted_exam_on_another_day():
    exam = visit("exam", at(2026, 3, 6), status="booked", code="frown-lines")
    assert refused("injection", at(2026, 3, 9), CourseHistory(FROWN, [exam])) == "exam_required"


def test_a_cosmetic_injection_refuses_an_exam_the_patient_missed():
    exam = visit("exam", at(2026, 3, 9, 9), status="no_show", code="frown-lines")
    assert refused("injection", at(2026, 3, 9, 10), CourseHistory(FROWN, [exam])) == (
        "exam_required"
    )


# --- review ---------------------------------------------------------------------------


def test_a_review_needs_an_injection_of_the_course():
    exam = visit("exam", at(2026, 3, 2), code="frown-lines")
    assert refused("review", at(2026, 3, 16), CourseHistory(FROWN, [exam])) == (
        "injection_required"
    )


def test_a_review_may_follow_a_booked_injection():
    injection = visit("injection", at(2026, 3, 2), status="booked", code="frown-lines")
    check_pathway("review", at(2026, 3, 16), CourseHistory(FROWN, [injection]), LIMITS)


# --- re-injection interval ------------------------------------------------------------


@pytest.mark.parametrize(
    ("treatment", "days_after", "allowed"),
    [
        (FROWN, 80, False),
        (FROWN, 89, False),
        (FROWN, 90, True),
        (HYPERHIDROSIS, 15 * 7, False),
        (HYPERHIDROSIS, 16 * 7 - 1, False),
        (HYPERHIDROSIS, 16 * 7, True),
        (MIGRAINE, 83, False),
        (MIGRAINE, 84, True),
    ],
    ids=lambda v: getattr(v, "code", str(v)),
)
def test_reinjection_respects_each_types_minimum_days(treatment, days_after, allowed):
    last = at(2026, 1, 6)
    given = visit("injection", last, code=treatment.code, units=20)
    history = CourseHistory(treatment, [given], rx(), patient_injections=[given])
    codes = safety_codes(at(2026, 1, 6) + timedelta(days=days_after), 20, history)
    assert ("reinjection_too_soon" not in codes) is allowed


def test_reinjection_interval_counts_clinic_days_across_a_dst_change():
    # 6 Jan (EST) to 31 Mar (EDT) is 84 calendar days but 83 days 23 hours of elapsed time.
    given = visit("injection", at(2026, 1, 6), units=155)
    history = CourseHistory(MIGRAINE, [given], rx(), patient_injections=[given])
    elapsed = at(2026, 3, 31).astimezone(UTC) - at(2026, 1, 6).astimezone(UTC)
    assert elapsed == timedelta(days=83, hours=23)
    assert safety_codes(at(2026, 3, 31), 155, history) == []
    assert safety_codes(at(2026, 3, 30), 155, history) == ["reinjection_too_soon"]


def test_reinjection_interval_ignores_other_types_and_cancelled_injections():
    neck = visit("injection", at(2026, 3, 2), code="neck-pain", units=50)
    cancelled = visit("injection", at(2026, 3, 2), status="cancelled", units=155)
    history = CourseHistory(MIGRAINE, prescription=rx(), patient_injections=[neck, cancelled])
    assert safety_codes(at(2026, 3, 9), 100, history) == []


def test_a_booked_injection_blocks_another_too_close_before_it():
    booked = visit("injection", at(2026, 4, 1), status="booked", units=155)
    history = CourseHistory(MIGRAINE, [booked], rx(), patient_injections=[booked])
    assert safety_codes(at(2026, 3, 2), 155, history) == ["reinjection_too_soon"]


def test_a_moved_injection_does_not_clash_with_itself():
    booked = visit("injection", at(2026, 4, 1), status="booked", units=155)
    history = CourseHistory(MIGRAINE, [booked], rx(), patient_injections=[booked])
    verdict = check_safety(at(2026, 4, 2), 155, history, LIMITS, exclude_id=booked.id)
    assert verdict.overridable == []


# --- cumulative dose ------------------------------------------------------------------


def test_dose_over_400_units_within_84_days_is_refused():
    given = visit("injection", at(2026, 1, 6), code="neck-pain", units=350)
    history = CourseHistory(MIGRAINE, prescription=rx(), patient_injections=[given])
    assert safety_codes(at(2026, 1, 6) + timedelta(days=83), 60, history) == ["dose_limit_exceeded"]


def test_dose_given_84_days_before_no_longer_counts():
    given = visit("injection", at(2026, 1, 6), code="neck-pain", units=350)
    history = CourseHistory(MIGRAINE, prescription=rx(), patient_injections=[given])
    assert safety_codes(at(2026, 1, 6) + timedelta(days=84), 60, history) == []


def test_dose_of_exactly_400_units_is_allowed():
    given = visit("injection", at(2026, 3, 2), code="neck-pain", units=300)
    history = CourseHistory(MIGRAINE, prescription=rx(), patient_injections=[given])
    assert safety_codes(at(2026, 3, 2, 11), 100, history) == []


def test_dose_counts_every_type_on_the_same_day():
    neck = visit("injection", at(2026, 3, 2, 9), code="neck-pain", units=200)
    frown = visit("injection", at(2026, 3, 2, 9, 30), code="frown-lines", units=150)
    history = CourseHistory(MIGRAINE, prescription=rx(), patient_injections=[neck, frown])
    assert safety_codes(at(2026, 3, 2, 11), 60, history) == ["dose_limit_exceeded"]


def test_dose_counts_planned_units_of_booked_injections():
    booked = visit("injection", at(2026, 3, 2, 9), status="booked", code="neck-pain", units=350)
    history = CourseHistory(MIGRAINE, prescription=rx(), patient_injections=[booked])
    assert safety_codes(at(2026, 3, 9), 60, history) == ["dose_limit_exceeded"]


def test_dose_refuses_a_booking_that_would_push_a_later_injection_over_the_limit():
    later = visit("injection", at(2026, 3, 30), status="booked", code="neck-pain", units=350)
    history = CourseHistory(MIGRAINE, prescription=rx(), patient_injections=[later])
    assert safety_codes(at(2026, 3, 9), 60, history) == ["dose_limit_exceeded"]
    # Far enough before the later one, the two never share an 84-day window.
    assert safety_codes(at(2025, 12, 1), 60, history) == []


def test_both_safety_rules_can_fail_at_once():
    given = visit("injection", at(2026, 3, 2), units=350)
    history = CourseHistory(MIGRAINE, [given], rx(), patient_injections=[given])
    assert safety_codes(at(2026, 3, 9), 60, history) == [
        "reinjection_too_soon",
        "dose_limit_exceeded",
    ]


# --- overrides ------------------------------------------------------------------------


def both_rules() -> Verdict:
    return Verdict(
        [
            PathwayError("reinjection_too_soon", "too soon"),
            PathwayError("dose_limit_exceeded", "too much"),
        ]
    )


def test_a_clinician_with_a_reason_overrides_both_safety_rules_when_naming_both():
    codes = apply_overrides(
        both_rules(),
        override_reason=" Severe relapse ",
        override_rules=["dose_limit_exceeded", "reinjection_too_soon"],
        may_override=True,
    )
    assert codes == ["reinjection_too_soon", "dose_limit_exceeded"]


def test_a_rule_not_named_is_still_refused_and_every_failing_rule_is_listed():
    with pytest.raises(RulesRefused) as caught:
        apply_overrides(
            both_rules(),
            override_reason="Severe relapse",
            override_rules=["reinjection_too_soon"],
            may_override=True,
        )
    assert caught.value.code == "dose_limit_exceeded"
    assert [r.code for r in caught.value.rules] == ["reinjection_too_soon", "dose_limit_exceeded"]


def test_a_reason_without_rules_overrides_nothing():
    with pytest.raises(RulesRefused) as caught:
        apply_overrides(both_rules(), override_reason="Severe relapse", may_override=True)
    assert caught.value.code == "reinjection_too_soon"


def test_front_desk_cannot_override_a_safety_rule():
    with pytest.raises(PathwayError) as caught:
        apply_overrides(both_rules(), override_reason="Patient insists", may_override=False)
    assert caught.value.code == "override_not_allowed"
    assert caught.value.status == 400


def test_an_override_without_a_reason_raises_the_rule_itself():
    with pytest.raises(PathwayError) as caught:
        apply_overrides(both_rules(), override_reason="   ", may_override=True)
    assert caught.value.code == "reinjection_too_soon"


def test_a_reason_with_nothing_to_override_overrides_nothing():
    assert apply_overrides(Verdict(), override_reason="just in case", may_override=True) == []
    assert apply_overrides(Verdict(), override_reason="just in case", may_override=False) == []


# --- next step ------------------------------------------------------------------------

TODAY = date(2026, 3, 2)


def step(history: CourseHistory, today: date = TODAY) -> str:
    return next_step(history, today)[0]


def test_next_step_walks_the_therapeutic_pathway():
    assert step(CourseHistory(MIGRAINE)) == "needs_exam"
    exam = visit("exam", at(2026, 3, 2, 9), status="booked")
    assert step(CourseHistory(MIGRAINE, [exam])) == "exam_booked"
    done = visit("exam", at(2026, 3, 2, 9), diagnosis="Chronic migraine")
    assert step(CourseHistory(MIGRAINE, [done])) == "needs_prescription"
    booked_rx = visit("prescription", at(2026, 3, 2, 9, 30), status="booked")
    assert step(CourseHistory(MIGRAINE, [done, booked_rx])) == "prescription_booked"
    written = visit("prescription", at(2026, 3, 2, 9, 30))
    assert step(CourseHistory(MIGRAINE, [done, written], rx())) == "ready_for_injection"
    injection = visit("injection", at(2026, 3, 9), status="booked")
    assert step(CourseHistory(MIGRAINE, [done, written, injection], rx())) == "injection_booked"
    given = visit("injection", at(2026, 3, 9))
    history = CourseHistory(MIGRAINE, [done, written, given], rx(used=1))
    assert next_step(history, date(2026, 3, 10)) == (
        "waiting_interval",
        "Next injection allowed from Mon 1 Jun 2026",
    )
    assert step(history, date(2026, 6, 1)) == "ready_for_injection"


def test_next_step_tells_an_expired_or_used_up_prescription():
    done = visit("exam", at(2025, 3, 2), diagnosis="Chronic migraine")
    expired = CourseHistory(MIGRAINE, [done], rx(valid_until=date(2026, 3, 1)))
    assert next_step(expired, TODAY) == (
        "prescription_expired",
        "Prescription expired Sun 1 Mar 2026",
    )
    assert step(CourseHistory(MIGRAINE, [done], rx(sessions=2, used=2))) == "no_sessions_left"


def test_next_step_walks_the_cosmetic_pathway_in_plain_words():
    assert next_step(CourseHistory(FROWN), TODAY) == ("needs_exam", "Needs a consultation")
    exam = visit("exam", at(2026, 3, 2, 9), status="booked", code="frown-lines")
    assert next_step(CourseHistory(FROWN, [exam]), TODAY) == ("exam_booked", "Consultation booked")
    done = visit("exam", at(2026, 3, 2, 9), code="frown-lines")
    assert step(CourseHistory(FROWN, [done])) == "ready_for_injection"
