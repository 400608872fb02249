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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from django.db import transaction

from bookings.models import Appointment, Course, Patient, Prescription, Status
from reminders.models import Recall, RecallKind, RecallStatus
from scheduler import clock
from scheduler.models import Category, Kind, Practitioner, Role, TreatmentType, WorkingHours

BATCH = 5000
CELLS_PER_DAY = 16  # half hours from 09:00 to 17:00
DAY_OPENS = clock_time(9)
DENTAL = {"bruxism", "jaw-clenching", "tmj"}
# How often each indication walks in; migraine and frown lines are the bulk of the work.
TYPE_WEIGHTS = {
    "migraine": 20,
    "neck-pain": 6,
    "bruxism": 6,
    "jaw-clenching": 3,
    "tmj": 3,
    "trigger-points": 3,
    "shoulder-back-pain": 3,
    "muscle-spasms": 3,
    "hyperhidrosis": 5,
    "forehead-lines": 12,
    "frown-lines": 18,
    "crows-feet": 12,
    "laugh-lines": 5,
}
FIRST_NAMES = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Charlotte",
    "William",
    "Amelia",
    "Benjamin",
    "Sophia",
    "Lucas",
    "Mia",
    "Ethan",
    "Harper",
    "Jacob",
    "Ava",
    "Jack",
    "Chloe",
    "Leo",
    "Zoe",
    "Nathan",
    "Alice",
    "Samuel",
    "Léa",
    "Thomas",
    "Maya",
    "Gabriel",
    "Nora",
    "Félix",
]
LAST_NAMES = [
    "Martin",
    "Tremblay",
    "Roy",
    "Gagnon",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Singh",
    "Nguyen",
    "Smith",
    "Brown",
    "Wilson",
    "Chen",
    "Patel",
]
DIAGNOSES = {
    Category.THERAPEUTIC: "Chronic condition confirmed on examination; botulinum toxin indicated.",
    Category.COSMETIC: "Dynamic lines suitable for treatment.",
}


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
class _Plan:
    """Rows waiting for their foreign keys: appointments first, then what points at them."""

    first_pass: list[Appointment] = field(default_factory=list)  # exams, prescriptions
    rx_for: dict[int, tuple[Appointment, date]] = field(default_factory=dict)  # course -> rx
    injections: list[tuple[Appointment, int | None]] = field(default_factory=list)
    recalls: list[tuple[Recall, Appointment, Appointment | None]] = field(default_factory=list)


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
        staff = _make_practitioners(practitioners, types, rng)
        qualified = _qualified(staff, types)
        people = _make_patients(patients, rng)
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
        plan = _Plan()
        for course in courses:
            _plan_course(
                course,
                plan,
                calendar,
                qualified,
                rng,
                today=today,
                horizon=horizon,
                history_days=history_days,
            )
        counts = _write(plan, rng, today=today)
    return GeneratedClinic(
        practitioners=len(staff),
        patients=len(people),
        courses=len(courses),
        appointments=counts[0],
        prescriptions=counts[1],
        recalls=counts[2],
        seconds=time.perf_counter() - started,
    )


def _make_practitioners(
    count: int, types: dict[str, TreatmentType], rng: random.Random
) -> list[Practitioner]:
    """Physicians, nurse injectors and dentists in turn; the dentists decide TMJ and bruxism."""
    general = [
        c for c, t in types.items() if t.category == Category.THERAPEUTIC and c not in DENTAL
    ]
    cosmetic = [c for c, t in types.items() if t.category == Category.COSMETIC]
    roles = [
        (Role.PHYSICIAN, (True, True, True), general + cosmetic),
        (Role.NURSE_INJECTOR, (True, False, True), [*cosmetic, "migraine", "neck-pain"]),
        (Role.DENTIST, (True, True, True), [*DENTAL, *cosmetic]),
    ]
    staff: list[Practitioner] = []
    wanted: list[list[str]] = []
    for number in range(count):
        role, (examine, prescribe, inject), codes = roles[number % len(roles)]
        staff.append(
            Practitioner(
                name=f"{'Dr. ' if role != Role.NURSE_INJECTOR else ''}"
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} ({number + 1})",
                role=role,
                can_examine=examine,
                can_prescribe=prescribe,
                can_inject=inject,
            )
        )
        wanted.append([c for c in codes if c in types])
    staff = Practitioner.objects.bulk_create(staff)
    link = Practitioner.treatment_types.through
    link.objects.bulk_create(
        link(practitioner_id=p.pk, treatmenttype_id=types[code].pk)
        for p, codes in zip(staff, wanted, strict=True)
        for code in codes
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=p, weekday=d, start_time=DAY_OPENS, end_time=clock_time(17))
        for p in staff
        for d in range(5)
    )
    return staff


def _qualified(
    staff: list[Practitioner], types: dict[str, TreatmentType]
) -> dict[tuple[str, str], list[int]]:
    codes = {p.pk: set(p.treatment_types.values_list("code", flat=True)) for p in staff}
    flags = {
        Kind.EXAM: "can_examine",
        Kind.PRESCRIPTION: "can_prescribe",
        Kind.INJECTION: "can_inject",
    }
    found: dict[tuple[str, str], list[int]] = {}
    for code in types:
        for kind, flag in flags.items():
            found[code, kind] = [p.pk for p in staff if getattr(p, flag) and code in codes[p.pk]]
        found[code, Kind.REVIEW] = found[code, Kind.EXAM]
    return found


def _make_patients(count: int, rng: random.Random) -> list[Patient]:
    now = clock.now()
    rows = []
    for number in range(count):
        consent = rng.random() < 0.92
        opted_out = consent and rng.random() < 0.03
        rows.append(
            Patient(
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50)),
                # E.164 numbers of a reserved-looking block, unique per patient.
                phone=f"+1416{2000000 + number:07d}",
                sms_consent=consent,
                sms_consent_at=now if consent else None,
                sms_consent_source="front_desk" if consent else "",
                sms_opted_out=opted_out,
                sms_opted_out_at=now if opted_out else None,
                phone_invalid=rng.random() < 0.01,
            )
        )
    return Patient.objects.bulk_create(rows, batch_size=BATCH)


def _appointment(
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


def _plan_course(
    course: Course,
    plan: _Plan,
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
        appointment = _appointment(course, kind, found[0], found[1], past=past)
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
    plan: _Plan, course: Course, injection: Appointment | None, rx: Appointment | None
) -> None:
    if injection is not None:
        plan.injections.append((injection, course.pk if rx is not None else None))


def _recall(
    plan: _Plan,
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


def _close_recall(plan: _Plan, previous: Appointment, following: Appointment) -> None:
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


def _batches(rows: list[Appointment]) -> Iterator[list[Appointment]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _write(plan: _Plan, rng: random.Random, *, today: date) -> tuple[int, int, int]:
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
            twin = _appointment(
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
