"""One slot, many bookers: exactly one wins, the others hear "slot taken", none crash.

PostgreSQL tests run real threads, each with its own connection, against committed
data (``transaction=True``); tests/conftest.py puts the seeded catalogue and groups
back after the flush that follows.
"""

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from rest_framework.test import APIClient

from bookings import services
from bookings.errors import PatientBusy, SlotTaken
from bookings.models import Appointment, Course, Status
from scheduler.models import Kind
from tests.clock import NOW, at, frozen_at
from tests.factories import (
    AppointmentFactory,
    PatientFactory,
    PractitionerFactory,
    UserFactory,
    treatment,
)

THREADS = 8
transactional = pytest.mark.django_db(transaction=True)


def run_together(work: Callable[[int], str]) -> Counter[str]:
    """Start every thread at one barrier; each closes its own connection when done."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def target(i: int) -> None:
        try:
            barrier.wait()
            outcome = work(i)
        except Exception as exc:  # any other error is a failure the test must show
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return Counter(outcomes)


@pytest.mark.postgres
@transactional
@pytest.mark.parametrize("same_patient", [False, True], ids=["patients", "one-patient"])
def test_concurrent_service_bookings_of_one_slot_create_exactly_one(same_patient):
    doctor = PractitionerFactory()
    user = UserFactory(username="desk", groups=["front_desk"])
    shared = PatientFactory()
    patients = [shared if same_patient else PatientFactory() for _ in range(THREADS)]
    migraine = treatment("migraine")

    def work(i: int) -> str:
        with frozen_at(NOW):
            try:
                services.book_appointment(
                    patient=patients[i],
                    practitioner=doctor,
                    treatment=migraine,
                    kind=Kind.EXAM,
                    start_at=at(2026, 3, 3, 10) + timedelta(minutes=15 * (i % 2)),
                    by=user,
                )
            except SlotTaken:
                return "taken"
        return "booked"

    outcomes = run_together(work)
    assert outcomes == {"booked": 1, "taken": THREADS - 1}
    assert Appointment.objects.filter(practitioner=doctor).count() == 1
    # Losers that were a patient's first booking leave no course behind.
    assert Course.objects.count() == 1


@pytest.mark.postgres
@transactional
def test_concurrent_bookings_of_one_patient_with_many_practitioners_create_exactly_one():
    doctors = [PractitionerFactory() for _ in range(THREADS)]
    user = UserFactory(username="desk", groups=["front_desk"])
    patient = PatientFactory()
    migraine = treatment("migraine")

    def work(i: int) -> str:
        with frozen_at(NOW):
            try:
                services.book_appointment(
                    patient=patient,
                    practitioner=doctors[i],
                    treatment=migraine,
                    kind=Kind.EXAM,
                    start_at=at(2026, 3, 3, 10) + timedelta(minutes=15 * (i % 2)),
                    by=user,
                )
            except PatientBusy:
                return "busy"
        return "booked"

    outcomes = run_together(work)
    assert outcomes == {"booked": 1, "busy": THREADS - 1}
    assert Appointment.objects.filter(patient=patient).count() == 1


@pytest.mark.postgres
@transactional
def test_concurrent_api_bookings_of_one_slot_answer_201_once_and_409_otherwise():
    doctor = PractitionerFactory()
    patients = [PatientFactory() for _ in range(THREADS)]
    user = UserFactory(username="desk", groups=["front_desk"])

    def work(i: int) -> str:
        client = APIClient()
        client.force_authenticate(user)
        with frozen_at(NOW):
            response = client.post(
                "/api/v1/appointments/",
                {
                    "patient": patients[i].pk,
                    "practitioner": doctor.pk,
                    "treatment_type": "migraine",
                    "kind": "exam",
                    "start": at(2026, 3, 3, 10).isoformat(),
                },
                format="json",
            )
        if response.status_code == 409:
            assert response.json()["code"] == "slot_taken"
        return str(response.status_code)

    outcomes = run_together(work)
    assert outcomes == {"201": 1, "409": THREADS - 1}
    assert Appointment.objects.filter(practitioner=doctor).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_refuses_an_overlapping_row_written_past_the_service():
    doctor = PractitionerFactory()
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 10))
    with pytest.raises(IntegrityError, match="appointment_no_overlap"), transaction.atomic():
        AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 10, 15))


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_allows_back_to_back_and_ignores_cancelled_rows():
    doctor = PractitionerFactory()
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 10))
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 10, 30))
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 9, 30))
    cancelled = AppointmentFactory(
        practitioner=doctor, start_at=at(2026, 3, 3, 11), status=Status.CANCELLED
    )
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 11, 15))
    AppointmentFactory(practitioner=PractitionerFactory(), start_at=at(2026, 3, 3, 10))
    # Un-cancelling into a clash is refused too.
    cancelled.status = Status.BOOKED
    with pytest.raises(IntegrityError), transaction.atomic():
        cancelled.save()


@pytest.mark.postgres
@transactional
def test_a_clash_the_check_cannot_see_yet_is_still_slot_taken():
    """B checks while A's insert is uncommitted, so only the constraint can stop B."""
    doctor = PractitionerFactory()
    user = UserFactory(username="desk", groups=["front_desk"])
    first, second = PatientFactory(), PatientFactory()
    inserted, release = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def book(patient: Any) -> None:
        with frozen_at(NOW):
            services.book_appointment(
                patient=patient,
                practitioner=doctor,
                treatment=treatment("migraine"),
                kind=Kind.EXAM,
                start_at=at(2026, 3, 3, 10),
                by=user,
            )

    def a() -> None:
        try:
            with transaction.atomic():
                book(first)
                inserted.set()
                release.wait(timeout=30)
            outcomes["a"] = "booked"
        finally:
            connections.close_all()

    def b() -> None:
        try:
            book(second)
            outcomes["b"] = "booked"
        except SlotTaken:
            outcomes["b"] = "taken"
        finally:
            connections.close_all()

    ta = threading.Thread(target=a)
    ta.start()
    assert inserted.wait(timeout=30)
    tb = threading.Thread(target=b)
    tb.start()
    # Wait until B is blocked on A's row: it has passed its own check by then.
    with connection.cursor() as cursor:
        for _ in range(3000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.01)
        else:
            pytest.fail("the second booking never waited for the first")
    release.set()
    ta.join(timeout=30)
    tb.join(timeout=30)
    assert outcomes == {"a": "booked", "b": "taken"}
    assert Appointment.objects.filter(practitioner=doctor).count() == 1
    assert not Course.objects.filter(patient=second).exists()


@pytest.mark.django_db
def test_the_service_itself_refuses_an_overlap_on_any_database():
    doctor = PractitionerFactory()
    user = UserFactory(username="desk", groups=["front_desk"])
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 10))
    with frozen_at(NOW), pytest.raises(SlotTaken):
        services.book_appointment(
            patient=PatientFactory(),
            practitioner=doctor,
            treatment=treatment("migraine"),
            kind=Kind.EXAM,
            start_at=at(2026, 3, 3, 10, 15),
            by=user,
        )
    assert Appointment.objects.filter(practitioner=doctor).count() == 1
