"""Booking through the real HTTP stack (docs/performance.md): 200 requests race for one slot.

gunicorn serves the app in its own processes; client threads speak plain HTTP with a
token from POST /api/v1/auth/token/, as an integrator would.
"""

import http.client
import json
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from benchmarks import data
from benchmarks.processes import gunicorn
from benchmarks.report import Row, Timing, verdict
from benchmarks.sizes import Sizes
from bookings import roles
from bookings.models import Appointment, Status
from scheduler import clock
from scheduler.models import Practitioner

SECTION = "2. booking"
PASSWORD = "bench-password-1"  # noqa: S105 (a throwaway account in the bench database)


def run(sizes: Sizes) -> list[Row]:
    data.reset()
    staff = data.make_practitioners(10, ["migraine"], prefix="Booking")
    single = max(2, sizes.latency_requests // 4)
    patients = data.make_patients(sizes.race_requests + sizes.latency_requests + single)
    _user()
    first = data.next_monday()
    slot_start = clock.at(first, clock_time(10))
    race_bodies = [
        {
            "patient": p.pk,
            "practitioner": staff[0].pk,
            "treatment_type": "migraine",
            "kind": "exam",
            "start": slot_start.isoformat(),
        }
        for p in patients[: sizes.race_requests]
    ]
    latency_bodies = []
    free = _distinct_slots(staff[1:], first)
    for patient in patients[sizes.race_requests :]:
        practitioner_id, start_at = next(free)
        latency_bodies.append(
            {
                "patient": patient.pk,
                "practitioner": practitioner_id,
                "treatment_type": "migraine",
                "kind": "exam",
                "start": start_at.isoformat(),
            }
        )

    with gunicorn() as url:
        client = _Client(url)
        client.token = client.post_json(
            "/api/v1/auth/token/", {"username": "bench-frontdesk", "password": PASSWORD}
        )[1]["token"]
        # Warm both workers (imports, URL resolver, first connection) before the race.
        for _ in range(4):
            client.get("/api/v1/treatment-types/")
        statuses, race_ms = _race(client, race_bodies)
        latencies = _latency(client, latency_bodies[:-single], sizes.latency_clients)
        alone = Timing(_latency(client, latency_bodies[-single:], 1))

    live = (
        Appointment.objects.filter(practitioner=staff[0], start_at=slot_start)
        .exclude(status=Status.CANCELLED)
        .count()
    )
    created, conflicts = statuses.get(201, 0), statuses.get(409, 0)
    errors = sum(n for code, n in statuses.items() if code >= 500)
    other = {code: n for code, n in statuses.items() if code not in (201, 409) and code < 500}
    n = sizes.race_requests
    ok = created == 1 and conflicts == n - 1 and errors == 0 and live == 1
    timing = Timing(latencies)
    return [
        Row(
            SECTION,
            "race for one slot: created / 409 / 5xx",
            f"{n} concurrent requests, gunicorn 2×16 threads",
            f"{created} / {conflicts} / {errors}"
            + (f", other {other}" if other else "")
            + f"; {live} live row; all answered in {race_ms:.0f} ms",
            f"1 / {n - 1} / 0",
            verdict(ok),
            {"statuses": dict(statuses), "live_rows": live, "wall_ms": race_ms},
        ),
        Row(
            SECTION,
            f"booking latency, {sizes.latency_clients} clients",
            f"{len(latencies)} bookings of distinct slots",
            f"p50 {timing.quantile(0.5):.1f} ms, p95 {timing.quantile(0.95):.1f} ms "
            f"(max {timing.high:.0f})",
            values={
                "p50_ms": timing.quantile(0.5),
                "p95_ms": timing.quantile(0.95),
                **timing.as_dict(),
            },
        ),
        Row(
            SECTION,
            "booking latency, 1 client",
            f"{len(alone.runs)} bookings of distinct slots",
            f"p50 {alone.quantile(0.5):.1f} ms, p95 {alone.quantile(0.95):.1f} ms "
            f"(max {alone.high:.0f})",
            values={
                "p50_ms": alone.quantile(0.5),
                "p95_ms": alone.quantile(0.95),
                **alone.as_dict(),
            },
        ),
    ]


def _user() -> User:
    user, _ = User.objects.get_or_create(username="bench-frontdesk")
    # The server runs with the production hashers, whatever the calling process uses.
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    user.groups.add(Group.objects.get(name=roles.FRONT_DESK))
    return user


def _distinct_slots(staff: list[Practitioner], first: date) -> Iterator[tuple[int, datetime]]:
    """Free 30-minute starts, each used once: (practitioner id, start)."""
    day = first
    while True:
        if day.weekday() < 5:
            for cell in range(16):
                for practitioner in staff:
                    yield (
                        practitioner.pk,
                        clock.at(day, clock_time(9)) + timedelta(minutes=30 * cell),
                    )
        day += timedelta(days=1)


class _Client:
    def __init__(self, base_url: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.token = ""

    def _request(
        self, method: str, path: str, body: dict[str, object] | None
    ) -> tuple[int, dict[str, Any]]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {"raw": raw[:200].decode(errors="replace")}
        return response.status, parsed if isinstance(parsed, dict) else {"items": parsed}

    def get(self, path: str) -> tuple[int, dict[str, Any]]:
        return self._request("GET", path, None)

    def post_json(self, path: str, body: dict[str, object]) -> tuple[int, dict[str, Any]]:
        return self._request("POST", path, body)


def _race(client: _Client, bodies: list[dict[str, object]]) -> tuple[Counter[int], float]:
    """Every request waits at a barrier, then all go at once."""
    barrier = threading.Barrier(len(bodies))

    def book(body: dict[str, object]) -> int:
        barrier.wait()
        try:
            return client.post_json("/api/v1/appointments/", body)[0]
        except OSError:
            return 599  # the connection broke: counted with the server errors

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        statuses = Counter(pool.map(book, bodies))
    return statuses, (time.perf_counter() - started) * 1000


def _latency(client: _Client, bodies: list[dict[str, object]], clients: int) -> list[float]:
    def book(body: dict[str, object]) -> float:
        started = time.perf_counter()
        status, answer = client.post_json("/api/v1/appointments/", body)
        if status != 201:
            raise RuntimeError(f"booking a free slot answered {status}: {answer}")
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(book, bodies))
