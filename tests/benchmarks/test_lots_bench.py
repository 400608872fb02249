"""The lot recall bench at a tiny size, so its code cannot rot; no timing is asserted."""

import pytest

from benchmarks import lots
from benchmarks.report import INFO, OVER, PASS
from benchmarks.sizes import QUICK
from bookings.models import Appointment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_lot_recall_bench_reads_one_lot_of_many_injections():
    rows = lots.run(QUICK)
    assert [r.what for r in rows] == [
        "GET /api/v1/lots/{id}/patients/",
        "recall page",
        "recall CSV",
    ]
    assert all(r.verdict in (PASS, OVER, INFO) for r in rows)
    assert Appointment.objects.count() == QUICK.lot_injections
    per_lot = QUICK.lot_injections // QUICK.lot_count
    assert rows[0].size == f"{per_lot:,} of {QUICK.lot_injections:,} injections"
