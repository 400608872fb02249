"""Lot recall (docs/performance.md): a lot's patients with a million injections on record.

The injections are completed migraine injections spread over ``lot_count`` lots, written
with INSERT … SELECT generate_series; the patients and courses go through the ORM. One
lot's recall is read through Django's whole stack in this process (token auth, DRF,
serialisation; no socket), as the page and as the CSV.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client
from knox.models import AuthToken

from benchmarks import data
from benchmarks.report import Row, measure, verdict
from benchmarks.sizes import Sizes
from bookings import roles
from bookings.models import Appointment
from scheduler.models import Lot

SECTION = "6. lot recall"
BUDGET_MS = 300.0
PATIENTS_PER_INJECTIONS = 20  # each bench patient had this many injections
PRACTITIONERS = 20


def fill_injections(*, count: int, lots: int) -> list[Lot]:
    """``count`` completed injections, lot ``n % lots`` each, no two at once for anybody."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE scheduler_lot RESTART IDENTITY CASCADE")
    made = Lot.objects.bulk_create(
        Lot(
            product="Botox",
            lot_number=f"B{n:06d}",
            expires_on="2030-12-31",
            vials_received=1000,
            units_per_vial=100,
        )
        for n in range(lots)
    )
    staff = data.make_practitioners(PRACTITIONERS, ["migraine"], prefix="lots")
    courses = data.make_courses(max(count // PATIENTS_PER_INJECTIONS, 1))
    params: dict[str, Any] = {
        "n": count,
        "lots": [lot.pk for lot in made],
        "staff": [p.pk for p in staff],
        "courses": len(courses),
        "c0": courses[0].pk,
        "p0": courses[0].patient_id,
        "P": PRACTITIONERS,
    }
    # Courses and patients were made in one block each, so their ids are consecutive.
    assert courses[-1].pk - courses[0].pk == len(courses) - 1
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # The ids are computed, so the foreign-key triggers are skipped for speed;
            # the no-overlap exclusion constraints are indexes and still hold.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO bookings_appointment (course_id, patient_id, practitioner_id, kind,
                start_at, end_at, status, planned_units, override_reason, overridden_rules,
                prescription_id, diagnosis, product, units_given, lot, product_lot_id,
                vial_id, site_units, notes, cancel_reason, confirmed_at, checked_in_at,
                completed_at, cancelled_at, created_by_id, completed_by_id, created_at,
                updated_at)
            SELECT %(c0)s + g %% %(courses)s, %(p0)s + g %% %(courses)s,
                (%(staff)s::bigint[])[1 + g %% %(P)s], 'injection', s,
                s + interval '30 minutes', 'completed', 155, '', '[]'::jsonb, NULL, '',
                'Botox', 155, '', (%(lots)s::bigint[])[1 + g %% cardinality(%(lots)s::bigint[])],
                NULL, '[]'::jsonb, '', '', NULL, NULL, s + interval '30 minutes', NULL, NULL,
                NULL, now(), now()
            FROM (
                -- A practitioner's own half hours, one after another, ending before today.
                SELECT g, timestamptz '2020-01-01 00:00+00'
                    + (g / %(P)s) * interval '30 minutes' AS s
                FROM generate_series(0, %(n)s - 1) AS g
            ) AS x
            ORDER BY g
            """,
            params,
        )
    # Fresh statistics for every table the recall joins, as autovacuum would give:
    # stale patient counts made the planner scan all patients instead of 1,000 by id.
    with connection.cursor() as cursor:
        for table in ("bookings_appointment", "bookings_patient", "scheduler_practitioner"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return made


def run(sizes: Sizes) -> list[Row]:
    data.reset()
    lots = fill_injections(count=sizes.lot_injections, lots=sizes.lot_count)
    lot = lots[len(lots) // 2]
    on_record = Appointment.objects.count()
    in_lot = Appointment.objects.filter(product_lot=lot).count()
    user, _ = User.objects.get_or_create(username="bench-clinician")
    user.groups.add(Group.objects.get(name=roles.CLINICIAN))
    token = AuthToken.objects.create(user=user)[1]
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    browser = Client()
    browser.force_login(user)
    endpoints: list[tuple[str, str, Client, bool]] = [
        ("GET /api/v1/lots/{id}/patients/", f"/api/v1/lots/{lot.pk}/patients/", api, True),
        ("recall page", f"/lots/{lot.pk}/recall/", browser, False),
        ("recall CSV", f"/lots/{lot.pk}/recall.csv", browser, False),
    ]
    rows: list[Row] = []
    for label, path, client, budgeted in endpoints:
        status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        timing, queries = measure(_getter(client, path), runs=sizes.lot_runs)
        rows.append(
            Row(
                SECTION,
                label,
                f"{in_lot:,} of {on_record:,} injections",
                f"{timing.text()}, {max(queries)} queries",
                f"≤ {BUDGET_MS:.0f} ms" if budgeted else "",
                verdict(timing.median <= BUDGET_MS) if budgeted else "-",
                {**timing.as_dict(), "queries": max(queries), "path": path},
            )
        )
    return rows


def _getter(client: Client, path: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(path)
        # A streamed CSV is only produced when read.
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return response

    return get
