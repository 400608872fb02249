"""The insurance authorization rule as a pure function (docs/rules.md#authorizations)."""

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from bookings.authorization_rule import AuthorizationState, Use, check_authorization, usage_of
from bookings.errors import RulesRefused
from bookings.pathway import (
    CourseHistory,
    Limits,
    Treatment,
    Verdict,
    Visit,
    apply_overrides,
    check_safety,
)
from tests.clock import at

MIGRAINE = Treatment("migraine", "Migraines and headaches", True, 84)
_ids = count(1)


def approval(
    valid_from: date = date(2027, 1, 1),
    valid_until: date = date(2027, 6, 30),
    units: int = 620,
    sessions: int = 4,
) -> AuthorizationState:
    return AuthorizationState(next(_ids), valid_from, valid_until, units, sessions)


def injection(start_at: datetime, *, units: int = 155, status: str = "booked") -> Visit:
    return Visit(
        next(_ids), "injection", status, start_at, start_at + timedelta(minutes=30), "migraine",
        "", units,
    )  # fmt: skip


def codes(
    start_at: datetime,
    *,
    authorizations: tuple[AuthorizationState, ...] = (),
    visits: tuple[Visit, ...] = (),
    units: int = 155,
    insured: bool = True,
    exclude_id: int | None = None,
) -> list[str]:
    history = CourseHistory(
        MIGRAINE, visits, None, visits, insured=insured, authorizations=authorizations
    )
    verdict = check_safety(start_at, units, history, Limits(), exclude_id=exclude_id)
    return [e.code for e in verdict.overridable if e.code.startswith("authorization")]


def test_an_insured_injection_needs_an_authorization():
    assert codes(at(2027, 2, 1)) == ["authorization_required"]


def test_a_self_pay_course_needs_no_authorization():
    assert codes(at(2027, 2, 1), insured=False) == []


def test_an_authorization_covering_the_date_allows_the_injection():
    assert codes(at(2027, 2, 1), authorizations=(approval(),)) == []


def test_an_authorization_starting_later_does_not_cover_an_earlier_date():
    later = approval(valid_from=date(2027, 3, 1))
    assert codes(at(2027, 2, 1), authorizations=(later,)) == ["authorization_required"]


def test_the_last_day_of_validity_counts_in_the_clinic_zone():
    ending = approval(valid_until=date(2027, 6, 30))
    # 23:30 in Toronto on the last day is already 1 July in UTC: still covered.
    late = at(2027, 6, 30, 23, 30)
    assert late.astimezone(UTC).date() == date(2027, 7, 1)
    assert codes(late, authorizations=(ending,)) == []
    assert codes(at(2027, 7, 1, 0, 0), authorizations=(ending,)) == ["authorization_expired"]


def test_the_first_day_of_validity_counts_in_the_clinic_zone():
    starting = approval(valid_from=date(2027, 1, 1))
    # 20:00 on 31 December in Toronto is 1 January in UTC: not yet covered.
    assert codes(at(2026, 12, 31, 20), authorizations=(starting,)) == ["authorization_required"]
    assert codes(at(2027, 1, 1, 0, 0), authorizations=(starting,)) == []


def test_an_expired_authorization_says_when_it_ended():
    history = CourseHistory(
        MIGRAINE, insured=True, authorizations=(approval(valid_until=date(2027, 6, 30)),)
    )
    (refusal,) = check_safety(at(2027, 7, 2), 155, history, Limits()).overridable
    assert refusal.code == "authorization_expired"
    assert "Wed 30 Jun 2027" in refusal.message


def test_exactly_the_approved_units_are_allowed_and_one_more_is_not():
    given = injection(at(2027, 1, 10), units=310, status="completed")
    auth = approval(units=620)
    assert codes(at(2027, 4, 10), authorizations=(auth,), visits=(given,), units=310) == []
    assert codes(at(2027, 4, 10), authorizations=(auth,), visits=(given,), units=311) == [
        "authorization_exhausted"
    ]


def test_the_last_approved_session_is_allowed_and_the_next_is_not():
    auth = approval(sessions=2, units=10_000)
    first = injection(at(2027, 1, 10), status="completed")
    assert codes(at(2027, 4, 10), authorizations=(auth,), visits=(first,)) == []
    second = injection(at(2027, 4, 10))
    assert codes(at(2027, 6, 20), authorizations=(auth,), visits=(first, second)) == [
        "authorization_exhausted"
    ]


def test_a_cancelled_booking_gives_its_session_back():
    auth = approval(sessions=1)
    booked = injection(at(2027, 2, 1))
    assert codes(at(2027, 5, 1), authorizations=(auth,), visits=(booked,)) == [
        "authorization_exhausted"
    ]
    cancelled = injection(at(2027, 2, 1), status="cancelled")
    assert codes(at(2027, 5, 1), authorizations=(auth,), visits=(cancelled,)) == []


def test_an_injection_being_moved_does_not_use_its_own_session():
    auth = approval(sessions=1)
    booked = injection(at(2027, 2, 1))
    assert (
        codes(at(2027, 2, 8), authorizations=(auth,), visits=(booked,), exclude_id=booked.id) == []
    )


def test_injections_outside_the_period_use_nothing_of_it():
    old = injection(at(2026, 10, 1), units=600, status="completed")
    auth = approval(sessions=1, units=155)
    assert usage_of(auth, [Use(old.on, old.units)]).sessions == 0
    assert codes(at(2027, 2, 1), authorizations=(auth,), visits=(old,)) == []


def test_recording_an_injection_does_not_ask_for_the_authorization_again():
    history = CourseHistory(MIGRAINE, insured=True)
    verdict = check_safety(at(2027, 2, 1), 155, history, Limits(), recording=True)
    assert verdict.overridable == []


def test_a_renewal_covers_the_dates_after_the_first_authorization():
    first = approval(valid_until=date(2027, 6, 30), sessions=1)
    renewal = approval(valid_from=date(2027, 7, 1), valid_until=date(2027, 12, 31))
    given = injection(at(2027, 2, 1), status="completed")
    assert codes(at(2027, 7, 5), authorizations=(first, renewal), visits=(given,)) == []


def test_the_pure_function_answers_none_when_covered():
    assert (
        check_authorization(
            on=date(2027, 2, 1), planned_units=100, authorizations=[approval()], uses=[]
        )
        is None
    )


def test_a_clinician_overrides_the_authorization_by_name_with_a_reason():
    refusal = check_authorization(
        on=date(2027, 2, 1), planned_units=100, authorizations=[], uses=[]
    )
    assert refusal is not None
    verdict = Verdict([refusal])
    overridden = apply_overrides(
        verdict,
        override_reason="The patient pays this one",
        override_rules=["authorization_required"],
        may_override=True,
    )
    assert overridden == ["authorization_required"]


def test_the_front_desk_cannot_override_the_authorization():
    refusal = check_authorization(
        on=date(2027, 2, 1), planned_units=100, authorizations=[], uses=[]
    )
    assert refusal is not None
    with pytest.raises(RulesRefused) as caught:
        apply_overrides(
            Verdict([refusal]),
            override_reason="pays",
            override_rules=["authorization_required"],
            may_override=False,
        )
    assert caught.value.code == "override_not_allowed"
