"""The planned rows inserted in bulk, in the order their foreign keys need."""

import random
from collections.abc import Iterator
from datetime import date, timedelta

from benchmarks.generator.names import BATCH
from benchmarks.generator.plan import Plan, appointment_row
from bookings.models import Appointment, Prescription, Status
from reminders.models import Recall, RecallStatus
from scheduler import clock
from scheduler.models import Kind


def _batches(rows: list[Appointment]) -> Iterator[list[Appointment]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def write(plan: Plan, rng: random.Random, *, today: date) -> tuple[int, int, int]:
    """Insert in dependency order: exams and prescriptions, prescriptions, injections, recalls."""
    now = clock.now()
    Appointment.objects.bulk_create(plan.first_pass, batch_size=BATCH)
    prescriptions = {
        course_id: Prescription(
            course_id=course_id,
            appointment=rx,
            units_per_session=rx.course.treatment_type.typical_units,
            sessions=6,
            written_on=written_on,
            valid_until=written_on + timedelta(days=365),
        )
        for course_id, (rx, written_on) in plan.rx_for.items()
    }
    Prescription.objects.bulk_create(prescriptions.values(), batch_size=BATCH)
    injections = []
    for injection, course_id in plan.injections:
        if course_id is not None:
            injection.prescription = prescriptions[course_id]
        injections.append(injection)
    Appointment.objects.bulk_create(injections, batch_size=BATCH)
    # A cancelled booking may sit under a live one: cancelled rows never count as overlap.
    cancelled = []
    for appointment in rng.sample(injections, k=len(injections) // 30):
        if appointment.status == Status.BOOKED:
            twin = appointment_row(
                appointment.course,
                Kind.EXAM,
                appointment.practitioner_id,
                appointment.start_at,
                past=False,
            )
            twin.status, twin.cancelled_at, twin.cancel_reason = Status.CANCELLED, now, "rebooked"
            cancelled.append(twin)
    Appointment.objects.bulk_create(cancelled, batch_size=BATCH)

    recalls = []
    for recall, source, booked in plan.recalls:
        recall.source_appointment = source
        if booked is not None:
            recall.status, recall.booked_appointment, recall.booked_at = (
                RecallStatus.BOOKED,
                booked,
                booked.created_at or now,
            )
        elif recall.due_on <= today - timedelta(days=90):
            recall.status, recall.lapsed_at = RecallStatus.LAPSED, now
        elif recall.due_on <= today + timedelta(days=14) and rng.random() < 0.6:
            recall.status, recall.reminded_at = RecallStatus.REMINDED, now
        recalls.append(recall)
    Recall.objects.bulk_create(recalls, batch_size=BATCH)
    appointments = len(plan.first_pass) + len(injections) + len(cancelled)
    return appointments, len(prescriptions), len(recalls)
