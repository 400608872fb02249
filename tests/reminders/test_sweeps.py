"""The sweeps queue the right SMS on the right day, once, in a few queries."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from bookings.events import Event
from bookings.models import Appointment, Status
from reminders import texts
from reminders.models import Message, MessageStatus, Purpose, Recall
from reminders.recalls import handle_booking_event
from reminders.sending import send_sms
from reminders.sweeps import (
    dispatch_due_messages,
    queue_appointment_reminders,
    send_batch_size,
    sweep_recalls,
)
from scheduler import clock
from tests.clock import frozen_at
from tests.factories import MessageFactory, PatientFactory, PractitionerFactory

from .conftest import make_injection, make_recall

pytestmark = pytest.mark.django_db
DUE = date(2025, 6, 18)  # a Wednesday


def noon(day: date) -> datetime:
    return clock.at(day, time(12))


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (DUE - timedelta(days=15), None),
        (DUE - timedelta(days=14), "due_soon"),
        (DUE - timedelta(days=1), "due_soon"),
        (DUE, "due"),
        (DUE + timedelta(days=27), "due"),
        (DUE + timedelta(days=28), "overdue"),
        (DUE + timedelta(days=89), "overdue"),
        (DUE + timedelta(days=90), None),  # lapsed
    ],
)
def test_each_recall_stage_is_queued_from_its_day(sms_settings, today, stage):
    recall = make_recall(due_on=DUE)
    with frozen_at(noon(today)):
        sweep_recalls()
    assert list(Message.objects.filter(recall=recall).values_list("stage", flat=True)) == (
        [stage] if stage else []
    )


def test_each_stage_is_sent_at_most_once_however_often_the_sweep_runs(sms_settings):
    recall = make_recall(due_on=DUE)
    for day in (DUE - timedelta(days=14), DUE, DUE + timedelta(days=28)):
        with frozen_at(noon(day)):
            sweep_recalls()
            sweep_recalls()
            for message in Message.objects.filter(status=MessageStatus.QUEUED):
                send_sms(message_id=message.pk)
            sweep_recalls()
    stages = Message.objects.filter(recall=recall).values_list("stage", "purpose", "status")
    assert sorted(stages) == [
        ("due", Purpose.RECALL_DUE, MessageStatus.SENT),
        ("due_soon", Purpose.RECALL_DUE_SOON, MessageStatus.SENT),
        ("overdue", Purpose.RECALL_OVERDUE, MessageStatus.SENT),
    ]
    assert Recall.objects.get().status == "reminded"


def test_stages_missed_during_downtime_are_not_sent_late():
    recall = make_recall(due_on=DUE)
    call_command("sweep_recalls", "--as-of", str(DUE + timedelta(days=30)))
    assert list(Message.objects.filter(recall=recall).values_list("stage", flat=True)) == [
        "overdue"
    ]


def test_the_sweep_command_reports_what_it_did(capsys):
    make_recall(due_on=DUE)
    call_command("sweep_recalls", "--as-of", "2025-06-18")
    assert "Queued 1 SMS" in capsys.readouterr().out


def test_a_cosmetic_review_invitation_goes_out_shortly_before_the_review_is_due():
    injection = make_injection(code="frown-lines", on=date(2025, 6, 2))
    handle_booking_event(Event.COMPLETED, injection)
    sweep_recalls(as_of=date(2025, 6, 13))
    assert not Message.objects.exists()
    sweep_recalls(as_of=date(2025, 6, 14))  # review due 16 June, two days' notice
    assert list(Message.objects.values_list("purpose", flat=True)) == [Purpose.REVIEW]


def test_a_patient_with_two_recalls_due_gets_one_recall_sms_a_day(sms_settings):
    patient = PatientFactory()
    make_recall(patient, due_on=DUE, code="migraine")
    make_recall(patient, due_on=DUE, code="neck-pain")
    with frozen_at(noon(DUE)):
        sweep_recalls()
        assert Message.objects.count() == 1
        send_sms(message_id=Message.objects.get().pk)
        sweep_recalls()
        second = Message.objects.get(status=MessageStatus.QUEUED)
        # Queued again the same day, it waits for tomorrow's window rather than go out now.
        assert send_sms(message_id=second.pk) == "over_budget"
    second.refresh_from_db()
    assert clock.local(second.send_after) == clock.at(DUE + timedelta(days=1), time(0))
    assert second.status == MessageStatus.QUEUED
    assert second.error_message.startswith("Waiting: this patient's limit of 1 text a day")


def test_patients_without_consent_opted_out_or_with_a_bad_number_are_suppressed():
    quiet = {
        "no consent": PatientFactory(sms_consent=False),
        "opted out": PatientFactory(sms_opted_out=True),
        "bad number": PatientFactory(phone_invalid=True),
    }
    for patient in quiet.values():
        make_recall(patient, due_on=DUE)
    result = sweep_recalls(as_of=DUE)
    assert (result.queued, result.suppressed) == (0, 3)
    reasons = dict(Message.objects.values_list("patient__first_name", "error_message"))
    assert reasons == {
        quiet["no consent"].first_name: "no SMS consent",
        quiet["opted out"].first_name: "patient opted out",
        quiet["bad number"].first_name: "number cannot receive texts",
    }


def test_booked_and_dismissed_recalls_get_no_sms():
    make_recall(due_on=DUE, status="booked")
    make_recall(due_on=DUE, status="dismissed", dismissed_reason="moved away")
    assert sweep_recalls(as_of=DUE).queued == 0


def test_the_sweep_takes_the_same_few_queries_for_three_or_thirty_recalls():
    practitioner = PractitionerFactory()

    def queries_for(count: int, due_on: date) -> int:
        for _ in range(count):
            make_recall(due_on=due_on, practitioner=practitioner)
        with CaptureQueriesContext(connection) as queries:
            result = sweep_recalls(as_of=due_on)
        assert result.queued == count
        return len(queries)

    assert queries_for(3, DUE) == queries_for(30, DUE + timedelta(days=7))


def test_a_sweep_in_the_evening_queues_for_nine_the_next_morning_across_dst(settings):
    settings.SMS_QUIET_HOURS = "20:00-09:00"
    make_recall(due_on=date(2025, 3, 8))
    evening = datetime(2025, 3, 9, 2, 30, tzinfo=UTC)  # 8 March, 21:30 EST
    with frozen_at(evening):
        sweep_recalls()
    message = Message.objects.get()
    assert message.send_after == datetime(2025, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 EDT
    with frozen_at(datetime(2025, 3, 9, 12, 59, tzinfo=UTC)):
        assert dispatch_due_messages() == []
        assert send_sms(message_id=message.pk) == "deferred"
    with frozen_at(datetime(2025, 3, 9, 13, 0, tzinfo=UTC)):
        assert dispatch_due_messages() == [message.pk]
        assert send_sms(message_id=message.pk) == MessageStatus.SENT


def test_the_dispatcher_gives_a_new_task_to_a_queued_message_whose_task_went_missing(settings):
    settings.SMS_REDISPATCH_AFTER_SECONDS = 900
    start = datetime(2025, 6, 18, 15, 0, tzinfo=UTC)
    with frozen_at(start) as traveller:
        message = MessageFactory()
        assert dispatch_due_messages() == [message.pk]
        assert dispatch_due_messages() == []
        traveller.shift(timedelta(minutes=16))
        assert dispatch_due_messages() == [message.pk]


def test_many_recalls_add_no_periodic_tasks():
    before = PeriodicTask.objects.count()
    for day in range(40):
        make_recall(due_on=DUE + timedelta(days=day))
    sweep_recalls(as_of=DUE + timedelta(days=10))
    assert PeriodicTask.objects.count() == before


# --- appointment reminders ----------------------------------------------------------


def booked_appointment(start_at: datetime, **fields) -> Appointment:
    injection = make_injection(on=clock.local_date(start_at), status=Status.BOOKED, **fields)
    Appointment.objects.filter(pk=injection.pk).update(
        start_at=start_at, end_at=start_at + timedelta(minutes=30)
    )
    injection.refresh_from_db()
    return injection


def test_an_appointment_gets_one_reminder_a_day_ahead_asking_to_reply_c(sms_settings):
    sms_settings.PUBLIC_BASE_URL = ""  # with a link, the link confirms (test_link_tokens)
    with frozen_at(clock.at(date(2025, 6, 17), time(10))):
        soon = booked_appointment(clock.at(date(2025, 6, 18), time(9, 30)))
        later = booked_appointment(clock.at(date(2025, 6, 18), time(10, 30)))
        assert queue_appointment_reminders() == 1
        assert queue_appointment_reminders() == 0
    message = Message.objects.get()
    assert message.appointment == soon
    assert "Wed Jun 18 at 09:30" in message.body
    assert "Reply C to confirm" in message.body
    assert "injection" not in message.body.lower()
    assert not later.messages.exists()


def test_a_moved_appointment_is_reminded_of_its_new_time(sms_settings):
    with frozen_at(clock.at(date(2025, 6, 17), time(10))):
        appointment = booked_appointment(clock.at(date(2025, 6, 18), time(9, 30)))
        queue_appointment_reminders()
        Appointment.objects.filter(pk=appointment.pk).update(
            start_at=clock.at(date(2025, 6, 18), time(9, 45)),
            end_at=clock.at(date(2025, 6, 18), time(10, 15)),
        )
        appointment.refresh_from_db()
        handle_booking_event(Event.MOVED, appointment)
        queue_appointment_reminders()
    assert "at 09:45" in Message.objects.get().body


def test_a_reminder_for_a_cancelled_appointment_is_not_sent(sms_settings):
    with frozen_at(clock.at(date(2025, 6, 17), time(10))):
        appointment = booked_appointment(clock.at(date(2025, 6, 18), time(9, 30)))
        queue_appointment_reminders()
        Appointment.objects.filter(pk=appointment.pk).update(status=Status.CANCELLED)
        message = Message.objects.get()
        assert send_sms(message_id=message.pk) == MessageStatus.SUPPRESSED
    message.refresh_from_db()
    assert message.error_message == "appointment cancelled"


# --- set-based sweep (PostgreSQL) and the ORM one (SQLite) agree -----------------------


def test_a_patient_due_twice_is_texted_for_the_earliest_stage_first(sms_settings):
    patient = PatientFactory()
    make_recall(patient, due_on=DUE - timedelta(days=3), code="migraine")  # "due"
    soon = make_recall(patient, due_on=DUE + timedelta(days=5), code="neck-pain")  # "due soon"
    result = sweep_recalls(as_of=DUE)
    assert (result.queued, result.suppressed) == (1, 0)
    assert list(Message.objects.values_list("recall", "stage")) == [(soon.pk, "due_soon")]


def test_every_recall_of_a_patient_who_may_not_be_texted_gets_its_suppressed_row():
    patient = PatientFactory(sms_consent=False)
    make_recall(patient, due_on=DUE, code="migraine")
    make_recall(patient, due_on=DUE, code="neck-pain")
    assert sweep_recalls(as_of=DUE).suppressed == 2
    assert set(Message.objects.values_list("status", "error_message")) == {
        (MessageStatus.SUPPRESSED, "no SMS consent")
    }


def test_a_patient_with_a_recall_sms_still_queued_gets_no_other_one(sms_settings):
    patient = PatientFactory()
    make_recall(patient, due_on=DUE, code="migraine")
    MessageFactory(patient=patient, purpose=Purpose.RECALL_OVERDUE)  # queued earlier, not sent yet
    assert sweep_recalls(as_of=DUE).queued == 0
    assert Message.objects.count() == 1


def test_a_repeated_sweep_counts_only_what_it_wrote(sms_settings):
    for _ in range(3):
        make_recall(due_on=DUE)
    make_recall(PatientFactory(sms_opted_out=True), due_on=DUE)
    first = sweep_recalls(as_of=DUE)
    again = sweep_recalls(as_of=DUE)
    assert (first.queued, first.suppressed) == (3, 1)
    assert (again.queued, again.suppressed) == (0, 0)
    assert Message.objects.count() == 4


def test_queued_rows_carry_the_stage_text_and_the_send_after(settings):
    settings.SMS_QUIET_HOURS = "20:00-09:00"
    recall = make_recall(due_on=DUE)
    with frozen_at(clock.at(DUE, time(6))):
        sweep_recalls()
    message = Message.objects.get()
    assert (message.recall_id, message.patient_id, message.to) == (
        recall.pk,
        recall.patient_id,
        recall.patient.phone,
    )
    assert message.body == texts.render("recall_due")
    assert (message.status, message.attempts, message.provider_sid) == (MessageStatus.QUEUED, 0, "")
    assert message.send_after == clock.at(DUE, time(9))
    assert message.created_at == clock.at(DUE, time(6))


@pytest.mark.parametrize(("limit", "size"), [(0, 100), (1, 5), (3, 15), (50, 100)])
def test_send_tasks_take_about_five_seconds_of_sending_each(settings, limit, size):
    settings.SMS_MAX_PER_SECOND = limit
    assert send_batch_size() == size


@pytest.mark.django_db
def test_a_send_whose_worker_died_becomes_unknown_for_staff_and_is_never_resent(settings):
    from reminders.sweeps import dispatch_due_messages

    now = clock.now()
    lost = MessageFactory()
    busy = MessageFactory()
    Message.objects.filter(pk=lost.pk).update(
        status=MessageStatus.SENDING,
        sending_at=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2 + 1),
        handed_over_at=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2),
    )
    Message.objects.filter(pk=busy.pk).update(status=MessageStatus.SENDING, sending_at=now)
    assert dispatch_due_messages() == []
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert lost.status == MessageStatus.UNKNOWN and "outcome is unknown" in lost.error_message
    assert busy.status == MessageStatus.SENDING
