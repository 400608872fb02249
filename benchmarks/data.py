"""Bench data: an empty clinic between measurements, and rows by the hundred thousand.

The realistic history comes from ``benchmarks.generator``; the fills here are shaped for
one measurement each (exactly N recalls due, a calendar exactly half booked) and use
INSERT … SELECT generate_series, so a million recalls take seconds, not minutes.
"""

import math
import random
import re
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from bookings.models import Appointment, Course, Funding, Patient, Status
from scheduler import clock
from scheduler.models import Kind, Practitioner, TreatmentType, WorkingHours

# Treatments with the 90-day recall interval, so a recall is due 90 days after its injection.
NINETY_DAY_TYPES = ["migraine", "frown-lines", "neck-pain", "crows-feet", "forehead-lines"]
CELLS_PER_DAY = 16  # half hours, 09:00–17:00

CLINIC_TABLES = [
    "bookings_patient",
    "scheduler_practitioner",
    "reminders_message",
    "reminders_sendpace",
]


def reset() -> None:
    """Every patient, practitioner and message gone; the catalogue and users stay."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(CLINIC_TABLES)} RESTART IDENTITY CASCADE")


def analyze() -> None:
    """Fresh planner statistics (and visibility maps), as autovacuum would give production.

    Every table, not only the big three: autovacuum would otherwise get to the others
    (courses, audit entries, links…) during the measurement, on the same two cores. Then a
    checkpoint: the rows just made (and the million an earlier section made) are written
    out now, not by the server's checkpointer in the middle of the measurement.
    """
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
            return
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def next_monday(today: date | None = None) -> date:
    today = today or clock.today()
    return today + timedelta(days=7 - today.weekday())


def make_practitioners(
    count: int, codes: list[str], *, prefix: str = "Bench"
) -> list[Practitioner]:
    """Qualified for everything in ``codes``, working Mon–Fri 09:00–17:00."""
    staff = Practitioner.objects.bulk_create(
        Practitioner(
            name=f"{prefix} practitioner {n + 1:03d}",
            role="physician",
            can_examine=True,
            can_prescribe=True,
            can_inject=True,
        )
        for n in range(count)
    )
    link = Practitioner.treatment_types.through
    type_ids = list(TreatmentType.objects.filter(code__in=codes).values_list("pk", flat=True))
    link.objects.bulk_create(
        link(practitioner_id=p.pk, treatmenttype_id=t) for p in staff for t in type_ids
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=p, weekday=d, start_time=time(9), end_time=time(17))
        for p in staff
        for d in range(5)
    )
    return staff


def make_patients(count: int) -> list[Patient]:
    """Consenting patients with nothing booked yet."""
    now = clock.now()
    return Patient.objects.bulk_create(
        (
            Patient(
                first_name="Bench",
                last_name=f"Patient {n:06d}",
                phone=f"+1647{3000000 + n:07d}",
                sms_consent=True,
                sms_consent_at=now,
                sms_consent_source="bench",
            )
            for n in range(count)
        ),
        batch_size=5000,
    )


def make_courses(count: int, code: str = "migraine") -> list[Course]:
    """Consenting patients with one course each."""
    patients = make_patients(count)
    treatment = TreatmentType.objects.get(code=code)
    return Course.objects.bulk_create(
        (Course(patient=p, treatment_type=treatment) for p in patients), batch_size=5000
    )


def book_calendar(
    staff: list[Practitioner],
    courses: list[Course],
    *,
    first: date,
    days: int,
    share: float,
    rng: random.Random,
) -> int:
    """Book ``share`` of every working half hour of ``staff`` (0.5: half the time taken)."""
    taken = round(CELLS_PER_DAY * share)
    rows: list[Appointment] = []
    for day in (first + timedelta(days=n) for n in range(days)):
        if day.weekday() >= 5:
            continue
        opens = clock.at(day, time(9))
        for index, practitioner in enumerate(staff):
            for cell in sorted(rng.sample(range(CELLS_PER_DAY), taken)):
                # Different patients in one half hour: a patient is in one place at a time.
                course = courses[(cell * len(staff) + index) % len(courses)]
                start_at = opens + timedelta(minutes=30 * cell)
                rows.append(
                    Appointment(
                        course=course,
                        patient_id=course.patient_id,
                        practitioner=practitioner,
                        kind=Kind.EXAM,
                        start_at=start_at,
                        end_at=start_at + timedelta(minutes=30),
                        status=Status.BOOKED,
                    )
                )
    Appointment.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


@dataclass(frozen=True)
class Fill:
    recalls: int
    patients: int
    courses: int
    appointments: int
    practitioners: int


def fill_recalls(
    *,
    count: int,
    due_from: date,
    due_days: int,
    today: date,
    courses_per_patient: int = 1,
    injections_per_course: int = 1,
    mixed: bool = False,
) -> Fill:
    """``count`` reinjection recalls due from ``due_from`` over ``due_days`` days, in SQL.

    Each course had ``injections_per_course`` completed injections 90 days apart, each
    with its recall: the earlier ones booked by the next injection, the latest one
    pending (or, with ``mixed``, in the states a clinic's history leaves them). The
    injections fill working-day half hours of their own practitioners, so the
    no-overlap constraint holds.
    """
    per_course = injections_per_course
    m = courses_per_patient
    if not 1 <= m <= len(NINETY_DAY_TYPES):
        raise ValueError(f"courses_per_patient must be 1–{len(NINETY_DAY_TYPES)}")
    n_courses = math.ceil(count / per_course)
    n_patients = math.ceil(n_courses / m)
    per_day = math.ceil(n_courses / due_days) * per_course
    n_staff = max(1, math.ceil(per_day / CELLS_PER_DAY))
    types = dict(TreatmentType.objects.filter(code__in=NINETY_DAY_TYPES).values_list("code", "pk"))
    type_ids = [types[code] for code in NINETY_DAY_TYPES[:m]]
    tag = f"bench-{uuid.uuid4().hex[:12]}"
    params = {
        "tag": tag,
        "np": n_patients,
        "nc": n_courses,
        "m": m,
        "E": per_course,
        "D": due_days,
        "P": n_staff,
        "types": type_ids,
        "due_from": due_from,
        "today": today,
        "tz": settings.CLINIC_TIME_ZONE,
        "mixed": mixed,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        staff = make_practitioners(n_staff, NINETY_DAY_TYPES, prefix=tag)
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # The ids below are computed and checked, so the foreign-key triggers (most of
            # a million-row insert's time) are skipped; unique and exclusion constraints
            # are indexes and still hold.
            cursor.execute("SET LOCAL session_replication_role = replica")
        params["staff"] = [p.pk for p in staff]
        params["self_pay"] = str(Funding.SELF_PAY)
        _insert(
            cursor,
            """
            INSERT INTO bookings_patient (first_name, last_name, date_of_birth, phone, email,
                sms_consent, sms_consent_at, sms_consent_source, sms_opted_out,
                sms_opted_out_at, phone_invalid, callback_requested_at, created_at, updated_at,
                search_name)
            SELECT 'Bench', 'Patient ' || g, NULL, '+1' || (6470000000 + g)::text, '',
                true, now(), %(tag)s, false, NULL, false, NULL, now(), now(),
                -- what bookings.folding.search_name gives for these plain ASCII names
                'bench patient ' || g
            FROM generate_series(0, %(np)s - 1) AS g ORDER BY g
            """,
            params,
        )
        params["p0"] = _first_id(cursor, "bookings_patient", "sms_consent_source", tag, n_patients)
        _insert(
            cursor,
            """
            INSERT INTO bookings_course (patient_id, treatment_type_id, recall_interval_days,
                created_at, funding)
            SELECT %(p0)s + c / %(m)s, (%(types)s::bigint[])[1 + c %% %(m)s], NULL, now(),
                %(self_pay)s
            FROM generate_series(0, %(nc)s - 1) AS c ORDER BY c
            """,
            params,
        )
        params["c0"] = _first_id(cursor, "bookings_course", "patient_id", params["p0"], None)
        _insert(
            cursor,
            """
            INSERT INTO bookings_appointment (course_id, patient_id, practitioner_id, kind,
                start_at, end_at, status, planned_units, override_reason, overridden_rules,
                prescription_id, diagnosis, product, units_given, lot, site_units, notes,
                cancel_reason, confirmed_at, checked_in_at, completed_at, cancelled_at,
                created_by_id, completed_by_id, created_at, updated_at)
            SELECT %(c0)s + c, %(p0)s + c / %(m)s,
                (%(staff)s::bigint[])[1 + (slot %% %(P)s)], 'injection',
                s, s + interval '30 minutes', 'completed', 50, '', '[]'::jsonb, NULL, '',
                'onabotulinumtoxinA', 50, 'BENCH', '[]'::jsonb, '', '', NULL, NULL,
                s + interval '30 minutes', NULL, NULL, NULL, now(), now()
            FROM (
                SELECT c, e, (c / %(D)s) * %(E)s + e AS slot,
                    ((%(due_from)s::date + (c %% %(D)s) - 90 * (%(E)s - e)) + time '09:00')
                        AT TIME ZONE %(tz)s
                    + (((c / %(D)s) * %(E)s + e) / %(P)s) * interval '30 minutes' AS s
                FROM generate_series(0, %(nc)s - 1) AS c, generate_series(0, %(E)s - 1) AS e
            ) AS x
            ORDER BY c, e
            """,
            params,
        )
        params["a0"] = _first_id(cursor, "bookings_appointment", "course_id", params["c0"], None)
        _insert(
            cursor,
            """
            INSERT INTO reminders_recall (patient_id, course_id, treatment_type_id, kind,
                source_appointment_id, due_on, last_injection_on, status,
                booked_appointment_id, reminded_at, booked_at, lapsed_at, dismissed_at,
                dismissed_reason, dismissed_by_id, created_at, updated_at)
            SELECT patient_id, course_id, treatment_type_id, 'reinjection', source, due,
                due - 90, status,
                CASE WHEN e < %(E)s - 1 THEN source + 1 END,
                CASE WHEN status = 'reminded' THEN now() END,
                CASE WHEN status = 'booked' THEN now() END,
                CASE WHEN status = 'lapsed' THEN now() END,
                CASE WHEN status = 'dismissed' THEN now() END,
                CASE WHEN status = 'dismissed' THEN 'moved away' ELSE '' END,
                NULL, now(), now()
            FROM (
                SELECT *, CASE
                    WHEN e < %(E)s - 1 THEN 'booked'
                    WHEN NOT %(mixed)s THEN 'pending'
                    WHEN due <= %(today)s::date - 90 THEN CASE
                        WHEN h < 5 THEN 'dismissed' WHEN h < 25 THEN 'booked' ELSE 'lapsed' END
                    WHEN due < %(today)s::date THEN CASE
                        WHEN h < 5 THEN 'dismissed' WHEN h < 45 THEN 'booked'
                        WHEN h < 75 THEN 'reminded' ELSE 'pending' END
                    WHEN due <= %(today)s::date + 14 THEN CASE
                        WHEN h < 20 THEN 'booked' WHEN h < 60 THEN 'reminded' ELSE 'pending' END
                    ELSE CASE WHEN h < 10 THEN 'booked' ELSE 'pending' END
                END AS status
                FROM (
                    SELECT c, e, %(p0)s + c / %(m)s AS patient_id, %(c0)s + c AS course_id,
                        (%(types)s::bigint[])[1 + c %% %(m)s] AS treatment_type_id,
                        %(a0)s + c * %(E)s + e AS source, (c * 37 + e * 11) %% 100 AS h,
                        %(due_from)s::date + (c %% %(D)s) - 90 * (%(E)s - 1 - e) AS due
                    FROM generate_series(0, %(nc)s - 1) AS c,
                        generate_series(0, %(E)s - 1) AS e
                ) AS r
            ) AS s
            ORDER BY c, e
            """,
            params,
        )
    return Fill(
        recalls=n_courses * per_course,
        patients=n_patients,
        courses=n_courses,
        appointments=n_courses * per_course,
        practitioners=n_staff,
    )


def _first_id(
    cursor: CursorWrapper, table: str, column: str, value: int | str, expect: int | None
) -> int:
    """The first id of rows just inserted in one statement (a contiguous block, checked)."""
    op = "=" if isinstance(value, str) else ">="
    cursor.execute(
        # Table and column names are this module's constants, never input.
        f"SELECT min(id), max(id), count(*) FROM {table} WHERE {column} {op} %s",  # noqa: S608
        [value],
    )
    low, high, rows = cursor.fetchone()
    if expect is not None and rows != expect:
        raise RuntimeError(f"{table}: expected {expect} new rows, found {rows}")
    if high - low + 1 != rows:
        raise RuntimeError(f"{table}: new ids are not one block; cannot number them")
    return int(low)


def _insert(cursor: Any, sql: str, params: dict[str, Any]) -> None:
    """Run a bulk ``INSERT … SELECT``, adding every column it does not name that has a
    model default, with that default: a field added to a model later cannot break it."""
    head = re.match(r"\s*INSERT INTO (\w+) \((.*?)\)\s*SELECT", sql, flags=re.S)
    assert head is not None, sql
    table, named = head.group(1), {c.strip() for c in head.group(2).split(",")}
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    extra: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        column = field.column
        if not column or field.primary_key or column in named:
            continue
        if field.null and not field.has_default():
            continue  # NULL is what the model gives it too
        default = field.get_default()  # "" for a text field without one, as the ORM writes
        if default is not None:
            extra[column] = field.get_db_prep_save(default, connection)
    if extra:
        keys = {column: f"default_{column}" for column in extra}
        columns = "".join(f", {column}" for column in extra)
        values = "".join(f", %({key})s" for key in keys.values())
        sql = sql.replace(head.group(2), head.group(2) + columns, 1)
        select_end = re.compile(r"\n\s*FROM\s").search(sql, head.end())
        assert select_end is not None, sql
        sql = sql[: select_end.start()] + values + sql[select_end.start() :]
        params = {**params, **{keys[c]: v for c, v in extra.items()}}
    cursor.execute(sql, params)
