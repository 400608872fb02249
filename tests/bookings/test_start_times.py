"""A start is one real clinic instant on the 15-minute grid, on the API, the web and moves."""

from datetime import UTC, datetime, time

import pytest

from bookings.errors import PathwayError
from bookings.models import Appointment
from bookings.start_times import check_on_grid, clinic_moment
from tests.bookings.support import act, book, client_for
from tests.clock import NOW, TZ, at, frozen_at
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory

# --- the rules, without a database -------------------------------------------------


def test_a_naive_time_in_the_spring_forward_gap_is_refused_in_plain_words():
    with pytest.raises(PathwayError) as refused:
        clinic_moment(datetime(2026, 3, 8, 2, 30))
    assert refused.value.code == "time_does_not_exist"
    assert refused.value.message.startswith("02:30 on Sun 8 Mar 2026 does not exist")


def test_a_naive_time_in_the_doubled_hour_asks_for_an_offset():
    with pytest.raises(PathwayError) as refused:
        clinic_moment(datetime(2026, 11, 1, 1, 30))
    assert refused.value.code == "time_is_ambiguous"
    assert "-04:00 for the first, -05:00 for the second" in refused.value.message


def test_an_ordinary_naive_time_is_clinic_time_and_an_aware_one_is_kept():
    assert clinic_moment(datetime(2026, 3, 9, 2, 30)) == datetime(2026, 3, 9, 2, 30, tzinfo=TZ)
    aware = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert clinic_moment(aware) is aware


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 3, 3, 10, 7, tzinfo=TZ),
        datetime(2026, 3, 3, 10, 15, 30, tzinfo=TZ),
        datetime(2026, 3, 3, 10, 15, 0, 1, tzinfo=TZ),
    ],
    ids=["minute", "seconds", "microseconds"],
)
def test_a_start_off_the_grid_is_refused(start):
    with pytest.raises(PathwayError) as refused:
        check_on_grid(start, grid_minutes=15)
    assert refused.value.code == "off_the_grid"
    assert ":00, :15, :30 or :45 past the hour" in refused.value.message


def test_starts_on_the_grid_pass_in_any_zone_they_are_given_in():
    check_on_grid(datetime(2026, 3, 3, 10, 45, tzinfo=TZ), grid_minutes=15)
    check_on_grid(datetime(2026, 3, 3, 15, 45, tzinfo=UTC), grid_minutes=15)


# --- the API -------------------------------------------------------------------------


@pytest.fixture
def desk(db):
    return client_for("front_desk")


@pytest.mark.django_db
def test_the_api_refuses_a_naive_start_in_the_spring_forward_gap(desk):
    night = PractitionerFactory(hours=([6], time(0), time(6)))  # Sundays 00:00–06:00
    with frozen_at(NOW):
        response = book(
            desk,
            patient=PatientFactory(),
            practitioner=night,
            treatment_type="migraine",
            kind="exam",
            start="2026-03-08T02:30:00",
        )
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "time_does_not_exist"
    assert "clocks go forward" in response.json()["detail"]
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_the_api_reads_a_naive_start_as_clinic_time(desk):
    with frozen_at(NOW):
        response = book(
            desk,
            patient=PatientFactory(),
            practitioner=PractitionerFactory(),
            treatment_type="migraine",
            kind="exam",
            start="2026-03-09T10:00:00",
        )
    assert response.status_code == 201, response.json()
    assert response.json()["start"] == "2026-03-09T10:00:00-04:00"


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["2026-03-03T10:07:00-05:00", "2026-03-03T10:15:00.250000-05:00"])
def test_the_api_refuses_a_start_off_the_grid(desk, start):
    with frozen_at(NOW):
        response = book(
            desk,
            patient=PatientFactory(),
            practitioner=PractitionerFactory(),
            treatment_type="migraine",
            kind="exam",
            start=start,
        )
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "off_the_grid"
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_moving_off_the_grid_is_refused_and_changes_nothing(desk):
    appointment = AppointmentFactory(start_at=at(2026, 3, 3, 10))
    with frozen_at(NOW):
        response = act(desk, appointment.pk, "move", start="2026-03-04T10:00:01-05:00")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "off_the_grid"
    appointment.refresh_from_db()
    assert appointment.start_at == at(2026, 3, 3, 10)
