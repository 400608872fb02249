"""New working hours and time off taken back are freed time, offered like a cancellation."""

from datetime import date, time, timedelta

import pytest

from bookings.waitlist.models import WaitlistEntry
from reminders.links.tokens import LINK_SLOT
from reminders.models import Message, MessageStatus, Purpose
from reminders.offers.engine import offer_freed_time, sweep_offers
from reminders.offers.freeing import handle_scheduler_event
from reminders.offers.models import FreedSource, FreedTime, OfferStatus, WaitlistOffer
from scheduler import events
from scheduler.calendar_changes import calendar_change
from scheduler.models import TimeOff, Weekday, WorkingHours
from tests.clock import at, in_march
from tests.waitlist import Waitlist, waitlist

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def w(frozen, settings) -> Waitlist:
    settings.WAITLIST_OFFER_BATCH = 2
    settings.WAITLIST_STARTS_PER_CHANGE = 3
    settings.SMS_QUIET_HOURS = ""
    settings.PUBLIC_BASE_URL = "https://clinic.example.org"
    return waitlist()


def offered_entries(freed: FreedTime) -> list[int]:
    return list(
        freed.offers.filter(status=OfferStatus.OFFERED)
        .order_by("offered_at", "id")
        .values_list("entry_id", flat=True)
    )


