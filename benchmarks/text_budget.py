"""SMS text budget (docs/performance.md): what deciding the budget adds to each send.

A million texts on record (a year of a clinic's outbox over 50,000 patients, filled
with ``INSERT … SELECT generate_series``), then queued texts of random patients
claimed one at a time, two ways: the claim as it was before the budget (one
statement, no lock) and the claim as a send makes it now (claim and lock the
patient, read their last 7 days and decide, commit). What the budget adds is the
difference of the medians: the commit (and its flush to disk) is paid by both. Statements counted at a tenth of the size and at the full size: the
count must not grow with the outbox.
"""

import random
from collections.abc import Callable, Iterator
from datetime import datetime
from time import perf_counter

from django.db import connection

from benchmarks import data
from benchmarks.report import Row, Timing, counting_queries, verdict
from benchmarks.sizes import Sizes
from bookings.models import Patient
from reminders import sending
from reminders.models import Message, Purpose
from scheduler import clock

SECTION = "6. SMS text budget"
BUDGET_MS = 1.0
PURPOSES = [
    str(Purpose.APPOINTMENT_REMINDER),
    str(Purpose.RECALL_DUE),
    str(Purpose.RECALL_DUE_SOON),
    str(Purpose.REVIEW),
    str(Purpose.BOOKING_CONFIRMATION),
    str(Purpose.STAFF_REPLY),
]

_FILL_SQL = """
INSERT INTO reminders_message (
    patient_id, "to", body, purpose, recall_id, stage, appointment_id, status,
    provider_sid, error_code, error_message, attempts, send_after, created_at,
    queued_at, sending_at, handed_over_at, sent_at, delivered_at, updated_at,
    in_reply_to_id, sent_by_id)
SELECT %(first)s + (g %% %(patients)s), '+16470000000', 'Bench text',
       (%(purposes)s::text[])[1 + (g %% %(npurposes)s)], NULL, '', NULL,
       (ARRAY['delivered','delivered','delivered','sent','undelivered','failed',
              'suppressed','unknown'])[1 + (g %% 8)],
       '', NULL, '', 1, t, t, t, t, t, t, t, t, NULL, NULL
FROM generate_series(%(start)s, %(stop)s - 1) AS g,
     LATERAL (SELECT %(now)s - (g::bigint * 7919 %% (365 * 24 * 60)) * interval '1 minute' AS t) AS at
"""


def run(sizes: Sizes) -> list[Row]:
    data.reset()
    data.make_patients(sizes.budget_patients)
    first = Patient.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    now = clock.now()
    rng = random.Random(sizes.seed)
    rows: list[Row] = []
    queries_by_size: dict[int, int] = {}
    steps = (sizes.budget_messages // 10, sizes.budget_messages)
    have = 0
    for count in steps:
        _fill(first=first, patients=sizes.budget_patients, start=have, stop=count, now=now)
        have = count
        _analyze()
        samples = [
            Message.objects.create(
                patient_id=first + rng.randrange(sizes.budget_patients),
                to="+16470000000",
                body="Bench text",
                purpose=Purpose.RECALL_DUE,
                send_after=now,
            )
            for _ in range(2 * (sizes.budget_runs + 1))
        ]
        # Alternating, so a busy moment on the machine weighs on both alike.
        plain = _claimer(iter(samples[::2]), now, budget_first=False)
        budgeted = _claimer(iter(samples[1::2]), now, budget_first=True)
        plain()
        budgeted()  # warm-up
        alone_ms: list[float] = []
        with_ms: list[float] = []
        queries: list[int] = []
        for _ in range(sizes.budget_runs):
            started = perf_counter()
            plain()
            alone_ms.append((perf_counter() - started) * 1000)
            with counting_queries() as statements:
                started = perf_counter()
                budgeted()
                with_ms.append((perf_counter() - started) * 1000)
            queries.append(statements[0])
        alone, timing = Timing(alone_ms), Timing(with_ms)
        added = timing.median - alone.median
        Message.objects.filter(pk__in=[m.pk for m in samples]).delete()
        queries_by_size[count] = max(queries)
        last = count == steps[-1]
        rows.append(
            Row(
                SECTION,
                "budget check added to each send",
                f"{count:,} messages, {sizes.budget_patients:,} patients",
                f"{added:.2f} ms (= claim with budget {timing.text()} − claim alone "
                f"{alone.text()}); {max(queries)} statements",
                f"≤ {BUDGET_MS:.0f} ms" if last else "",
                verdict(added <= BUDGET_MS) if last else "-",
                {
                    "added_ms": added,
                    "with_budget": timing.as_dict(),
                    "alone": alone.as_dict(),
                    "queries": max(queries),
                    "messages": count,
                },
            )
        )
    counts = sorted(set(queries_by_size.values()))
    rows.append(
        Row(
            SECTION,
            "statements independent of N",
            " vs ".join(f"{n:,}" for n in queries_by_size),
            "/".join(str(q) for q in queries_by_size.values()),
            "same count",
            verdict(len(counts) == 1),
            {str(n): q for n, q in queries_by_size.items()},
        )
    )
    return rows


# sending._CLAIM_SQL as it was before the budget: the baseline.
_CLAIM_BEFORE_BUDGET_SQL = """
WITH claimed AS (
    UPDATE reminders_message
    SET status = 'sending', sending_at = %(now)s, attempts = attempts + 1
    WHERE id = %(id)s AND status = 'queued' AND send_after <= %(now)s
    RETURNING id, patient_id, "to", body, purpose, recall_id, appointment_id, attempts
)
SELECT c.id, c.patient_id, c."to", c.body, c.purpose, c.recall_id, c.attempts,
       p.sms_opted_out, p.phone_invalid, p.sms_consent, r.status, a.status, a.start_at
FROM claimed c
JOIN bookings_patient p ON p.id = c.patient_id
LEFT JOIN reminders_recall r ON r.id = c.recall_id
LEFT JOIN bookings_appointment a ON a.id = c.appointment_id
"""


def _claimer(queue: Iterator[Message], now: datetime, *, budget_first: bool) -> Callable[[], None]:
    """Claim the next sample text: alone, or after the budget as a send does it."""

    def claim_one() -> None:
        message = next(queue)
        if budget_first:
            claimed: object = sending._claim_within_budget(message.pk, now)
            # A patient texted lately waits instead: the same work, then an UPDATE.
            assert isinstance(claimed, sending.Claim) or claimed == sending.OVER_BUDGET
            return
        with connection.cursor() as cursor:
            cursor.execute(_CLAIM_BEFORE_BUDGET_SQL, {"id": message.pk, "now": now})
            assert cursor.fetchone() is not None

    return claim_one


def _fill(*, first: int, patients: int, start: int, stop: int, now: datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            _FILL_SQL,
            {
                "first": first,
                "patients": patients,
                "purposes": PURPOSES,
                "npurposes": len(PURPOSES),
                "start": start,
                "stop": stop,
                "now": now,
            },
        )


def _analyze() -> None:
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} reminders_message")
        cursor.execute(f"{command} bookings_patient")
