"""Personal links in texts: unguessable, kept hashed, one SMS long, ended with their purpose."""

from datetime import date, timedelta

import pytest

from reminders import texts
from reminders.links.access import (
    MAX_WRONG_ANSWERS,
    LinkState,
    check_date_of_birth,
    link_state,
)
from reminders.links.tokens import LINK_SLOT, TOKEN_LENGTH, create_link, find_link, hash_token
from reminders.models import Link, Message, RecallStatus
from reminders.sending import send_sms
from reminders.sweeps import sweep_recalls
from scheduler import clock
from tests.clock import at, frozen_at
from tests.factories import PatientFactory

from ..conftest import make_recall

pytestmark = pytest.mark.django_db

LONGEST_CLINIC_NAME = "Lakeshore Family Skin and Pain"  # 30 characters
LONGEST_BASE_URL = "https://book.lakeshore-clinic.ca"[:30]


def test_every_text_with_its_link_fits_one_sms_with_the_longest_clinic_name(settings):
    settings.SMS_CLINIC_NAME = LONGEST_CLINIC_NAME
    settings.PUBLIC_BASE_URL = LONGEST_BASE_URL
    settings.CLINIC_PHONE = "+1 416 555 0199 x12"
    assert len(LONGEST_CLINIC_NAME) == 30 and len(LONGEST_BASE_URL) == 30
    assert texts.check_texts() == []
    longest = max(
        texts.gsm7_length(
            texts.render(
                name,
                when="Wed Sep 30 at 12:45 PM",
                link=texts.longest_link(),
            )
        )
        for name in texts.LINKED_TEMPLATES
    )
    assert longest <= texts.SEGMENT_LENGTH


def test_a_clinic_name_that_pushes_a_linked_text_past_one_sms_is_caught_at_start_up(settings):
    settings.SMS_CLINIC_NAME = "A" * 45
    settings.PUBLIC_BASE_URL = LONGEST_BASE_URL
    assert any("appointment_reminder.txt" in problem for problem in texts.check_texts())


