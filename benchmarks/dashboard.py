"""Follow-ups dashboard (docs/performance.md): server time and queries with a million recalls.

Requests go through Django's whole stack in this process (middleware, DRF, token auth,
serialisation; no socket), so the figure is server time. The recalls grow from the
first size to the last, spread from 120 days ago to a year ahead, in the states a
clinic's history leaves them.
"""

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import Resolver404, resolve
from knox.models import AuthToken

from benchmarks import data
from benchmarks.report import Row, measure, verdict
from benchmarks.sizes import Sizes
from bookings import roles
from reminders.models import Recall
from scheduler import clock

SECTION = "5. follow-ups dashboard"
BUDGET_MS = 200.0
PAGE = "/follow-ups/"


def run(sizes: Sizes) -> list[Row]:
    today = clock.today()
    data.reset()
    user, _ = User.objects.get_or_create(username="bench-manager")
    user.groups.add(Group.objects.get(name=roles.MANAGER))
    token = AuthToken.objects.create(user=user)[1]
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    browser = Client()
    browser.force_login(user)
    endpoints = [
        ("summary, 8 weeks", "/api/v1/follow-ups/summary/", api),
        ("summary, 52 weeks", "/api/v1/follow-ups/summary/?weeks=52", api),
        ("recall list, first page", "/api/v1/recalls/", api),
        (
            "overdue not booked, first page",
            f"/api/v1/recalls/?status=pending&due_before={today - timedelta(days=1)}",
            api,
        ),
    ]
    try:
        resolve(PAGE)
        endpoints.append((f"dashboard page {PAGE}", PAGE, browser))
    except Resolver404:
        pass

    rows: list[Row] = []
    queries_by_size: dict[int, dict[str, int]] = {}
    for count in sizes.dashboard_counts:
        have = Recall.objects.count()
        data.fill_recalls(
            count=count - have,
            due_from=today - timedelta(days=120),
            due_days=485,
            today=today,
            courses_per_patient=2,
            injections_per_course=2,
            mixed=True,
        )
        data.analyze()
        total = Recall.objects.count()
        queries_by_size[total] = {}
        last = count == sizes.dashboard_counts[-1]
        for label, path, client in endpoints:
            status = client.get(path).status_code
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
            timing, queries = measure(_getter(client, path), runs=sizes.dashboard_runs)
            queries_by_size[total][label] = max(queries)
            rows.append(
                Row(
                    SECTION,
                    f"GET {label}",
                    f"{total:,} recalls",
                    f"{timing.text()}, {max(queries)} queries",
                    f"≤ {BUDGET_MS:.0f} ms" if last else "",
                    verdict(timing.median <= BUDGET_MS) if last else "-",
                    {**timing.as_dict(), "queries": max(queries), "path": path},
                )
            )
    sizes_seen = list(queries_by_size)
    same = all(
        len({queries_by_size[n][label] for n in sizes_seen}) == 1 for label, _, _ in endpoints
    )
    rows.append(
        Row(
            SECTION,
            "queries independent of N",
            " vs ".join(f"{n:,}" for n in sizes_seen),
            "; ".join(
                f"{label}: " + "/".join(str(queries_by_size[n][label]) for n in sizes_seen)
                for label, _, _ in endpoints
            ),
            "same count",
            verdict(same),
            {str(n): q for n, q in queries_by_size.items()},
        )
    )
    if not any(path == PAGE for _, path, _ in endpoints):
        rows.append(Row(SECTION, f"dashboard page {PAGE}", "-", "not built yet; not measured"))
    return rows


def _getter(client: Client, path: str) -> Callable[[], object]:
    return lambda: client.get(path)
