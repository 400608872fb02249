"""Recalls follow the appointments: created by a completed injection, closed by a booking."""

from datetime import date, timedelta

import pytest

from bookings import services
from bookings.errors import FieldRefused, PathwayError
from bookings.events import Event
from bookings.models import Status
from reminders.models import Message, MessageStatus, Recall, RecallKind, RecallStatus
from reminders.recalls import dismiss_recall, handle_booking_event
from reminders.sweeps import sweep_recalls
from scheduler import clock
from tests.clock import frozen_at, on
from tests.factories import (
    LotFactory,
    MessageFactory,
    PatientFactory,
    PractitionerFactory,
    UserFactory,
    treatment,
)

from .conftest import make_injection, make_recall

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician():
    return UserFactory(groups=["clinician"])


@pytest.fixture
def front_desk():
    return UserFactory(groups=["front_desk"])


def give_cosmetic_injection(patient, practitioner, clinician, day: date):
    """Consultation at 09:00 and injection at 09:30 on ``day``, both completed."""
    lines = treatment("forehead-lines")
    with frozen_at(on(day, 8)) as traveller:
        exam = services.book_appointment(
            patient=patient, practitioner=practitioner, treatment=lines, kind="exam",
            start_at=on(day, 9), by=clinician,
        )  # fmt: skip
        injection = services.book_appointment(
            patient=patient, practitioner=practitioner, treatment=lines, kind="injection",
            start_at=on(day, 9, 30), by=clinician, planned_units=20,
        )  # fmt: skip
        traveller.move_to(on(day, 10, 5))
        services.complete_appointment(appointment=exam, by=clinician, outcome={})
        return services.complete_appointment(
            appointment=injection,
            by=clinician,
            outcome={"units": 20, "lot": LotFactory(lot_number="C1234").pk},
        )


def test_completing_a_cosmetic_injection_creates_a_recall_and_a_review(clinician):
    patient, practitioner = PatientFactory(), PractitionerFactory()
    injection = give_cosmetic_injection(patient, practitioner, clinician, date(2025, 1, 6))
    recalls = {r.kind: r for r in Recall.objects.filter(source_appointment=injection)}
    assert recalls[RecallKind.REINJECTION].due_on == date(2025, 4, 6)  # + 90 days
    assert recalls[RecallKind.REVIEW].due_on == date(2025, 1, 20)  # + 14 days
    assert recalls[RecallKind.REINJECTION].last_injection_on == date(2025, 1, 6)
    assert {r.status for r in recalls.values()} == {RecallStatus.PENDING}


def test_booking_the_review_and_the_next_injection_books_their_recalls(clinician, front_desk):
    patient, practitioner = PatientFactory(), PractitionerFactory()
    give_cosmetic_injection(patient, practitioner, clinician, date(2025, 1, 6))
    lines = treatment("forehead-lines")
    with frozen_at(on(date(2025, 1, 15), 12)):
        review = services.book_appointment(
            patient=patient, practitioner=practitioner, treatment=lines, kind="review",
            start_at=on(date(2025, 1, 20), 10), by=front_desk,
        )  # fmt: skip
    follow_up = Recall.objects.get(kind=RecallKind.REVIEW)
    assert follow_up.status == RecallStatus.BOOKED
    assert follow_up.booked_appointment == review
    assert Recall.objects.get(kind=RecallKind.REINJECTION).status == RecallStatus.PENDING

    with frozen_at(on(date(2025, 4, 1), 12)):
        next_injection = services.book_appointment(
            patient=patient, practitioner=practitioner, treatment=lines, kind="injection",
            start_at=on(date(2025, 4, 7), 10), by=front_desk,
        )  # fmt: skip
        assert Recall.objects.get(kind=RecallKind.REINJECTION).status == RecallStatus.BOOKED
        services.cancel_appointment(appointment=next_injection, by=front_desk, reason="ill")
    reopened = Recall.objects.get(kind=RecallKind.REINJECTION)
    assert reopened.status == RecallStatus.PENDING
    assert reopened.booked_appointment is None


def test_a_cancelled_booking_reopens_a_reminded_recall_as_reminded():
    recall = make_recall(due_on=date(2025, 5, 1))
    Recall.objects.filter(pk=recall.pk).update(reminded_at=clock.now(), status="reminded")
    booking = make_injection(recall.patient, on=date(2025, 5, 2), status=Status.BOOKED)
    handle_booking_event(Event.BOOKED, booking)
    assert Recall.objects.get(pk=recall.pk).status == RecallStatus.BOOKED
    handle_booking_event(Event.NO_SHOW, booking)
    assert Recall.objects.get(pk=recall.pk).status == RecallStatus.REMINDED


