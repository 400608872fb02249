"""Separate Redis databases and broker folders for test processes running side by side.

`make test` runs the suite in several processes (pytest-xdist), each named in
PYTEST_XDIST_WORKER (gw0, gw1, …) before the settings load, in it and in every process
it starts. They share one Redis server and one var/ folder: without this one process's
queue purge, rate-limit key or queued task would be another's. Outside such a run
nothing changes.
"""

import os
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit


def worker_number(environ: Mapping[str, str] = os.environ) -> int | None:
    """0, 1, … for a parallel test process; None for any other process."""
    name = environ.get("PYTEST_XDIST_WORKER", "")
    return int(name.removeprefix("gw")) if name.startswith("gw") else None


def redis_url_for(url: str, worker: int | None) -> str:
    """The Redis URL's database moved on by the worker's number (db 7 → 7, 8, …)."""
    if not url or worker is None:
        return url
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + worker
    return urlunsplit(parts._replace(path=f"/{database}"))


def broker_folder_name(worker: int | None) -> str:
    return "broker" if worker is None else f"broker-gw{worker}"
