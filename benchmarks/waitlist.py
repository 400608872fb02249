"""A cancellation with 10,000 waitlist entries (docs/rules.md#waitlist).

10,000 migraine patients wait for an injection; one in five has a written prescription
(the rest are refused by the pathway), a third want another week, a tenth another
practitioner. An exam at 10:00 next Tuesday is cancelled; measured from that commit:
the offer task's work until the fitting offers are in the outbox and handed to the
broker (``reminders.offers.engine.offer_freed_time``), and its SQL queries, at 1,000
and at 10,000 entries to show they do not grow with the list.
"""

import random
from datetime import date, time, timedelta
from time import perf_counter

from django.db import connection, transaction

from benchmarks import data
from benchmarks.processes import purge_queues
from benchmarks.report import Row, Timing, counting_queries, verdict
from benchmarks.sizes import Sizes
from bookings import services
from bookings.models import Appointment, Course, Prescription, Status
from bookings.waitlist.models import WaitlistEntry, WaitlistStatus
from reminders.models import Message
from reminders.offers.engine import offer_freed_time
from reminders.offers.models import FreedTime, WaitlistOffer
from scheduler import clock
from scheduler.models import Kind, Practitioner

SECTION = "9. waitlist offers"
BUDGET_MS = 200.0
PRESCRIBED_EVERY = 5


def _prescribe(courses: list[Course], who: Practitioner) -> None:
    """An exam with a diagnosis and a written prescription, a month ago, one a half hour."""
    begins = clock.at(clock.today() - timedelta(days=30), time(0))
    visits, rows = [], []
    for n, course in enumerate(courses):
        start = begins - timedelta(minutes=60 * n)
        for offset, kind in ((0, Kind.EXAM), (30, Kind.PRESCRIPTION)):
            at = start + timedelta(minutes=offset)
            visits.append(
                Appointment(
                    course=course,
                    patient_id=course.patient_id,
                    practitioner=who,
                    kind=kind,
                    start_at=at,
                    end_at=at + timedelta(minutes=30),
                    status=Status.COMPLETED,
                    diagnosis="Chronic migraine" if kind == Kind.EXAM else "",
                )
            )
    Appointment.objects.bulk_create(visits, batch_size=5000)
    written_on = clock.local_date(begins)
    for course, written in zip(courses, visits[1::2], strict=True):
        rows.append(
            Prescription(
                course=course,
                appointment=written,
                units_per_session=155,
                sessions=4,
                written_on=written_on,
                valid_until=written_on + timedelta(days=365),
            )
        )
    Prescription.objects.bulk_create(rows, batch_size=5000)


def _waitlist(count: int, staff: list[Practitioner], day: date, rng: random.Random) -> None:
    courses = data.make_courses(count)
    _prescribe(courses[::PRESCRIBED_EVERY], staff[1])
    now = clock.now()
    rows = []
    for n, course in enumerate(courses):
        week_later = rng.random() < 1 / 3
        earliest = day + timedelta(days=7 if week_later else -1)
        rows.append(
            WaitlistEntry(
                patient_id=course.patient_id,
                course=course,
                treatment_type_id=course.treatment_type_id,
                kind=Kind.INJECTION,
                earliest_on=earliest,
                latest_on=earliest + timedelta(days=14),
                practitioner=staff[2] if rng.random() < 0.1 else None,
                created_at=now - timedelta(minutes=count - n),
            )
        )
    WaitlistEntry.objects.bulk_create(rows, batch_size=5000)
    data.analyze()
    # As autovacuum would after such a load: without statistics the planner sorts the
    # whole list instead of walking the waiting-order index.
    with connection.cursor() as cursor:
        for table in ("bookings_waitlistentry", "bookings_course", "bookings_prescription"):
            cursor.execute(f"ANALYZE {table}")


def _cancel_and_offer(doctor: Practitioner, day: date) -> tuple[float, int, int]:
    """Cancel the 10:00 exam, then run the offer task on what it freed (ms, queries, offers)."""
    course = Course.objects.order_by("id").first()
    assert course is not None
    start_at = clock.at(day, time(10))
    visit = Appointment.objects.create(
        course=course,
        patient_id=course.patient_id,
        practitioner=doctor,
        kind=Kind.EXAM,
        start_at=start_at,
        end_at=start_at + timedelta(minutes=30),
    )
    with transaction.atomic():
        services.cancel_appointment(appointment=visit, by=None, reason="bench")
    freed = FreedTime.objects.get(start_at=start_at, closed_at__isnull=True)
    with counting_queries() as count:
        began = perf_counter()
        offers = offer_freed_time(freed_id=freed.pk)
        elapsed = (perf_counter() - began) * 1000
    # Put the list back for the next run.
    WaitlistOffer.objects.all().delete()
    Message.objects.all().delete()
    FreedTime.objects.all().delete()
    WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).update(
        status=WaitlistStatus.WAITING
    )
    visit.delete()
    return elapsed, count[0], len(offers)


def run(sizes: Sizes) -> list[Row]:
    rng = random.Random(sizes.seed)
    day = data.next_monday() + timedelta(days=1)
    counts = (sizes.waitlist_counts[0], sizes.waitlist_counts[-1])
    found: dict[int, tuple[list[float], list[int], int]] = {}
    for count in counts:
        data.reset()
        staff = data.make_practitioners(3, ["migraine"], prefix="Waitlist")
        _waitlist(count, staff, day, rng)
        times, queries, offered = [], [], 0
        for _ in range(sizes.waitlist_runs + 1):
            elapsed, used, offered = _cancel_and_offer(staff[0], day)
            times.append(elapsed)
            queries.append(used)
        found[count] = (times[1:], queries[1:], offered)  # the first run warms up
    purge_queues()

    small, large = counts
    timing = Timing(found[large][0])
    few, many = max(found[small][1]), max(found[large][1])
    return [
        Row(
            SECTION,
            "cancellation → offers queued",
            f"{large:,} waitlist entries, {found[large][2]} offered",
            timing.text(),
            f"≤ {BUDGET_MS:.0f} ms",
            verdict(timing.median <= BUDGET_MS),
            {**timing.as_dict(), "offers": found[large][2]},
        ),
        Row(
            SECTION,
            "queries independent of the list",
            f"{small:,} vs {large:,} entries",
            f"{few} / {many}",
            "same count",
            verdict(few == many),
            {"small": few, "large": many},
        ),
    ]
