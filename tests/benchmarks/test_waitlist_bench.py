"""The waitlist bench at a tiny size, so its code cannot rot; no timing is asserted."""

import pytest

from benchmarks import waitlist
from benchmarks.sizes import QUICK

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_offer_task_asks_the_same_number_of_queries_for_a_short_and_a_long_list():
    rows = waitlist.run(QUICK)
    assert [r.what for r in rows] == [
        "cancellation → offers queued",
        "queries independent of the list",
    ]
    assert rows[0].values["offers"] == 3
    assert rows[1].values["small"] == rows[1].values["large"]
