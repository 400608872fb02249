"""Recall sweep (docs/performance.md): the SMS rows for N recalls due, queued by the sweep service.

``reminders.sweeps.sweep_recalls`` is called as beat's task calls it. Between runs the
outbox is emptied, so every run queues the same N rows.
"""

import tracemalloc
from datetime import timedelta
from time import perf_counter

from django.db import connection

from benchmarks import data
from benchmarks.processes import purge_queues
from benchmarks.report import Row, Timing, counting_queries, verdict
from benchmarks.sizes import Sizes
from reminders.models import Message
from reminders.sweeps import sweep_recalls
from scheduler import clock

SECTION = "3. recall sweep"
BUDGET_SECONDS = 10.0
BUDGET_AT = 100_000


def run(sizes: Sizes) -> list[Row]:
    rows: list[Row] = []
    query_counts: dict[int, int] = {}
    for count in sizes.sweep_counts:
        today = clock.today()
        data.reset()
        # Due in the "due soon" and "due" stages (the last 42 days and the next 14).
        data.fill_recalls(
            count=count, due_from=today - timedelta(days=27), due_days=42, today=today
        )
        data.analyze()
        if count == sizes.sweep_counts[0]:
            sweep_recalls(as_of=today)  # warm-up: templates, broker connection
        times: list[float] = []
        queries: list[int] = []
        queued = 0
        for _ in range(sizes.sweep_runs):
            _empty_outbox()
            with counting_queries() as counted:
                started = perf_counter()
                result = sweep_recalls(as_of=today)
                times.append((perf_counter() - started) * 1000)
            queries.append(counted[0])
            queued = result.queued
        _empty_outbox()
        tracemalloc.start()
        sweep_recalls(as_of=today)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        _empty_outbox()
        purge_queues()
        query_counts[count] = max(queries)
        timing = Timing(times)
        judged = count >= BUDGET_AT
        rows.append(
            Row(
                SECTION,
                "time to queue the SMS rows",
                f"{count:,} recalls due ({queued:,} SMS queued)",
                f"{timing.median / 1000:.2f} s ({timing.low / 1000:.2f}–{timing.high / 1000:.2f}, "
                f"n={len(times)}), {max(queries)} queries, peak {peak / 2**20:.0f} MiB",
                f"≤ {BUDGET_SECONDS:.0f} s" if judged else "",
                verdict(timing.median / 1000 <= BUDGET_SECONDS) if judged else "-",
                {**timing.as_dict(), "queries": max(queries), "peak_bytes": peak, "queued": queued},
            )
        )
    same = len(set(query_counts.values())) == 1
    rows.append(
        Row(
            SECTION,
            "queries independent of N",
            " vs ".join(f"{n:,}" for n in query_counts),
            " vs ".join(str(q) for q in query_counts.values()),
            "same count",
            verdict(same),
            {str(n): q for n, q in query_counts.items()},
        )
    )
    return rows


def _empty_outbox() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Message._meta.db_table} CASCADE")
