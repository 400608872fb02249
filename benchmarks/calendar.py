"""Calendar day page (docs/performance.md): server time and queries for a full day.

10 practitioners with 30 appointments each on one day (every kind, some patients with
alerts), and ``GET /calendar/?date=`` through Django's whole stack in this process for a
signed-in front desk user: the figure is server time. The query count is compared with
an almost empty day's, so it cannot grow with the day.
"""

from datetime import date, time, timedelta

from django.contrib.auth.models import Group, User
from django.test import Client

from benchmarks import data
from benchmarks.report import Row, measure, verdict
from benchmarks.sizes import Sizes
from bookings import roles
from bookings.models import Appointment, Course, Patient, Status
from scheduler import clock
from scheduler.models import Kind, Practitioner, TreatmentType

SECTION = "8. calendar day page"
BUDGET_MS = 150.0
KINDS = [Kind.EXAM, Kind.PRESCRIPTION, Kind.INJECTION, Kind.REVIEW]


def run(sizes: Sizes) -> list[Row]:
    data.reset()
    day = data.next_monday()
    path = f"/calendar/?date={day:%Y-%m-%d}"
    user, _ = User.objects.get_or_create(username="bench-frontdesk")
    user.groups.add(Group.objects.get(name=roles.FRONT_DESK))
    browser = Client()
    browser.force_login(user)

    staff = data.make_practitioners(sizes.calendar_practitioners, ["migraine"], prefix="Cal")
    _book_day(staff[:1], day, 1)
    quiet_timing, quiet_queries = measure(lambda: _get(browser, path), runs=2)
    Appointment.objects.all().delete()
    _book_day(staff, day, sizes.calendar_appointments)
    timing, queries = measure(lambda: _get(browser, path), runs=sizes.calendar_runs)
    size = f"{len(staff)} practitioners × {sizes.calendar_appointments} appointments"
    return [
        Row(
            SECTION,
            f"GET {path.split('?')[0]}",
            size,
            f"{timing.text()}, {max(queries)} queries",
            f"≤ {BUDGET_MS:.0f} ms",
            verdict(timing.median <= BUDGET_MS),
            {**timing.as_dict(), "queries": max(queries)},
        ),
        Row(
            SECTION,
            "queries independent of the day's size",
            f"1 appointment vs {size}",
            f"{max(quiet_queries)} / {max(queries)}",
            "same count",
            verdict(max(quiet_queries) == max(queries)),
            {"quiet": max(quiet_queries), "full": max(queries), "quiet_ms": quiet_timing.median},
        ),
    ]


def _get(client: Client, path: str) -> object:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return response


def _book_day(staff: list[Practitioner], day: date, per_practitioner: int) -> None:
    """Back-to-back 15-minute visits from 08:00, a different patient each (no overlap)."""
    migraine = TreatmentType.objects.get(code="migraine")
    patients = data.make_patients(len(staff) * per_practitioner)
    courses = Course.objects.bulk_create(
        Course(patient=patient, treatment_type=migraine) for patient in patients
    )
    first = clock.at(day, time(8))
    rows = []
    for n, course in enumerate(courses):
        practitioner, slot = staff[n // per_practitioner], n % per_practitioner
        start = first + timedelta(minutes=15 * slot)
        rows.append(
            Appointment(
                course=course,
                patient=course.patient,
                practitioner=practitioner,
                kind=KINDS[slot % len(KINDS)],
                status=Status.BOOKED,
                start_at=start,
                end_at=start + timedelta(minutes=15),
            )
        )
    Appointment.objects.bulk_create(rows)
    Patient.objects.filter(pk__in=[p.pk for p in patients[::5]]).update(alerts="Latex allergy")
