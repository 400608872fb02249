"""Slot search over a realistic calendar: correct around everything, bounded in queries."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from bookings.busy import get_busy
from bookings.models import Appointment, Status
from bookings.selectors import list_slots
from scheduler.models import Kind, TimeOff
from scheduler.selectors import range_bounds
from scheduler.slots import to_micros
from tests.bookings.support import client_for
from tests.clock import NOW, at
from tests.factories import (
    AppointmentFactory,
    PatientFactory,
    PractitionerFactory,
    course_for,
    treatment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
FIRST, LAST = date(2026, 3, 2), date(2026, 3, 29)  # 28 days, the spring-forward inside
HALF_HOUR = timedelta(minutes=30)


@pytest.fixture
def clinic():
    """10 qualified practitioners, Mon–Fri 09:00–17:00, each with a booking every day."""
    doctors = [PractitionerFactory(name=f"Dr. {i:02d}") for i in range(10)]
    PractitionerFactory(name="Dr. Teeth", treatment_types=["tmj"])  # not for migraine
    PractitionerFactory(name="Dr. Retired", active=False)
    patient = PatientFactory()
    course = course_for(patient, "migraine")
    rows = []
    day = FIRST
    while day <= LAST:
        if day.weekday() < 5:
            for i, doctor in enumerate(doctors):
                start = at(day.year, day.month, day.day, 9) + timedelta(minutes=45 * i)
                rows.append(
                    Appointment(
                        course=course,
                        patient=patient,
                        practitioner=doctor,
                        kind=Kind.EXAM,
                        start_at=start,
                        end_at=start + HALF_HOUR,
                    )
                )
        day += timedelta(days=1)
    Appointment.objects.bulk_create(rows)
    # Off the grid: the next start snaps to 11:45. Another patient's, as this one is busy
    # with Dr. 03 at 11:15.
    AppointmentFactory(practitioner=doctors[0], start_at=at(2026, 3, 4, 11, 10))
    AppointmentFactory(
        practitioner=doctors[1],
        start_at=at(2026, 3, 3, 14),
        status=Status.CANCELLED,
        patient=patient,
    )
    TimeOff.objects.create(
        practitioner=doctors[2], start_at=at(2026, 3, 9, 0), end_at=at(2026, 3, 14, 0)
    )
    TimeOff.objects.create(
        practitioner=doctors[3], start_at=at(2026, 3, 5, 12), end_at=at(2026, 3, 5, 13)
    )
    return doctors


def expected_slots(doctors, first: date, last: date, minutes: int = 30):
    """A brute-force answer: every quarter hour of the hours, checked one by one."""
    duration = timedelta(minutes=minutes)
    found = set()
    for doctor in doctors:
        busy = [
            (a.start_at, a.end_at)
            for a in Appointment.objects.filter(practitioner=doctor).exclude(
                status=Status.CANCELLED
            )
        ]
        busy += [(t.start_at, t.end_at) for t in TimeOff.objects.filter(practitioner=doctor)]
        day = first
        while day <= last:
            if day.weekday() < 5:
                for quarter in range(4 * 9, 4 * 17):
                    start = datetime.combine(
                        day, time(quarter // 4, 15 * (quarter % 4)), tzinfo=NOW.tzinfo
                    )
                    end = start + duration
                    if end.astimezone(UTC) > at(day.year, day.month, day.day, 17).astimezone(UTC):
                        continue
                    if start < NOW or any(s < end and start < e for s, e in busy):
                        continue
                    found.add((doctor.pk, start.astimezone(UTC)))
            day += timedelta(days=1)
    return found


def test_slots_match_a_brute_force_answer_over_four_weeks(clinic):
    slots = list_slots(treatment=treatment("migraine"), kind=Kind.EXAM, first=FIRST, last=LAST)
    assert {(s.practitioner_id, s.start_at) for s in slots} == expected_slots(clinic, FIRST, LAST)
    assert len(slots) == len({(s.practitioner_id, s.start_at) for s in slots})
    assert {s.practitioner_id for s in slots} == {d.pk for d in clinic}
    assert all(s.end_at - s.start_at == HALF_HOUR for s in slots)
    assert [(s.start_at, s.practitioner_id) for s in slots] == sorted(
        (s.start_at, s.practitioner_id) for s in slots
    )


def test_slots_step_around_bookings_time_off_and_hours(clinic):
    slots = list_slots(treatment=treatment("migraine"), kind=Kind.EXAM, first=FIRST, last=LAST)
    starts = {(s.practitioner_id, s.start_at) for s in slots}
    d0, d1, d2, d3 = (d.pk for d in clinic[:4])
    assert (d0, at(2026, 3, 4, 10, 30)) in starts  # 09:00 booking, then free from 09:30
    assert (d0, at(2026, 3, 4, 10, 45)) not in starts  # would run into 11:10
    assert (d0, at(2026, 3, 4, 11, 30)) not in starts
    assert (d0, at(2026, 3, 4, 11, 45)) in starts  # first quarter after 11:40
    assert (d1, at(2026, 3, 3, 14)) in starts  # cancelled booking does not block
    assert not [s for p, s in starts if p == d2 and at(2026, 3, 9, 0) <= s < at(2026, 3, 14)]
    assert (d3, at(2026, 3, 5, 11, 45)) not in starts  # would run into the time off
    assert (d3, at(2026, 3, 5, 12, 15)) not in starts
    assert (d3, at(2026, 3, 5, 13)) in starts
    assert not [s for _, s in starts if s.astimezone(NOW.tzinfo).weekday() >= 5]
    assert (d0, at(2026, 3, 2, 16, 30)) in starts and (d0, at(2026, 3, 2, 16, 45)) not in starts
    assert (d0, at(2026, 3, 9, 9, 30)) in starts  # first Monday of summer time


def test_slots_for_one_practitioner_only(clinic):
    slots = list_slots(
        treatment=treatment("migraine"),
        kind=Kind.EXAM,
        first=FIRST,
        last=LAST,
        practitioner_id=clinic[4].pk,
    )
    assert {(s.practitioner_id, s.start_at) for s in slots} == expected_slots(
        clinic[4:5], FIRST, LAST
    )


@pytest.mark.parametrize("days", [1, 7, 28])
@pytest.mark.parametrize("one_practitioner", [False, True])
def test_slot_search_takes_a_bounded_number_of_queries(
    clinic, django_assert_max_num_queries, days, one_practitioner
):
    patient = PatientFactory()
    AppointmentFactory(patient=patient, start_at=at(2026, 3, 2, 16), practitioner=clinic[0])
    migraine = treatment("migraine")
    for who in (None, patient):
        # Four queries, two more to know the patient's pathway.
        with django_assert_max_num_queries(6 if who else 4):
            list_slots(
                treatment=migraine,
                kind=Kind.PRESCRIPTION,
                first=FIRST,
                last=FIRST + timedelta(days=days - 1),
                practitioner_id=clinic[0].pk if one_practitioner else None,
                patient=who,
            )


def test_slot_search_over_the_api_shows_clinic_offsets(clinic, django_assert_max_num_queries):
    client = client_for("front_desk")
    url = "/api/v1/slots/?treatment_type=migraine&kind=exam&from=2026-03-06&to=2026-03-09"
    client.get(url)  # warm the user's role cache
    with django_assert_max_num_queries(8):
        response = client.get(url + f"&practitioner={clinic[0].pk}")
    assert response.status_code == 200
    body = response.json()
    assert body[0] == {
        "practitioner": clinic[0].pk,
        "start": "2026-03-06T09:30:00-05:00",
        "end": "2026-03-06T10:00:00-05:00",
    }
    monday = [s for s in body if s["start"].startswith("2026-03-09")]
    assert monday[0]["start"] == "2026-03-09T09:30:00-04:00"


def test_slot_search_rejects_a_backwards_or_huge_range():
    client = client_for("front_desk")
    base = "/api/v1/slots/?treatment_type=migraine&kind=exam"
    assert list(client.get(base + "&from=2026-03-09&to=2026-03-02").json()) == ["to"]
    assert list(client.get(base + "&from=2026-03-02&to=2026-12-31").json()) == ["to"]
    assert list(client.get(base + "&from=2026-03-02").json()) == ["to"]


def test_the_patient_filter_hides_injections_before_the_reinjection_interval():
    doctor = PractitionerFactory()
    patient = PatientFactory()
    AppointmentFactory(
        patient=patient,
        treatment_code="frown-lines",
        start_at=at(2026, 1, 5, 9),
        status=Status.COMPLETED,
    )
    AppointmentFactory(
        patient=patient,
        treatment_code="frown-lines",
        kind=Kind.INJECTION,
        start_at=at(2026, 1, 5, 9, 30),
        status=Status.COMPLETED,
        units_given=20,
    )
    common: dict[str, Any] = dict(
        treatment=treatment("frown-lines"),
        kind=Kind.INJECTION,
        first=date(2026, 4, 1),
        last=date(2026, 4, 7),
        practitioner_id=doctor.pk,
    )
    everyone = list_slots(**common)
    for_patient = list_slots(**common, patient=patient)
    assert min(s.start_at for s in everyone) == at(2026, 4, 1, 9)
    # 90 days after Mon 5 Jan is Sun 5 Apr: the first allowed working day is Mon 6 Apr.
    assert min(s.start_at for s in for_patient) == at(2026, 4, 6, 9)
    assert {s.start_at for s in for_patient} == {
        s.start_at for s in everyone if s.start_at >= at(2026, 4, 6, 0)
    }


def test_the_patient_filter_offers_a_prescription_only_after_the_exam_ends():
    doctor = PractitionerFactory()
    patient = PatientFactory()
    AppointmentFactory(patient=patient, start_at=at(2026, 3, 3, 11), practitioner=doctor)
    client = client_for("front_desk")
    response = client.get(
        "/api/v1/slots/?treatment_type=migraine&kind=prescription"
        f"&from=2026-03-02&to=2026-03-03&patient={patient.pk}"
    )
    assert response.status_code == 200
    assert response.json()[0]["start"] == "2026-03-03T11:30:00-05:00"
    nobody = PatientFactory()
    response = client.get(
        "/api/v1/slots/?treatment_type=migraine&kind=prescription"
        f"&from=2026-03-02&to=2026-03-03&patient={nobody.pk}"
    )
    assert response.json() == []


def test_busy_times_are_read_to_the_microsecond_and_in_utc():
    # The search reads busy times as integers: a clinic-zone shift (what Django's
    # Extract("epoch") would do) or a rounding would move every booking.
    doctor = PractitionerFactory()
    booked = AppointmentFactory(
        practitioner=doctor, start_at=at(2026, 3, 3, 9) + timedelta(seconds=7, microseconds=1)
    )
    off = TimeOff.objects.create(
        practitioner=doctor,
        start_at=at(2026, 3, 4, 12),
        end_at=at(2026, 3, 4, 13) - timedelta(microseconds=1),
    )
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 5, 9), status=Status.CANCELLED)
    AppointmentFactory(start_at=at(2026, 3, 5, 9))  # someone else's
    busy = get_busy([doctor.pk], *range_bounds(date(2026, 3, 2), date(2026, 3, 6)))
    assert list(busy) == [doctor.pk]
    assert sorted(busy[doctor.pk]) == [
        (to_micros(booked.start_at), to_micros(booked.end_at)),
        (to_micros(off.start_at), to_micros(off.end_at)),
    ]


def test_a_microsecond_of_a_booking_is_enough_to_block_a_start():
    doctor = PractitionerFactory()
    AppointmentFactory(
        practitioner=doctor,
        start_at=at(2026, 3, 3, 9),
        end_at=at(2026, 3, 3, 9, 45) + timedelta(microseconds=1),
    )
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 11) - timedelta(microseconds=1))
    starts = [
        s.start_at
        for s in list_slots(
            treatment=treatment("migraine"),
            kind=Kind.EXAM,
            first=date(2026, 3, 3),
            last=date(2026, 3, 3),
            practitioner_id=doctor.pk,
        )
    ]
    assert starts[:3] == [at(2026, 3, 3, 10), at(2026, 3, 3, 10, 15), at(2026, 3, 3, 11, 30)]


def test_slot_json_matches_what_the_serializer_writes():
    from datetime import UTC, datetime

    from bookings.api import slots_as_json
    from bookings.serializers import SlotSerializer
    from scheduler.slots import Slot

    slots = [
        Slot(3, datetime(2026, 3, 9, 14, 0, tzinfo=UTC), datetime(2026, 3, 9, 14, 30, tzinfo=UTC)),
        Slot(
            4, datetime(2026, 11, 2, 15, 15, tzinfo=UTC), datetime(2026, 11, 2, 15, 45, tzinfo=UTC)
        ),
    ]
    assert slots_as_json(slots) == list(SlotSerializer(slots, many=True).data)
    assert slots_as_json(slots)[0]["start"] == "2026-03-09T10:00:00-04:00"


def test_the_patient_filter_hides_injections_the_dose_limit_refuses():
    doctor = PractitionerFactory()
    patient = PatientFactory()
    AppointmentFactory(
        patient=patient,
        treatment_code="frown-lines",
        start_at=at(2026, 2, 20, 9),
        status=Status.COMPLETED,
    )
    AppointmentFactory(
        patient=patient,
        treatment_code="neck-pain",
        kind=Kind.INJECTION,
        start_at=at(2026, 2, 23, 9),
        status=Status.COMPLETED,
        units_given=390,
    )
    common: dict[str, Any] = dict(
        treatment=treatment("frown-lines"),
        kind=Kind.INJECTION,
        first=date(2026, 5, 14),
        last=date(2026, 5, 19),
        practitioner_id=doctor.pk,
    )
    # 390 + 20 typical units is over 400 until the neck injection is 84 days old.
    for_patient = list_slots(**common, patient=patient)
    assert min(s.start_at for s in for_patient) == at(2026, 5, 18, 9)
    # Planning 10 units fits now; a clinician about to override sees every day.
    assert min(s.start_at for s in list_slots(**common, patient=patient, planned_units=10)) == (
        at(2026, 5, 14, 9)
    )
    assert min(s.start_at for s in list_slots(**common, patient=patient, safety=False)) == (
        at(2026, 5, 14, 9)
    )
