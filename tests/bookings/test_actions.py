"""What may be done to an appointment: the pages offer exactly what the services allow."""

from datetime import timedelta

import pytest

from bookings import actions, services
from bookings.errors import PathwayError
from bookings.models import AuditEntry, Status
from bookings.no_shows import mark_no_show
from scheduler.models import Kind
from tests.clock import NOW, at, frozen_at
from tests.factories import AppointmentFactory, UserFactory

LIVE = [Status.BOOKED, Status.CONFIRMED, Status.CHECKED_IN]
ENDED = [Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW]


def _refusal(action, *, status, start_at, checked_in_at=None):
    return actions.refusal(
        action, status=status, start_at=start_at, checked_in_at=checked_in_at, now=NOW
    )


@pytest.mark.parametrize("status", ENDED)
@pytest.mark.parametrize(
    "action",
    [Status.CONFIRMED, Status.CHECKED_IN, Status.CANCELLED, Status.NO_SHOW, actions.MOVE],
)
def test_an_ended_appointment_allows_no_change(status, action):
    words = _refusal(action, status=status, start_at=NOW - timedelta(hours=1))
    assert words is not None and "cannot be" in words


def test_check_in_only_on_the_day_and_no_show_only_after_the_start():
    later_today = NOW + timedelta(hours=2)
    tomorrow = NOW + timedelta(days=1)
    assert _refusal(Status.CHECKED_IN, status=Status.BOOKED, start_at=later_today) is None
    assert "on the day" in _refusal(Status.CHECKED_IN, status=Status.BOOKED, start_at=tomorrow)
    assert "after the start" in _refusal(Status.NO_SHOW, status=Status.BOOKED, start_at=later_today)
    assert _refusal(Status.NO_SHOW, status=Status.BOOKED, start_at=NOW) is None


def test_completing_needs_the_start_or_a_check_in():
    later = NOW + timedelta(hours=2)
    assert "not started" in _refusal(Status.COMPLETED, status=Status.BOOKED, start_at=later)
    assert (
        _refusal(Status.COMPLETED, status=Status.CHECKED_IN, start_at=later, checked_in_at=NOW)
        is None
    )


def _try(action, appointment, user):
    calls = {
        Status.CONFIRMED: lambda: services.confirm_appointment(appointment=appointment, by=user),
        Status.CHECKED_IN: lambda: services.check_in_appointment(appointment=appointment, by=user),
        Status.CANCELLED: lambda: services.cancel_appointment(
            appointment=appointment, by=user, reason="test"
        ),
        Status.NO_SHOW: lambda: mark_no_show(appointment=appointment, by=user),
    }
    try:
        calls[action]()
    except PathwayError as exc:
        assert exc.code == "invalid_transition"
        return False
    return True


@pytest.mark.django_db
@pytest.mark.parametrize("status", LIVE + ENDED)
@pytest.mark.parametrize("hours", [-1, 2, 30])
@pytest.mark.parametrize(
    "action", [Status.CONFIRMED, Status.CHECKED_IN, Status.CANCELLED, Status.NO_SHOW]
)
def test_the_service_does_exactly_what_the_page_offers(status, hours, action):
    user = UserFactory(groups=["front_desk"])
    with frozen_at(NOW):
        appointment = AppointmentFactory(
            kind=Kind.EXAM,
            start_at=NOW + timedelta(hours=hours),
            status=status,
            checked_in_at=NOW if status == Status.CHECKED_IN else None,
        )
        offered = actions.get_appointment_actions(
            appointment=appointment, now=NOW, can_book=True, can_record=False
        )
        expected = {
            Status.CONFIRMED: offered.confirm,
            Status.CHECKED_IN: offered.check_in,
            Status.CANCELLED: offered.cancel,
            Status.NO_SHOW: offered.no_show,
        }[action]
        assert _try(action, appointment, user) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "stamp", "detail"),
    [
        (Status.CONFIRMED, "confirmed_at", {}),
        (Status.CHECKED_IN, "checked_in_at", {}),
        (Status.CANCELLED, "cancelled_at", {"reason": "test"}),
        (Status.NO_SHOW, "", {"previous": Status.BOOKED}),
    ],
)
def test_a_status_change_is_stamped_and_audited_under_its_own_name(action, stamp, detail):
    user = UserFactory(groups=["front_desk"])
    # A no-show is marked after the start; the others are done before it.
    start_at = NOW + timedelta(hours=-1 if action == Status.NO_SHOW else 2)
    with frozen_at(NOW):
        appointment = AppointmentFactory(kind=Kind.EXAM, start_at=start_at, status=Status.BOOKED)
        assert _try(action, appointment, user)
    appointment.refresh_from_db()
    assert appointment.status == action
    if stamp:
        assert getattr(appointment, stamp) == NOW
    entry = AuditEntry.objects.get(appointment=appointment)
    assert (entry.action, entry.detail) == (action.value, detail)


@pytest.mark.django_db
def test_roles_limit_what_is_offered():
    appointment = AppointmentFactory(start_at=at(2026, 3, 2, 9), status=Status.BOOKED)
    front = actions.get_appointment_actions(
        appointment=appointment, now=NOW, can_book=True, can_record=False
    )
    manager = actions.get_appointment_actions(
        appointment=appointment, now=NOW, can_book=False, can_record=False
    )
    assert front.cancel and not front.complete
    assert not any(vars(manager).values())
