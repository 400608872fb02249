"""The inbox's reads and actions: call-back requests, texts for staff, the badge count."""

from datetime import timedelta

import pytest

from reminders import inbox
from reminders.models import InboundAction, InboundMessage
from reminders.webhooks import receive_text
from scheduler import clock
from tests.clock import frozen_at
from tests.factories import InboundMessageFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_r_puts_the_patient_on_the_call_back_list_newest_first():
    earlier, later = PatientFactory(), PatientFactory()
    with frozen_at(clock.now() - timedelta(hours=2)):
        receive_text(sid="SM1", from_number=earlier.phone, to_number="", body="R")
    receive_text(sid="SM2", from_number=later.phone, to_number="", body="r")
    assert inbox.list_callback_requests() == [later, earlier]


def test_only_texts_that_were_not_a_keyword_wait_for_staff_unread_first():
    patient = PatientFactory()
    receive_text(sid="SM1", from_number=patient.phone, to_number="", body="STOP")
    receive_text(sid="SM2", from_number=patient.phone, to_number="", body="Can I come Friday?")
    old = InboundMessageFactory(patient=patient, body="Thanks!", read_at=clock.now())
    unread = inbox.list_unread_texts()
    assert [t.body for t in unread] == ["Can I come Friday?"]
    assert inbox.list_read_texts() == [old]


def test_calling_back_clears_the_flag_for_everyone_on_that_number_and_records_who():
    desk = UserFactory(username="desk")
    parent = PatientFactory(phone="+14165550111")
    child = PatientFactory(phone="+14165550111")
    receive_text(sid="SM1", from_number=parent.phone, to_number="", body="R")
    assert inbox.mark_called_back(patient=child, by=desk) == 2
    parent.refresh_from_db()
    child.refresh_from_db()
    assert parent.callback_requested_at is None and child.callback_requested_at is None
    r = InboundMessage.objects.get(action=InboundAction.CALLBACK)
    assert r.read_by == desk and r.read_at is not None
    assert inbox.get_last_call_back(patient=parent) == r
    assert inbox.mark_called_back(patient=parent, by=desk) == 0


def test_marking_a_text_read_records_who_and_when_once():
    desk, other = UserFactory(username="desk"), UserFactory(username="other")
    message = InboundMessageFactory(patient=PatientFactory(), body="Running late")
    assert inbox.mark_read(text=message, by=desk)
    assert not inbox.mark_read(text=message, by=other)
    message.refresh_from_db()
    assert message.read_by == desk and message.read_at is not None


def test_the_badge_counts_call_backs_and_unread_texts_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert inbox.count_inbox() == 0
    for _ in range(3):
        PatientFactory(callback_requested_at=clock.now())
    InboundMessageFactory(patient=PatientFactory(), body="Hello")
    InboundMessageFactory(patient=None, body="Who is this?")
    InboundMessageFactory(patient=PatientFactory(), body="Seen", read_at=clock.now())
    InboundMessageFactory(patient=PatientFactory(), body="R", action=InboundAction.CALLBACK)
    with django_assert_num_queries(1):
        assert inbox.count_inbox() == 5
