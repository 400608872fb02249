"""``python -m benchmarks [--quick] [--only slots,booking,…]``: measure every budget, print one table."""

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clinic_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
SECTIONS = (
    "slots",
    "booking",
    "sweep",
    "dispatch",
    "dashboard",
    "budget",
    "lots",
    "calendar",
    "self_service",
    "waitlist",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks it runs")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated, of: {', '.join(SECTIONS)}"
    )
    parser.add_argument("--json", default="var/bench.json", help="where to write the figures")
    parser.add_argument(
        "--fresh-db", action="store_true", help="drop and re-create the bench database first"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a figure is over its budget"
    )
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    # Measurements must not depend on the hour they run at.
    os.environ.setdefault("SMS_QUIET_HOURS", "")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # no line per request in the table's way
    from benchmarks.environment import prepare

    prepare(os.environ["DATABASE_URL"], fresh=args.fresh_db)

    from benchmarks import (
        booking,
        calendar,
        dashboard,
        dispatch,
        lots,
        self_service,
        slots,
        sweep,
        text_budget,
        waitlist,
    )
    from benchmarks.report import OVER, Row, table, write_json
    from benchmarks.sizes import FULL, QUICK

    sizes = QUICK if args.quick else FULL
    runners: dict[str, Callable[..., list[Row]]] = {
        "slots": slots.run,
        "booking": booking.run,
        "sweep": sweep.run,
        "dispatch": dispatch.run,
        "dashboard": dashboard.run,
        "budget": text_budget.run,
        "lots": lots.run,
        "calendar": calendar.run,
        "self_service": self_service.run,
        "waitlist": waitlist.run,
    }
    rows: list[Row] = []
    durations: dict[str, float] = {}
    speed_before = cpu_calibration_ms()
    started = time.perf_counter()
    for name in chosen:
        print(f"bench: {name}…", file=sys.stderr, flush=True)
        began = time.perf_counter()
        rows.extend(runners[name](sizes))
        durations[name] = time.perf_counter() - began
        print(f"bench: {name} done in {durations[name]:.0f} s", file=sys.stderr, flush=True)
    total = time.perf_counter() - started
    speed_after = cpu_calibration_ms()
    load = os.getloadavg()
    print(table(rows))
    print(
        f"\n{len(rows)} figures in {total:.0f} s on {os.cpu_count()} cores "
        f"(load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}: other work on "
        f"the machine inflates every time above); written to {args.json}"
    )
    print(
        f"CPU calibration (a fixed pure-Python loop, lower is faster): {speed_before:.1f} ms "
        f"before, {speed_after:.1f} ms after; compare it between runs before comparing times"
    )
    write_json(
        Path(args.json),
        rows,
        {
            "at": datetime.now(UTC).isoformat(),
            "quick": args.quick,
            "sections_s": durations,
            "total_s": total,
            "load_average": load,
            "cpu_calibration_ms": [speed_before, speed_after],
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
            "postgres": _server_version(),
        },
    )
    over = [r for r in rows if r.verdict == OVER]
    return 1 if args.strict and over else 0


def cpu_calibration_ms() -> float:
    """The median time of a fixed pure-Python loop: a shared machine's speed changes from
    hour to hour (the same code's figures moved by half), and this says how fast it was."""
    times = []
    for _ in range(15):
        began = time.perf_counter()
        total = 0
        for n in range(200_000):
            total += n * n % 7
        times.append((time.perf_counter() - began) * 1000)
    return sorted(times)[len(times) // 2]


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


if __name__ == "__main__":
    sys.exit(main())