def test_new_saturday_hours_offer_a_start_in_them(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, calendar_change(w.doctor.pk):
        WorkingHours.objects.create(
            practitioner=w.doctor,
            weekday=Weekday.SATURDAY,
            start_time=time(9),
            end_time=time(12),
        )
    freed = list(FreedTime.objects.order_by("start_at"))
    # Saturday 7 March, the first day in the new hours: three 30-minute starts, no overlap.
    assert [f.start_at for f in freed] == [in_march(7, 9), in_march(7, 9, 30), in_march(7, 10)]
    assert {f.source for f in freed} == {FreedSource.HOURS}
    assert len(callbacks) == 3  # one offer task per start, after the commit
    offer_freed_time(freed_id=freed[0].pk)
    assert offered_entries(freed[0]) == [w.first.pk, w.second.pk]
    texts = Message.objects.filter(purpose=Purpose.WAITLIST_OFFER, status=MessageStatus.QUEUED)
    assert texts.count() == 2
    assert all(LINK_SLOT in m.body for m in texts)


def test_time_off_taken_back_offers_its_time(w, django_capture_on_commit_callbacks):
    off = TimeOff.objects.create(
        practitioner=w.doctor, start_at=at(2026, 3, 3, 9), end_at=at(2026, 3, 3, 17)
    )
    with django_capture_on_commit_callbacks() as callbacks, calendar_change(w.doctor.pk):
        off.delete()
    freed = FreedTime.objects.order_by("start_at").first()
    assert freed is not None and freed.start_at == at(2026, 3, 3, 9)
    assert callbacks
    offer_freed_time(freed_id=freed.pk)
    assert offered_entries(freed) == [w.first.pk, w.second.pk]


def test_time_off_shortened_offers_only_the_part_given_back(w):
    off = TimeOff.objects.create(
        practitioner=w.doctor, start_at=at(2026, 3, 3, 9), end_at=at(2026, 3, 3, 17)
    )
    with calendar_change(w.doctor.pk):
        TimeOff.objects.filter(pk=off.pk).update(end_at=at(2026, 3, 3, 15))
    assert [f.start_at for f in FreedTime.objects.order_by("start_at")] == [
        at(2026, 3, 3, 15),
        at(2026, 3, 3, 15, 30),
        at(2026, 3, 3, 16),
    ]


def test_shorter_hours_or_more_time_off_free_nothing(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, calendar_change(w.doctor.pk):
        WorkingHours.objects.filter(practitioner=w.doctor, weekday=Weekday.TUESDAY).update(
            end_time=time(12)
        )
        TimeOff.objects.create(
            practitioner=w.doctor, start_at=at(2026, 3, 4, 9), end_at=at(2026, 3, 4, 12)
        )
    assert not FreedTime.objects.exists()
    assert callbacks == []


def test_new_hours_on_days_nobody_waits_for_free_nothing(w):
    # Everyone waits for this working week only: a new Saturday is no use to them.
    WaitlistEntry.objects.update(latest_on=date(2026, 3, 6))
    with calendar_change(w.doctor.pk):
        WorkingHours.objects.create(
            practitioner=w.doctor, weekday=Weekday.SATURDAY, start_time=time(9), end_time=time(12)
        )
    assert not FreedTime.objects.exists()


def test_the_same_freed_window_published_twice_is_recorded_and_offered_once(w, frozen):
    window = [(in_march(7, 9), in_march(7, 12))]
    WorkingHours.objects.create(
        practitioner=w.doctor, weekday=Weekday.SATURDAY, start_time=time(9), end_time=time(12)
    )
    handle_scheduler_event(events.Event.TIME_FREED, w.doctor, window)
    handle_scheduler_event(events.Event.TIME_FREED, w.doctor, window)
    assert FreedTime.objects.count() == 3
    first = FreedTime.objects.order_by("start_at").first()
    assert first is not None
    offer_freed_time(freed_id=first.pk)
    assert offer_freed_time(freed_id=first.pk) == []  # the task redelivered
    frozen.shift(timedelta(minutes=1))  # the sweep takes up starts no task looked at
    assert sweep_offers()["offers_sent"] == 2  # the other two starts, asked once each
    assert sweep_offers()["offers_sent"] == 0
    assert WaitlistOffer.objects.count() == 4


def test_deleting_time_off_in_the_admin_offers_it(w, admin_client):
    off = TimeOff.objects.create(
        practitioner=w.doctor, start_at=at(2026, 3, 3, 9), end_at=at(2026, 3, 3, 17)
    )
    response = admin_client.post(f"/admin/scheduler/timeoff/{off.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TimeOff.objects.exists()
    freed = FreedTime.objects.order_by("start_at").first()
    assert freed is not None and freed.start_at == at(2026, 3, 3, 9)


def practitioner_form(admin_client, practitioner) -> dict[str, object]:
    """The practitioner's admin page as it would be posted back unchanged."""
    url = f"/admin/scheduler/practitioner/{practitioner.pk}/change/"
    context = admin_client.get(url).context
    form = context["adminform"].form
    data: dict[str, object] = {
        name: value for name, value in form.initial.items() if value not in (None, False)
    }
    data["treatment_types"] = [t.pk for t in form.initial["treatment_types"]]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
        for row in formset.forms:
            data |= {row.add_prefix(k): v for k, v in row.initial.items() if v is not None}
            data[row.add_prefix("id")] = row.instance.pk
    return data


def test_adding_hours_in_the_admin_offers_them(w, admin_client):
    data = practitioner_form(admin_client, w.doctor)
    total = int(str(data["working_hours-TOTAL_FORMS"]))
    data |= {
        "working_hours-TOTAL_FORMS": total + 1,
        f"working_hours-{total}-weekday": Weekday.SATURDAY,
        f"working_hours-{total}-start_time": "09:00",
        f"working_hours-{total}-end_time": "12:00",
        f"working_hours-{total}-practitioner": w.doctor.pk,
    }
    url = f"/admin/scheduler/practitioner/{w.doctor.pk}/change/"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert w.doctor.working_hours.filter(weekday=Weekday.SATURDAY).exists()
    freed = FreedTime.objects.order_by("start_at").first()
    assert freed is not None and freed.start_at == in_march(7, 9)


def test_a_change_costs_a_bounded_number_of_queries(w, django_assert_max_num_queries):
    # Reading the calendar before and after, the waiting windows, the busy time, then
    # three statements per start recorded: WAITLIST_STARTS_PER_CHANGE bounds it.
    with django_assert_max_num_queries(12 + 3 * 3), calendar_change(w.doctor.pk):
        WorkingHours.objects.create(
            practitioner=w.doctor,
            weekday=Weekday.SATURDAY,
            start_time=time(9),
            end_time=time(17),
        )
    assert FreedTime.objects.count() == 3
