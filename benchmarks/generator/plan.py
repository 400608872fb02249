"""One patient's path through the pathway, planned as unsaved rows on a calendar of cells."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from benchmarks.generator.names import CELLS_PER_DAY, DAY_OPENS, DIAGNOSES
from bookings.models import Appointment, Course, Status
from reminders.models import Recall, RecallKind
from scheduler import clock
from scheduler.models import Category, Kind


class Calendar:
    """Free half-hour cells of each practitioner's Mon–Fri 09:00–17:00 days.

    Every appointment takes a whole cell (15-minute kinds leave the rest empty), so two
    live appointments of one practitioner can never overlap.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.free: dict[tuple[int, date], list[int]] = {}

    def take(
        self, day: date, practitioners: list[int], *, latest: date | None = None, tries: int = 10
    ) -> tuple[int, datetime] | None:
        """A free cell on ``day`` or the next working days (not after ``latest``)."""
        for _ in range(tries):
            while day.weekday() >= 5:
                day += timedelta(days=1)
            if latest is not None and day > latest:
                return None
            start = self.rng.randrange(len(practitioners))
            for offset in range(len(practitioners)):
                pid = practitioners[(start + offset) % len(practitioners)]
                cells = self.free.setdefault((pid, day), list(range(CELLS_PER_DAY)))
                if cells:
                    cell = cells.pop(self.rng.randrange(len(cells)))
                    return pid, clock.at(day, DAY_OPENS) + timedelta(minutes=30 * cell)
            day += timedelta(days=1)
        return None


@dataclass
class Plan:
    """Rows waiting for their foreign keys: appointments first, then what points at them."""

    first_pass: list[Appointment] = field(default_factory=list)  # exams, prescriptions
    rx_for: dict[int, tuple[Appointment, date]] = field(default_factory=dict)  # course -> rx
    injections: list[tuple[Appointment, int | None]] = field(default_factory=list)
    recalls: list[tuple[Recall, Appointment, Appointment | None]] = field(default_factory=list)


def appointment_row(
    course: Course, kind: str, pid: int, start_at: datetime, *, past: bool
) -> Appointment:
    treatment = course.treatment_type
    appointment = Appointment(
        course=course,
        patient_id=course.patient_id,
        practitioner_id=pid,
        kind=kind,
        start_at=start_at,
        end_at=start_at + timedelta(minutes=treatment.minutes_for(kind)),
        status=Status.COMPLETED if past else Status.BOOKED,
    )
    if kind == Kind.INJECTION:
        appointment.planned_units = treatment.typical_units
    if past:
        appointment.completed_at = appointment.end_at
        if kind == Kind.EXAM:
            appointment.diagnosis = DIAGNOSES[Category(treatment.category)]
        elif kind == Kind.INJECTION:
            appointment.product = "onabotulinumtoxinA"
            appointment.units_given = treatment.typical_units
            appointment.lot = f"C{start_at:%y%m}{pid % 100:02d}"
    return appointment