def test_a_clinician_set_interval_decides_the_due_date():
    injection = make_injection(on=date(2025, 3, 3))
    injection.course.recall_interval_days = 120
    injection.course.save()
    handle_booking_event(Event.COMPLETED, injection)
    assert Recall.objects.get().due_on == date(2025, 7, 1)


def test_a_hyperhidrosis_recall_is_due_after_about_six_months():
    injection = make_injection(code="hyperhidrosis", on=date(2025, 3, 3))
    handle_booking_event(Event.COMPLETED, injection)
    assert Recall.objects.get().due_on == date(2025, 8, 30)


@pytest.mark.parametrize(
    ("injected_on", "due_on"),
    [
        (date(2025, 1, 31), date(2025, 5, 1)),
        (date(2025, 11, 30), date(2026, 2, 28)),
        (date(2023, 12, 1), date(2024, 2, 29)),  # leap year
    ],
)
def test_recall_due_dates_at_the_end_of_a_month(injected_on, due_on):
    injection = make_injection(on=injected_on)
    handle_booking_event(Event.COMPLETED, injection)
    assert Recall.objects.get().due_on == due_on


def test_a_late_evening_injection_counts_from_its_clinic_local_date():
    injection = make_injection(on=date(2025, 3, 31))
    # 23:30 in Toronto is already 1 April in UTC.
    injection.start_at = on(date(2025, 3, 31), 23, 30)
    injection.end_at = injection.start_at + timedelta(minutes=20)
    injection.save()
    handle_booking_event(Event.COMPLETED, injection)
    assert Recall.objects.get().last_injection_on == date(2025, 3, 31)
    assert Recall.objects.get().due_on == date(2025, 6, 29)


def test_completing_the_same_injection_twice_creates_one_recall():
    injection = make_injection(on=date(2025, 3, 3))
    handle_booking_event(Event.COMPLETED, injection)
    handle_booking_event(Event.COMPLETED, injection)
    assert Recall.objects.count() == 1


def test_a_new_injection_closes_the_course_recall_still_open():
    old = make_recall(due_on=date(2025, 3, 1))
    newer = make_injection(old.patient, on=date(2025, 3, 5))
    handle_booking_event(Event.COMPLETED, newer)
    old.refresh_from_db()
    assert old.status == RecallStatus.BOOKED
    assert old.booked_appointment == newer
    assert Recall.objects.get(source_appointment=newer).status == RecallStatus.PENDING


def test_staff_dismiss_a_recall_with_a_reason_and_its_unsent_sms_is_withdrawn(front_desk):
    recall = make_recall(due_on=date(2025, 5, 1))
    queued = MessageFactory(patient=recall.patient, recall=recall, stage="due")
    dismiss_recall(recall=recall, by=front_desk, reason="  Moved to Vancouver ")
    recall.refresh_from_db()
    assert (recall.status, recall.dismissed_reason, recall.dismissed_by) == (
        RecallStatus.DISMISSED,
        "Moved to Vancouver",
        front_desk,
    )
    assert recall.dismissed_at is not None
    queued.refresh_from_db()
    assert queued.status == MessageStatus.SUPPRESSED


def test_a_recall_cannot_be_dismissed_without_a_reason_or_twice(front_desk):
    recall = make_recall(due_on=date(2025, 5, 1))
    with pytest.raises(FieldRefused) as blank:
        dismiss_recall(recall=recall, by=front_desk, reason=" ")
    assert blank.value.as_json() == {"reason": ["Say why this recall is dismissed."]}
    dismiss_recall(recall=recall, by=front_desk, reason="deceased")
    with pytest.raises(PathwayError) as refused:
        dismiss_recall(recall=recall, by=front_desk, reason="again")
    assert refused.value.code == "invalid_transition"


def test_a_recall_ninety_days_overdue_with_nothing_booked_lapses_in_the_sweep():
    lapsing = make_recall(due_on=date(2025, 1, 1))
    kept = make_recall(due_on=date(2025, 1, 2))
    result = sweep_recalls(as_of=date(2025, 4, 1))  # 90 days after 1 January
    assert result.lapsed == 1
    assert Recall.objects.get(pk=lapsing.pk).status == RecallStatus.LAPSED
    assert Recall.objects.get(pk=kept.pk).status == RecallStatus.PENDING
    assert not Message.objects.filter(recall=lapsing).exists()
