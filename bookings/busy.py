"""Busy time for the slot search: live appointments and time off, as integers.

One read per search whatever the range (docs/architecture.md, "slot search reads"): on
PostgreSQL a statement written out whose timestamps arrive as integers
(``bookings/pg_micros.py``), elsewhere the ORM. ``tests/bookings/test_busy_both_ways.py``
holds the two to one answer.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import IntegerField, Value

from bookings.models import LIVE_STATUSES, Appointment, Status
from bookings.pg_micros import SINCE_UNIX_EPOCH, micros_cursor
from scheduler.models import TimeOff
from scheduler.selectors import overlapping
from scheduler.slots import Span, to_micros

# The key under which ``get_busy`` returns the patient's own appointments: no practitioner
# has this id, and the slot search treats them as busy time for every practitioner.
PATIENT_BUSY = -1


def get_busy(
    practitioner_ids: Iterable[int],
    start_at: datetime,
    end_at: datetime,
    *,
    patient_id: int | None = None,
    exclude_id: int | None = None,
) -> dict[int, list[Span]]:
    """Live appointments and time off overlapping the range, per practitioner.

    In microseconds (``scheduler.slots.Span``), and in one query: to the slot search
    both are simply time that is not free. With ``patient_id``, the patient's own live
    appointments come back too, under ``PATIENT_BUSY``. ``exclude_id`` leaves out an
    appointment being moved, so its own time stays free to it.
    """
    ids = list(practitioner_ids)
    if connection.vendor == "postgresql":
        return _busy_sql(ids, start_at, end_at, patient_id=patient_id, exclude_id=exclude_id)
    return _busy_orm(ids, start_at, end_at, patient_id=patient_id, exclude_id=exclude_id)


# PostgreSQL, where the budgets are measured: one statement written out. Built by the ORM
# (three querysets and their union) it cost more than the database took to answer it.
# Every instant comes back as an integer (bookings/pg_micros.py).
_BUSY_SQL = """
SELECT practitioner_id, start_at, end_at
FROM {appointment}
WHERE practitioner_id = ANY(%(ids)s) AND start_at < %(end)s AND end_at > %(start)s
  AND status <> %(cancelled)s AND (%(exclude)s::bigint IS NULL OR id <> %(exclude)s)
UNION ALL
SELECT practitioner_id, start_at, end_at
FROM {time_off}
WHERE practitioner_id = ANY(%(ids)s) AND start_at < %(end)s AND end_at > %(start)s
UNION ALL
SELECT %(patient_busy)s::bigint, start_at, end_at
FROM {appointment}
WHERE patient_id = %(patient)s AND start_at < %(end)s AND end_at > %(start)s
  AND status = ANY(%(live)s) AND (%(exclude)s::bigint IS NULL OR id <> %(exclude)s)
"""


def _busy_sql(
    ids: list[int],
    start_at: datetime,
    end_at: datetime,
    *,
    patient_id: int | None,
    exclude_id: int | None,
) -> dict[int, list[Span]]:
    """``get_busy`` on PostgreSQL (``tests/bookings/test_busy_both_ways.py`` holds it to
    the ORM's answer)."""
    sql = _BUSY_SQL.format(
        appointment=connection.ops.quote_name(Appointment._meta.db_table),
        time_off=connection.ops.quote_name(TimeOff._meta.db_table),
    )
    params: dict[str, Any] = {
        "ids": ids,
        "start": start_at,
        "end": end_at,
        "cancelled": str(Status.CANCELLED),
        "exclude": exclude_id,
        "patient_busy": PATIENT_BUSY,
        "patient": patient_id,  # NULL: no row of the patient's
        "live": [str(s) for s in LIVE_STATUSES],
    }
    busy: dict[int, list[Span]] = defaultdict(list)
    shift = SINCE_UNIX_EPOCH
    with micros_cursor() as cursor:
        cursor.execute(sql, params)
        for pid, start_us, end_us in cursor.fetchall():
            busy[pid].append((start_us + shift, end_us + shift))
    return busy


def _busy_orm(
    ids: list[int],
    start_at: datetime,
    end_at: datetime,
    *,
    patient_id: int | None,
    exclude_id: int | None,
) -> dict[int, list[Span]]:
    """``get_busy`` through the ORM, for SQLite: there the datetimes are converted here,
    as it has no exact epoch expression (strftime keeps milliseconds at most)."""
    meets = overlapping(start_at, end_at)
    others = Appointment.objects.exclude(pk=exclude_id) if exclude_id else Appointment.objects
    appointments = (
        others.filter(meets, practitioner_id__in=ids).exclude(status=Status.CANCELLED).order_by()
    )
    time_off = TimeOff.objects.filter(meets, practitioner_id__in=ids).order_by()
    query = appointments.values_list("practitioner_id", "start_at", "end_at").union(
        time_off.values_list("practitioner_id", "start_at", "end_at"), all=True
    )
    if patient_id is not None:
        mine = (
            others.filter(meets, patient_id=patient_id, status__in=LIVE_STATUSES)
            .annotate(owner=Value(PATIENT_BUSY, output_field=IntegerField()))
            .order_by()
        )
        query = query.union(mine.values_list("owner", "start_at", "end_at"), all=True)
    busy: dict[int, list[Span]] = defaultdict(list)
    for pid, start_at_, end_at_ in query:
        busy[pid].append((to_micros(start_at_), to_micros(end_at_)))
    return busy