def plan_course(
    course: Course,
    plan: Plan,
    calendar: Calendar,
    qualified: dict[tuple[str, str], list[int]],
    rng: random.Random,
    *,
    today: date,
    horizon: date,
    history_days: int,
) -> None:
    """One patient's path so far: where they stand is drawn, the history follows from it."""
    treatment = course.treatment_type
    code = treatment.code
    therapeutic = treatment.requires_prescription
    yesterday = today - timedelta(days=1)
    tomorrow = today + timedelta(days=1)
    step = rng.random()

    def book(kind: str, day: date, *, past: bool) -> Appointment | None:
        found = calendar.take(
            day, qualified[code, kind], latest=yesterday if past else horizon, tries=5
        )
        if found is None:
            return None
        appointment = appointment_row(course, kind, found[0], found[1], past=past)
        if kind != Kind.INJECTION:
            plan.first_pass.append(appointment)
        return appointment

    def future_day() -> date:
        return tomorrow + timedelta(days=rng.randrange(max(1, (horizon - tomorrow).days)))

    if step < 0.08:  # new patient: exam booked
        book(Kind.EXAM, future_day(), past=False)
        return
    first_injection = today - timedelta(days=rng.randrange(7, history_days))
    exam_day = first_injection - timedelta(days=rng.randrange(7, 28))
    if step < 0.16:  # examined recently, prescription (or first injection) to come
        exam_day = today - timedelta(days=rng.randrange(3, 40))
    exam = book(Kind.EXAM, exam_day, past=True)
    if exam is None:
        return
    exam_day = clock.local_date(exam.start_at)
    rx: Appointment | None = None
    rx_day = exam_day + timedelta(days=rng.randrange(1, 6))
    if therapeutic and qualified[code, Kind.PRESCRIPTION]:
        past = step >= 0.12 and rx_day < today
        rx = book(Kind.PRESCRIPTION, rx_day if past else future_day(), past=past)
        if rx is None or not past:
            return
        rx_day = clock.local_date(rx.start_at)
        plan.rx_for[course.pk] = (rx, rx_day)
    elif therapeutic:
        return
    if step < 0.16:  # prescribed or consulted, first injection booked
        if rng.random() < 0.6:
            _inject(plan, course, book(Kind.INJECTION, future_day(), past=False), rx)
        return

    # Injected: every recall interval (give or take two weeks) since the first one.
    interval = course.effective_recall_interval_days
    day = max(first_injection, rx_day + timedelta(days=1))
    last: Appointment | None = None
    while day < today:
        given = book(Kind.INJECTION, day, past=True)
        if given is None:
            break
        _inject(plan, course, given, rx)
        if last is not None:
            _close_recall(plan, last, given)
        last = given
        if rng.random() < 0.2:
            break  # stopped coming: the last recall goes overdue, then lapses
        day += timedelta(days=max(treatment.min_reinjection_days, interval + rng.randint(-7, 14)))
    if last is None:
        return
    due = clock.local_date(last.start_at) + timedelta(days=interval)
    booked_next = None
    # A prescription that has run out needs a new exam first: such a recall stays open.
    rx_valid = rx is None or due <= rx_day + timedelta(days=365)
    if rx_valid and due <= horizon + timedelta(days=14) and rng.random() < 0.4:
        booked_next = book(Kind.INJECTION, max(due, tomorrow), past=False)
        _inject(plan, course, booked_next, rx)
    _recall(plan, course, last, RecallKind.REINJECTION, due, booked_next)
    if treatment.review_after_days:
        review_due = clock.local_date(last.start_at) + timedelta(days=treatment.review_after_days)
        review = None
        if review_due > today and rng.random() < 0.5:
            review = book(Kind.REVIEW, review_due, past=False)
        _recall(plan, course, last, RecallKind.REVIEW, review_due, review)


def _inject(
    plan: Plan, course: Course, injection: Appointment | None, rx: Appointment | None
) -> None:
    if injection is not None:
        plan.injections.append((injection, course.pk if rx is not None else None))


def _recall(
    plan: Plan,
    course: Course,
    source: Appointment,
    kind: RecallKind,
    due_on: date,
    booked: Appointment | None,
) -> None:
    recall = Recall(
        patient_id=course.patient_id,
        course=course,
        treatment_type=course.treatment_type,
        kind=kind,
        due_on=due_on,
        last_injection_on=clock.local_date(source.start_at),
    )
    plan.recalls.append((recall, source, booked))


def _close_recall(plan: Plan, previous: Appointment, following: Appointment) -> None:
    """The previous injection's recalls, closed by the injection that followed."""
    course = previous.course
    interval = course.effective_recall_interval_days
    _recall(
        plan,
        course,
        previous,
        RecallKind.REINJECTION,
        clock.local_date(previous.start_at) + timedelta(days=interval),
        following,
    )
    review_days = course.treatment_type.review_after_days
    if review_days:
        due = clock.local_date(previous.start_at) + timedelta(days=review_days)
        _recall(plan, course, previous, RecallKind.REVIEW, due, None)
