"""A believable clinic history at any size, written with bulk inserts (benchmarks, load tests).

Unlike the demo seed, nothing goes through the booking service: a year of history for
tens of thousands of patients has to be written in seconds. The rows still obey every
database rule (one course per patient and type, the no-overlap exclusion constraint
for live appointments, one recall per injection and kind), and follow the pathway:
exam before prescription before injection, injections a recall interval apart, a
recall for every injection, closed by the next one.

Deterministic: the same seed and the same ``today`` give the same clinic.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from benchmarks.generator.names import BATCH, TYPE_WEIGHTS
from benchmarks.generator.people import make_patients, make_practitioners, qualified_for
from benchmarks.generator.plan import Calendar, Plan, plan_course
from benchmarks.generator.write import write
from bookings.models import Course
from scheduler import clock
from scheduler.models import Kind, TreatmentType


@dataclass(frozen=True)
class GeneratedClinic:
    practitioners: int
    patients: int
    courses: int
    appointments: int
    prescriptions: int
    recalls: int
    seconds: float

    @property
    def rows(self) -> int:
        return (
            self.practitioners
            + self.patients
            + self.courses
            + self.appointments
            + self.prescriptions
            + self.recalls
        )


def generate_clinic(
    *,
    patients: int,
    practitioners: int,
    days: int,
    seed: int = 1,
    today: date | None = None,
    history_days: int = 365,
) -> GeneratedClinic:
    """Practitioners, patients at every pathway step, a year of history, ``days`` ahead booked."""
    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or clock.today()
    horizon = today + timedelta(days=days)
    types = {t.code: t for t in TreatmentType.objects.filter(active=True)}
    with transaction.atomic():
        staff = make_practitioners(practitioners, types, rng)
        qualified = qualified_for(staff, types)
        people = make_patients(patients, rng)
        codes = [code for code in TYPE_WEIGHTS if code in types and qualified[code, Kind.EXAM]]
        weights = [TYPE_WEIGHTS[code] for code in codes]
        courses = Course.objects.bulk_create(
            [
                Course(patient=p, treatment_type=types[rng.choices(codes, weights)[0]])
                for p in people
            ],
            batch_size=BATCH,
        )
        calendar = Calendar(rng)
        plan = Plan()
        for course in courses:
            plan_course(
                course,
                plan,
                calendar,
                qualified,
                rng,
                today=today,
                horizon=horizon,
                history_days=history_days,
            )
        counts = write(plan, rng, today=today)
    return GeneratedClinic(
        practitioners=len(staff),
        patients=len(people),
        courses=len(courses),
        appointments=counts[0],
        prescriptions=counts[1],
        recalls=counts[2],
        seconds=time.perf_counter() - started,
    )
