"""Who fits a freed time: window, practitioner, part of day and every booking rule."""

import pytest

from bookings.waitlist.fits import CHUNK, list_fitting_entries
from tests.clock import at
from tests.factories import AppointmentFactory, PractitionerFactory
from tests.waitlist import FREED_AT, ready_patient, wait, waitlist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def ids(fits):
    return [f.entry.pk for f in fits]


def test_only_the_patients_every_rule_allows_fit_in_waiting_order():
    w = waitlist()
    fits = list_fitting_entries(practitioner=w.doctor, start_at=FREED_AT)
    assert ids(fits) == [w.first.pk, w.second.pk, w.third.pk, w.fourth.pk]
    assert fits[0].end_at == at(2026, 3, 3, 10, 30)


def test_want_stops_the_search_once_enough_fit():
    w = waitlist()
    assert ids(list_fitting_entries(practitioner=w.doctor, start_at=FREED_AT, want=2)) == [
        w.first.pk,
        w.second.pk,
    ]


def test_a_window_practitioner_or_part_of_day_that_does_not_match_is_left_out(frozen):
    w = waitlist()
    other = PractitionerFactory()
    late = wait(
        ready_patient(), waiting_since=w.first.created_at, earliest_on=at(2026, 3, 10).date()
    )
    elsewhere = wait(ready_patient(), waiting_since=w.first.created_at, practitioner=other)
    afternoons = wait(ready_patient(), waiting_since=w.first.created_at, parts_of_day=["afternoon"])
    found = ids(list_fitting_entries(practitioner=w.doctor, start_at=FREED_AT))
    assert {late.pk, elsewhere.pk, afternoons.pk}.isdisjoint(found)
    assert afternoons.pk in ids(
        list_fitting_entries(practitioner=w.doctor, start_at=at(2026, 3, 3, 14))
    )


def test_a_patient_busy_then_or_a_practitioner_not_free_is_left_out():
    w = waitlist()
    AppointmentFactory(
        patient=w.first.patient, kind="exam", treatment_code="neck-pain", start_at=FREED_AT
    )
    assert w.first.pk not in ids(list_fitting_entries(practitioner=w.doctor, start_at=FREED_AT))
    AppointmentFactory(practitioner=w.doctor, start_at=FREED_AT)
    assert list_fitting_entries(practitioner=w.doctor, start_at=FREED_AT) == []


def test_a_time_in_the_past_or_off_the_grid_fits_nobody():
    w = waitlist()
    assert list_fitting_entries(practitioner=w.doctor, start_at=at(2026, 3, 1, 10)) == []
    assert list_fitting_entries(practitioner=w.doctor, start_at=at(2026, 3, 3, 10, 7)) == []


def test_a_booked_patient_is_offered_only_an_earlier_time_and_their_own_visit_is_no_obstacle():
    patient = ready_patient()
    later = AppointmentFactory(
        patient=patient, kind="injection", start_at=at(2026, 3, 20), planned_units=155
    )
    entry = wait(patient, waiting_since=at(2026, 2, 1))
    assert entry.appointment == later
    doctor = PractitionerFactory()
    assert ids(list_fitting_entries(practitioner=doctor, start_at=FREED_AT)) == [entry.pk]
    assert list_fitting_entries(practitioner=doctor, start_at=at(2026, 3, 24)) == []


def test_queries_stay_the_same_whatever_the_length_of_the_list(django_assert_max_num_queries):
    w = waitlist()
    for n in range(CHUNK * 2):
        wait(ready_patient(), waiting_since=at(2026, 2, 20, 9, n % 60))
    with django_assert_max_num_queries(9):
        assert len(list_fitting_entries(practitioner=w.doctor, start_at=FREED_AT, want=3)) == 3
