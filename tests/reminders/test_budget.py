"""One text budget per patient: a day's and a week's limit, in order of importance."""

import threading
import time as time_module
from datetime import date, time, timedelta

import pytest
from django.db import connection

from bookings.models import Status
from reminders import budget
from reminders.dashboard import describe_sms_problem
from reminders.models import Message, MessageStatus, Purpose
from reminders.sending import send_sms
from reminders.windows import QuietHours
from scheduler import clock
from tests.clock import frozen_at, on
from tests.factories import MessageFactory, PatientFactory

from .conftest import make_injection

MONDAY = date(2026, 3, 2)
NO_QUIET = QuietHours.parse("")
QUIET = QuietHours.parse("20:00-09:00")


# --- the rule alone, no database ---------------------------------------------------------


def test_a_first_text_of_the_day_may_go():
    verdict = budget.decide(
        now=on(MONDAY, 9), texted_at=[], more_important_waiting=False, per_day=1, per_week=3,
        quiet=QUIET,
    )  # fmt: skip
    assert verdict.send


def test_a_second_text_the_same_day_waits_for_the_next_days_window():
    verdict = budget.decide(
        now=on(MONDAY, 15), texted_at=[on(MONDAY, 9)], more_important_waiting=False,
        per_day=1, per_week=3, quiet=QUIET,
    )  # fmt: skip
    assert not verdict.send
    assert verdict.wait_until == on(MONDAY + timedelta(days=1), 9)
    assert (
        verdict.reason
        == "Waiting: this patient's limit of 1 text a day is reached; goes Tue 3 Mar 09:00."
    )


def test_the_week_is_a_rolling_seven_days():
    sent = [on(MONDAY, 10), on(MONDAY + timedelta(days=1), 9), on(MONDAY + timedelta(days=2), 9)]
    verdict = budget.decide(
        now=on(MONDAY + timedelta(days=3), 9), texted_at=sent, more_important_waiting=False,
        per_day=1, per_week=3, quiet=QUIET,
    )  # fmt: skip
    assert not verdict.send
    assert verdict.wait_until == on(MONDAY + timedelta(days=7), 10)
    assert "3 texts in 7 days" in verdict.reason


def test_a_week_freed_in_quiet_hours_waits_for_the_window():
    sent = [
        on(MONDAY, 19, 59),
        on(MONDAY + timedelta(days=1), 9),
        on(MONDAY + timedelta(days=2), 9),
    ]
    when = budget.next_allowed_at(
        now=on(MONDAY + timedelta(days=3), 9), texted_at=sent, per_day=1, per_week=3,
        quiet=QuietHours.parse("19:00-09:00"),
    )  # fmt: skip
    assert when == on(MONDAY + timedelta(days=8), 9)


def test_a_more_important_text_due_now_goes_first():
    verdict = budget.decide(
        now=on(MONDAY, 9), texted_at=[], more_important_waiting=True, per_day=1, per_week=3,
        quiet=QUIET,
    )  # fmt: skip
    assert not verdict.send
    assert "more important" in verdict.reason


def test_zero_turns_a_limit_off():
    sent = [on(MONDAY, h) for h in (9, 10, 11, 12)]
    assert budget.decide(
        now=on(MONDAY, 13), texted_at=sent, more_important_waiting=False, per_day=0,
        per_week=0, quiet=QUIET,
    ).send  # fmt: skip


def test_importance_runs_reminder_confirmation_offer_recall():
    order = sorted(
        [Purpose.RECALL_DUE, Purpose.WAITLIST_OFFER, Purpose.APPOINTMENT_REMINDER,
         Purpose.BOOKING_CONFIRMATION],
        key=budget.priority,
    )  # fmt: skip
    assert order == [
        Purpose.APPOINTMENT_REMINDER,
        Purpose.BOOKING_CONFIRMATION,
        Purpose.WAITLIST_OFFER,
        Purpose.RECALL_DUE,
    ]
    assert not budget.counts(Purpose.STAFF_REPLY)
    assert budget.counts("a purpose added later")


# --- the outbox, with a frozen clock ----------------------------------------------------


def send_all_due(*, reverse: bool = True) -> None:
    """What the dispatcher and a worker do, least important first (the worst order)."""
    for _ in range(3):
        due = Message.objects.filter(status=MessageStatus.QUEUED, send_after__lte=clock.now())
        ids = sorted(due.values_list("pk", "purpose"), key=lambda row: budget.priority(row[1]))
        for pk, _purpose in reversed(ids) if reverse else ids:
            send_sms(message_id=pk)


