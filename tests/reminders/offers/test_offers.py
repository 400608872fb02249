"""Freed time is offered to the entries that fit, held, cascaded, and taken by one."""

from datetime import timedelta

import pytest

from bookings import services
from bookings.errors import PathwayError
from bookings.models import Appointment, Status
from bookings.waitlist.models import WaitlistStatus
from reminders.links.tokens import LINK_SLOT
from reminders.models import Message, Purpose
from reminders.offers.accept import accept_offer
from reminders.offers.engine import offer_freed_time, offer_to_entry, sweep_offers
from reminders.offers.models import FreedTime, OfferStatus, WaitlistOffer
from tests.clock import NOW, at
from tests.factories import AppointmentFactory
from tests.waitlist import FREED_AT, Waitlist, ready_patient, wait, waitlist

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def offer_settings(settings):
    settings.WAITLIST_OFFER_BATCH = 2
    settings.WAITLIST_HOLD_MINUTES = 20
    settings.SMS_QUIET_HOURS = ""
    settings.PUBLIC_BASE_URL = "https://clinic.example.org"
    return settings


@pytest.fixture
def w(frozen, offer_settings) -> Waitlist:
    return waitlist()


def cancel_the_freed_visit(w: Waitlist, capture) -> FreedTime:
    booked = AppointmentFactory(practitioner=w.doctor, start_at=FREED_AT, kind="exam")
    with capture() as callbacks:
        services.cancel_appointment(appointment=booked, by=None, reason="Ill")
    assert len(callbacks) >= 1  # the offer task waits for the commit
    return FreedTime.objects.get()


def offered(freed: FreedTime) -> list[int]:
    return list(
        freed.offers.filter(status=OfferStatus.OFFERED)
        .order_by("offered_at", "id")
        .values_list("entry_id", flat=True)
    )


def test_a_cancellation_offers_its_time_to_the_first_entries_that_fit(
    w, django_capture_on_commit_callbacks
):
    freed = cancel_the_freed_visit(w, django_capture_on_commit_callbacks)
    assert (freed.source, freed.start_at) == ("cancelled", FREED_AT)
    offer_freed_time(freed_id=freed.pk)
    assert offered(freed) == [w.first.pk, w.second.pk]
    w.first.refresh_from_db()
    assert w.first.status == WaitlistStatus.OFFERED
    texts = Message.objects.filter(purpose=Purpose.WAITLIST_OFFER)
    assert texts.count() == 2 and all(LINK_SLOT in m.body for m in texts)
    assert all(o.hold_until == NOW + timedelta(minutes=20) for o in freed.offers.all())


def test_a_redelivered_task_asks_nobody_twice(w, django_capture_on_commit_callbacks):
    freed = cancel_the_freed_visit(w, django_capture_on_commit_callbacks)
    offer_freed_time(freed_id=freed.pk)
    assert offer_freed_time(freed_id=freed.pk) == []
    assert sweep_offers()["offers_sent"] == 0
    assert WaitlistOffer.objects.count() == 2


def test_no_answer_within_the_hold_asks_the_next_patients(
    w, frozen, django_capture_on_commit_callbacks
):
    freed = cancel_the_freed_visit(w, django_capture_on_commit_callbacks)
    offer_freed_time(freed_id=freed.pk)
    frozen.shift(timedelta(minutes=19))
    assert sweep_offers()["offers_sent"] == 0
    frozen.shift(timedelta(minutes=1))
    done = sweep_offers()
    assert done["offers_lapsed"] == 2 and done["offers_sent"] == 2
    assert offered(freed) == [w.third.pk, w.fourth.pk]
    w.first.refresh_from_db()
    assert w.first.status == WaitlistStatus.WAITING  # still on the list, not asked again


def test_the_first_acceptance_books_and_a_second_is_told_it_has_gone(
    w, django_capture_on_commit_callbacks
):
    freed = cancel_the_freed_visit(w, django_capture_on_commit_callbacks)
    first, second = offer_freed_time(freed_id=freed.pk)
    appointment = accept_offer(offer=first)
    assert (appointment.patient, appointment.start_at) == (w.first.patient, FREED_AT)
    with pytest.raises(PathwayError) as refused:
        accept_offer(offer=second)
    assert (refused.value.code, refused.value.status) == ("offer_taken", 409)
    w.first.refresh_from_db()
    w.second.refresh_from_db()
    assert (w.first.status, w.second.status) == (WaitlistStatus.BOOKED, WaitlistStatus.WAITING)
    freed.refresh_from_db()
    assert freed.filled_by == w.first and freed.filled_appointment == appointment


