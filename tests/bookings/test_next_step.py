"""The kind a course books next, read from its pathway step (pure)."""

import pytest

from bookings.next_step import next_kind
from scheduler.models import Kind


@pytest.mark.parametrize(
    ("step", "therapeutic", "kind"),
    [
        ("needs_exam", True, Kind.EXAM),
        ("needs_exam", False, Kind.EXAM),
        ("exam_booked", True, Kind.PRESCRIPTION),
        ("exam_booked", False, Kind.INJECTION),
        ("needs_prescription", True, Kind.PRESCRIPTION),
        ("prescription_expired", True, Kind.PRESCRIPTION),
        ("no_sessions_left", True, Kind.PRESCRIPTION),
        ("waiting_interval", True, Kind.INJECTION),
        ("ready_for_injection", False, Kind.INJECTION),
    ],
)
def test_each_step_books_the_kind_the_pathway_needs_next(step, therapeutic, kind):
    assert next_kind(step_code=step, requires_prescription=therapeutic) == kind


@pytest.mark.parametrize("step", ["prescription_booked", "injection_booked", "something_new"])
def test_a_course_waiting_on_a_booked_visit_offers_no_button(step):
    assert next_kind(step_code=step, requires_prescription=True) is None


def test_a_cosmetic_course_with_an_injection_and_no_review_books_the_review_next():
    assert (
        next_kind(step_code="waiting_interval", requires_prescription=False, review_pending=True)
        == Kind.REVIEW
    )
    # Once the next injection is booked, nothing more until it is given.
    assert (
        next_kind(step_code="injection_booked", requires_prescription=False, review_pending=True)
        is None
    )