@pytest.mark.django_db
def test_four_texts_due_one_day_go_one_a_day_in_order_of_importance_and_none_is_lost(
    sms_settings,
):
    sms_settings.SMS_QUIET_HOURS = "20:00-09:00"
    sms_settings.SMS_MAX_PER_DAY = 1
    sms_settings.SMS_MAX_PER_WEEK = 3
    with frozen_at(on(MONDAY, 8)):
        patient = PatientFactory()
        appointment = make_injection(patient, on=MONDAY + timedelta(days=1), status=Status.BOOKED)
        for purpose in (
            Purpose.RECALL_DUE,
            Purpose.WAITLIST_OFFER,
            Purpose.BOOKING_CONFIRMATION,
        ):
            MessageFactory(patient=patient, purpose=purpose, send_after=on(MONDAY, 9))
        MessageFactory(
            patient=patient,
            purpose=Purpose.APPOINTMENT_REMINDER,
            appointment=appointment,
            send_after=on(MONDAY, 9),
        )
    sent_on: dict[str, date] = {}
    for day in range(14):
        for hour in (9, 13, 19):
            with frozen_at(on(MONDAY + timedelta(days=day), hour)):
                send_all_due()
    for message in Message.objects.all():
        assert message.status == MessageStatus.SENT, message.purpose
        assert message.sending_at is not None
        sent_on[message.purpose] = clock.local_date(message.sending_at)
    assert sent_on == {
        Purpose.APPOINTMENT_REMINDER: MONDAY,
        Purpose.BOOKING_CONFIRMATION: MONDAY + timedelta(days=1),
        Purpose.WAITLIST_OFFER: MONDAY + timedelta(days=2),
        # 3 in the 7 days from Monday 09:00: the recall goes when Monday's text drops out.
        Purpose.RECALL_DUE: MONDAY + timedelta(days=7),
    }
    times = sorted(t for t in Message.objects.values_list("sending_at", flat=True) if t)
    assert len(times) == Message.objects.count()
    for first in times:
        assert sum(1 for t in times if first <= t < first + timedelta(days=7)) <= 3


@pytest.mark.django_db
def test_a_text_over_budget_waits_in_the_outbox_with_its_reason_for_staff(sms_settings):
    sms_settings.SMS_MAX_PER_DAY = 1
    with frozen_at(on(MONDAY, 10)):
        patient = PatientFactory()
        first = MessageFactory(patient=patient, purpose=Purpose.RECALL_DUE)
        second = MessageFactory(patient=patient, purpose=Purpose.REVIEW)
        assert send_sms(message_id=first.pk) == MessageStatus.SENT
        assert send_sms(message_id=second.pk) == "over_budget"
    second.refresh_from_db()
    assert second.status == MessageStatus.QUEUED
    assert second.send_after == clock.at(MONDAY + timedelta(days=1), time(0))
    problem = describe_sms_problem(second.status, second.error_code, second.error_message)
    assert problem.startswith("Waiting: this patient's limit of 1 text a day is reached")
    with frozen_at(on(MONDAY + timedelta(days=1), 10)):
        assert send_sms(message_id=second.pk) == MessageStatus.SENT
    second.refresh_from_db()
    assert second.error_message == ""  # the wait is over, so is its reason


@pytest.mark.django_db
def test_a_staff_reply_is_not_counted_and_does_not_use_up_the_budget(sms_settings):
    sms_settings.SMS_MAX_PER_DAY = 1
    with frozen_at(on(MONDAY, 10)):
        patient = PatientFactory()
        reminder = MessageFactory(patient=patient, purpose=Purpose.RECALL_DUE)
        reply = MessageFactory(patient=patient, purpose=Purpose.STAFF_REPLY)
        assert send_sms(message_id=reminder.pk) == MessageStatus.SENT
        assert send_sms(message_id=reply.pk) == MessageStatus.SENT
        later = MessageFactory(patient=patient, purpose=Purpose.REVIEW)
        assert send_sms(message_id=later.pk) == "over_budget"


@pytest.mark.django_db
def test_another_patients_texts_do_not_count(sms_settings):
    with frozen_at(on(MONDAY, 10)):
        one, other = PatientFactory(), PatientFactory()
        assert send_sms(message_id=MessageFactory(patient=one).pk) == MessageStatus.SENT
        assert send_sms(message_id=MessageFactory(patient=other).pk) == MessageStatus.SENT


# --- two workers at once (PostgreSQL) -------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "purposes",
    [
        # Equally important: only the lock on the patient keeps the second one back.
        (Purpose.RECALL_DUE, Purpose.REVIEW),
        (Purpose.APPOINTMENT_REMINDER, Purpose.WAITLIST_OFFER),
    ],
)
def test_two_workers_racing_for_one_patients_texts_never_send_over_the_budget(
    twilio, purposes, monkeypatch
):
    # Each decision takes a while, as on a busy database: without the lock on the
    # patient both workers would decide within that pause and both send.
    decide = budget.decide

    def slow_decide(**facts):
        time_module.sleep(0.05)
        return decide(**facts)

    monkeypatch.setattr(budget, "decide", slow_decide)
    patients = [PatientFactory() for _ in range(12)]
    pairs = [
        (
            MessageFactory(patient=p, purpose=purposes[0]).pk,
            MessageFactory(patient=p, purpose=purposes[1]).pk,
        )
        for p in patients
    ]
    start = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(side: int) -> None:
        try:
            for pair in pairs:
                start.wait()
                outcome = send_sms(message_id=pair[side])
                with lock:
                    outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(side,)) for side in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for patient in patients:
        assert len(twilio.posts_to(patient.phone)) == 1
    assert outcomes.count(MessageStatus.SENT) == len(patients)
    # Nothing lost: the other text of each pair waits for tomorrow.
    assert Message.objects.filter(status=MessageStatus.QUEUED).count() == len(patients)