def test_a_token_has_128_random_bits_and_only_its_hash_is_stored():
    recall = make_recall(due_on=clock.today())
    token = create_link(recall=recall)
    assert len(token) == TOKEN_LENGTH  # 16 bytes, URL-safe base64
    link = Link.objects.get()
    assert link.token_hash == hash_token(token) != token
    assert token not in str(Link.objects.values().get())
    assert find_link(token) == link
    assert find_link(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_a_recall_text_gets_its_link_when_it_is_sent(twilio):
    recall = make_recall(due_on=clock.today())
    sweep_recalls()
    message = Message.objects.get(recall=recall)
    assert LINK_SLOT in message.body  # no link is made for a text that never goes
    assert Link.objects.count() == 0
    send_sms(message_id=message.pk)
    [sent] = twilio.requests
    token = sent["form"]["Body"].split("/p/")[1].split()[0]
    link = find_link(token)
    assert link is not None and link.recall == recall and link.patient == recall.patient
    assert texts.gsm7_length(sent["form"]["Body"]) <= 160


def test_a_link_ends_when_its_recall_is_booked():
    recall = make_recall(due_on=clock.today())
    link = find_link(create_link(recall=recall))
    assert link is not None
    assert link_state(link=link, now=clock.now()) == LinkState.OPEN
    recall.status = RecallStatus.BOOKED
    recall.save()
    link.refresh_from_db()
    assert link_state(link=link, now=clock.now()) == LinkState.ENDED


def test_a_link_ends_after_60_days():
    with frozen_at(at(2026, 3, 2, 10)):
        recall = make_recall(due_on=clock.today() + timedelta(days=120))
        link = find_link(create_link(recall=recall))
        assert link is not None
    with frozen_at(at(2026, 4, 30, 10, 59)):
        assert link_state(link=link, now=clock.now()) == LinkState.OPEN
    with frozen_at(at(2026, 5, 1, 11)):
        assert link_state(link=link, now=clock.now()) == LinkState.ENDED


def test_five_wrong_dates_of_birth_lock_the_link_for_an_hour_by_the_apps_clock():
    patient = PatientFactory(date_of_birth=date(1980, 5, 17))
    with frozen_at(at(2026, 3, 2, 10)):
        link = find_link(create_link(recall=make_recall(patient, due_on=clock.today())))
        assert link is not None
        for _ in range(MAX_WRONG_ANSWERS - 1):
            answer = check_date_of_birth(link=link, date_of_birth=date(1980, 5, 18))
            assert not answer.verified and not answer.locked
        assert check_date_of_birth(link=link, date_of_birth=date(1980, 5, 18)).locked
        # Even the right answer is refused while locked.
        assert check_date_of_birth(link=link, date_of_birth=date(1980, 5, 17)).locked
        assert link_state(link=link, now=clock.now()) == LinkState.LOCKED
    with frozen_at(at(2026, 3, 2, 11)):
        assert link_state(link=link, now=clock.now()) == LinkState.OPEN
        assert check_date_of_birth(link=link, date_of_birth=date(1980, 5, 17)).verified


def test_a_patient_without_a_date_of_birth_on_file_is_never_verified():
    patient = PatientFactory(date_of_birth=None)
    link = find_link(create_link(recall=make_recall(patient, due_on=clock.today())))
    assert link is not None
    assert not check_date_of_birth(link=link, date_of_birth=None).verified


def test_an_appointment_reminder_gets_a_link_to_its_appointment_when_sent(twilio):
    from datetime import time

    from bookings.models import Status
    from reminders.sweeps import queue_appointment_reminders
    from tests.factories import AppointmentFactory

    with frozen_at(clock.at(date(2026, 3, 2), time(10))):
        appointment = AppointmentFactory(
            start_at=clock.at(date(2026, 3, 3), time(9)), status=Status.BOOKED
        )
        assert queue_appointment_reminders() == 1
        message = Message.objects.get(appointment=appointment)
        send_sms(message_id=message.pk)
    [sent] = twilio.requests
    assert "Confirm or change: https://clinic.example.org/p/" in sent["form"]["Body"]
    link = find_link(sent["form"]["Body"].split("/p/")[1].split()[0])
    assert link is not None and link.appointment == appointment and link.recall is None


def test_a_patient_with_no_date_of_birth_gets_texts_without_a_link(twilio):
    """The link could only say "call us" (it opens with the date of birth): the reminder
    says it itself, and no link is made."""
    from datetime import time

    from bookings.models import Status
    from reminders.sweeps import queue_appointment_reminders
    from tests.factories import AppointmentFactory

    with frozen_at(clock.at(date(2026, 3, 2), time(10))):
        appointment = AppointmentFactory(
            patient=PatientFactory(date_of_birth=None),
            start_at=clock.at(date(2026, 3, 3), time(9)),
            status=Status.BOOKED,
        )
        assert queue_appointment_reminders() == 1
        send_sms(message_id=Message.objects.get(appointment=appointment).pk)
    [sent] = twilio.requests
    assert "/p/" not in sent["form"]["Body"]
    assert "call +1 416 555 0199 to change" in sent["form"]["Body"]
    assert not Link.objects.exists()


def test_staff_read_texts_without_the_patients_link():
    from reminders.links.tokens import text_for_staff

    sent = (
        "Lakeshore Clinic: you are due. Book: https://c.example/p/AbC-12_xyzABCDEFGHIJKL Reply STOP"
    )
    assert text_for_staff(sent) == "Lakeshore Clinic: you are due. Book: [personal link] Reply STOP"
    assert text_for_staff(f"Book: {LINK_SLOT} Reply") == "Book: [personal link] Reply"
    assert text_for_staff("Book: https://c.example/p/*** Reply") == "Book: [personal link] Reply"
