"""The one table ``make bench`` prints, and its JSON twin."""

import json
import statistics
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

from django.db import connection

from config.heap import freeze_start_up_heap

PASS = "pass"  # noqa: S105 (a verdict, not a password)
OVER = "OVER"
INFO = "-"


@dataclass(frozen=True)
class Row:
    """One line of the table: ``verdict`` is pass, OVER or - (a figure without a budget)."""

    section: str
    what: str
    size: str
    measured: str
    budget: str = ""
    verdict: str = INFO
    values: dict[str, Any] = field(default_factory=dict)


def verdict(ok: bool) -> str:
    return PASS if ok else OVER


@dataclass(frozen=True)
class Timing:
    """Milliseconds of several runs."""

    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def low(self) -> float:
        return min(self.runs)

    @property
    def high(self) -> float:
        return max(self.runs)

    def quantile(self, q: float) -> float:
        ordered = sorted(self.runs)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    def text(self, unit: str = "ms") -> str:
        return (
            f"{_num(self.median)} {unit} ({_num(self.low)}–{_num(self.high)}, n={len(self.runs)})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "median_ms": self.median,
            "min_ms": self.low,
            "max_ms": self.high,
            "runs_ms": self.runs,
        }


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    """How many SQL statements ran; cheap even for a 100,000-row INSERT (unlike DEBUG)."""
    count = [0]

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def measure(
    action: Callable[[], object], *, runs: int, warmup: int = 1
) -> tuple[Timing, list[int]]:
    """Times (ms) and query counts of ``runs`` calls after ``warmup`` unmeasured ones.

    What the set-up left alive (a million rows made in this process, say) is frozen
    first, as a server freezes its start-up heap (config/heap.py): a server process does
    not hold that data, and its collector would not walk it during a request. For the
    same reason the database connection that made the rows is replaced by a new one
    (its server process had grown by the load: the dashboard's page took a third longer).
    """
    if not connection.in_atomic_block:
        # A server's connection has not just bulk-loaded the set-up's rows: a fresh one.
        connection.close()
    for _ in range(warmup):
        action()
    freeze_start_up_heap()
    times: list[float] = []
    queries: list[int] = []
    for _ in range(runs):
        with counting_queries() as count:
            started = perf_counter()
            action()
            times.append((perf_counter() - started) * 1000)
        queries.append(count[0])
    return Timing(times), queries


def table(rows: Sequence[Row]) -> str:
    headers = ("what", "data size", "measured (median, min–max)", "budget", "")
    cells = [(r.what, r.size, r.measured, r.budget, r.verdict) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    lines = []
    section = None
    rule = "-+-".join("-" * w for w in widths)
    lines.append(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row, cell in zip(rows, cells, strict=True):
        if row.section != section:
            section = row.section
            lines.append(rule)
            lines.append(f"[{section}]")
        lines.append(" | ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)))
    return "\n".join(lines)


def write_json(path: Path, rows: Sequence[Row], meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"meta": meta, "rows": [asdict(r) for r in rows]}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