def test_an_offer_past_its_hold_cannot_be_taken(w, frozen, django_capture_on_commit_callbacks):
    freed = cancel_the_freed_visit(w, django_capture_on_commit_callbacks)
    first, _ = offer_freed_time(freed_id=freed.pk)
    frozen.shift(timedelta(minutes=21))
    with pytest.raises(PathwayError) as refused:
        accept_offer(offer=first)
    assert (refused.value.code, refused.value.status) == ("offer_ended", 410)
    assert not Appointment.objects.filter(start_at=FREED_AT).exclude(status="cancelled").exists()


def test_a_patient_waiting_to_move_earlier_has_their_visit_moved(
    frozen, offer_settings, django_capture_on_commit_callbacks
):
    patient = ready_patient()
    later = AppointmentFactory(
        patient=patient, kind="injection", start_at=at(2026, 3, 20), planned_units=155
    )
    entry = wait(patient, waiting_since=at(2026, 2, 1))
    booked = AppointmentFactory(start_at=FREED_AT, kind="exam")
    with django_capture_on_commit_callbacks():
        services.cancel_appointment(appointment=booked, by=None, reason="Ill")
    (offer,) = offer_freed_time(freed_id=FreedTime.objects.get().pk)
    moved = accept_offer(offer=offer)
    assert moved.pk == later.pk and moved.start_at == FREED_AT
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED
    # The later time it left is freed in turn.
    assert FreedTime.objects.filter(start_at=at(2026, 3, 20), source="moved").exists()


def test_the_front_desk_offers_a_free_time_to_one_patient(w):
    offer = offer_to_entry(entry=w.third, practitioner=w.doctor, start_at=FREED_AT, by=None)
    assert offer.entry == w.third and offer.freed_time.source == "manual"
    with pytest.raises(PathwayError):
        offer_to_entry(entry=w.too_soon, practitioner=w.doctor, start_at=FREED_AT, by=None)


def test_the_sweep_catches_a_freed_time_whose_task_never_ran(
    w, frozen, django_capture_on_commit_callbacks
):
    freed = cancel_the_freed_visit(w, django_capture_on_commit_callbacks)
    frozen.shift(timedelta(minutes=2))
    assert sweep_offers()["offers_sent"] == 2
    assert offered(freed) == [w.first.pk, w.second.pk]


def test_entries_past_their_latest_date_and_times_past_their_start_end(
    w, frozen, django_capture_on_commit_callbacks
):
    freed = cancel_the_freed_visit(w, django_capture_on_commit_callbacks)
    offer_freed_time(freed_id=freed.pk)
    frozen.move_to(at(2026, 4, 1, 9))
    done = sweep_offers()
    assert done["entries_expired"] == 6
    freed.refresh_from_db()
    assert freed.closed_at is not None and not offered(freed)


def test_a_time_booked_another_way_is_not_offered(w, django_capture_on_commit_callbacks):
    freed = cancel_the_freed_visit(w, django_capture_on_commit_callbacks)
    AppointmentFactory(practitioner=w.doctor, start_at=FREED_AT, status=Status.BOOKED)
    assert offer_freed_time(freed_id=freed.pk) == []
    freed.refresh_from_db()
    assert freed.closed_at is not None


def test_an_offer_text_still_waiting_when_its_hold_ends_is_never_sent(
    w, frozen, django_capture_on_commit_callbacks
):
    freed = cancel_the_freed_visit(w, django_capture_on_commit_callbacks)
    first, second = offer_freed_time(freed_id=freed.pk)
    Message.objects.filter(pk=second.message_id or 0).update(status="sent")
    frozen.shift(timedelta(minutes=20))
    sweep_offers()
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert [statuses.get(o.message_id or 0) for o in (first, second)] == ["suppressed", "sent"]
