"""The "Book the next …" buttons: the appointment a course needs next, one click away.

The kind is read from the course's pathway step (``pathway.next_step``), so a button
only offers what the booking page will accept; the page then opens the slot picker on
the first day the rules allow (``booking_options.get_picker_start``) with the patient's
usual practitioner first. The mapping is pure; the
last function reads one course's step for the calendar's side panel.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from bookings.models import Appointment, Course, Status
from bookings.selectors import get_course_overviews
from bookings.wording import kind_label
from scheduler.models import Kind, TreatmentType

# A step that waits on something already booked (the prescription visit, the injection)
# offers no button: the next booking needs that visit's outcome first.
_AFTER_EXAM = {True: Kind.PRESCRIPTION, False: Kind.INJECTION}
STEP_KINDS: dict[str, Kind] = {
    "needs_exam": Kind.EXAM,
    "needs_prescription": Kind.PRESCRIPTION,
    "prescription_expired": Kind.PRESCRIPTION,
    "no_sessions_left": Kind.PRESCRIPTION,
    "waiting_interval": Kind.INJECTION,
    "ready_for_injection": Kind.INJECTION,
}


@dataclass(frozen=True)
class NextBooking:
    kind: Kind
    label: str  # what the button says: "Book the injection"
    url: str


def is_review_pending(*, treatment: TreatmentType, appointments: Iterable[Appointment]) -> bool:
    """A cosmetic course whose last given injection has no live review after it.

    The touch-up review falls due ``review_after_days`` after the injection, long before
    the next injection is allowed, so it is the course's next booking.
    """
    if treatment.requires_prescription or not treatment.review_after_days:
        return False
    given = [
        a.start_at
        for a in appointments
        if a.kind == Kind.INJECTION and a.status == Status.COMPLETED
    ]
    if not given:
        return False
    last = max(given)
    return not any(a.kind == Kind.REVIEW and a.is_live and a.start_at > last for a in appointments)


def next_kind(
    *, step_code: str, requires_prescription: bool, review_pending: bool = False
) -> Kind | None:
    """The kind a course at ``step_code`` books next, or None while it waits on a visit."""
    if review_pending and step_code in ("waiting_interval", "ready_for_injection"):
        return Kind.REVIEW
    if step_code == "exam_booked":
        # A prescription may be booked once the exam is; a cosmetic injection needs the
        # consultation booked before it, which it is.
        return _AFTER_EXAM[requires_prescription]
    return STEP_KINDS.get(step_code)


def get_next_booking(
    *, patient_id: int, treatment: TreatmentType, step_code: str, review_pending: bool = False
) -> NextBooking | None:
    kind = next_kind(
        step_code=step_code,
        requires_prescription=treatment.requires_prescription,
        review_pending=review_pending,
    )
    if kind is None:
        return None
    query = urlencode({"patient": str(patient_id), "treatment": treatment.code, "kind": str(kind)})
    return NextBooking(
        kind,
        f"Book the {kind_label(kind, treatment).lower()}",
        f"{reverse('bookings:book')}?{query}",
    )


def get_course_next_booking(*, course: Course) -> NextBooking | None:
    """The button for one course (the calendar's side panel). Three queries."""
    steps, _ = get_course_overviews([course])
    treatment = course.treatment_type
    return get_next_booking(
        patient_id=course.patient_id,
        treatment=treatment,
        step_code=steps[course.pk][0],
        review_pending=is_review_pending(
            treatment=treatment, appointments=list(course.appointments.all())
        ),
    )
