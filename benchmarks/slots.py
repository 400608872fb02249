"""Slot search (docs/performance.md): 10 practitioners × 28 days, half booked; and how it grows.

``bookings.selectors.list_slots`` is called directly, as the API view does. One calendar
serves every variant: groups of practitioners are told apart by what they treat.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from benchmarks import data
from benchmarks.generator import generate_clinic
from benchmarks.report import Row, Timing, measure, verdict
from benchmarks.sizes import Sizes
from bookings.models import Appointment, Status
from bookings.selectors import list_slots
from scheduler.models import Kind, TreatmentType
from scheduler.selectors import range_bounds
from scheduler.slots import Slot

SECTION = "1. slot search"
BUDGET_MS = 15.0
BUDGET_QUERIES = 5


def run(sizes: Sizes) -> list[Row]:
    rows = _generated_clinic(sizes)
    first = data.next_monday()
    n = sizes.slot_practitioners
    most = max(sizes.scale_practitioners)
    if not set(sizes.scale_practitioners) <= {1, n, most}:
        raise ValueError("scale_practitioners may hold 1, slot_practitioners and one larger count")
    span = max((*sizes.scale_days, sizes.slot_days))
    data.reset()
    # Who treats what tells the groups apart: migraine → the budget's n practitioners,
    # neck-pain → those and more, bruxism → n with nothing booked, tmj → n fully booked.
    half = data.make_practitioners(n, ["migraine", "neck-pain"], prefix="Half")
    more = data.make_practitioners(max(0, most - n), ["neck-pain"], prefix="More")
    data.make_practitioners(n, ["bruxism"], prefix="Empty")
    full = data.make_practitioners(n, ["tmj"], prefix="Full")
    courses = data.make_courses(200)
    rng = random.Random(sizes.seed)
    # Separate patients for the two groups, so no patient is in two places at once.
    data.book_calendar(half + more, courses[:100], first=first, days=span, share=0.5, rng=rng)
    data.book_calendar(full, courses[100:], first=first, days=span, share=1.0, rng=rng)
    data.analyze()

    def case(code: str, days: int, practitioner_id: int | None = None, runs: int = 0) -> Case:
        treatment = TreatmentType.objects.get(code=code)
        last = first + timedelta(days=days - 1)

        def search() -> list[Slot]:
            return list_slots(
                treatment=treatment,
                kind=Kind.INJECTION,
                first=first,
                last=last,
                practitioner_id=practitioner_id,
            )

        timing, queries = measure(search, runs=runs or sizes.scale_runs)
        return Case(timing, max(queries), len(search()))

    budget = case("migraine", sizes.slot_days, runs=sizes.slot_runs)
    range_start, range_end = range_bounds(first, first + timedelta(days=sizes.slot_days - 1))
    booked = (
        Appointment.objects.filter(practitioner__in=half)
        .filter(start_at__gte=range_start, start_at__lt=range_end)
        .exclude(status=Status.CANCELLED)
        .count()
    )
    rows.append(
        Row(
            SECTION,
            "slot search, median time",
            f"{n} practitioners × {sizes.slot_days} days, {booked:,} booked 30-min",
            f"{budget.timing.text()}, {budget.found:,} slots",
            f"≤ {BUDGET_MS:.0f} ms",
            verdict(budget.timing.median <= BUDGET_MS),
            {**budget.timing.as_dict(), "slots": budget.found, "booked": booked},
        )
    )
    growth: list[tuple[str, str, Case]] = []
    for count in sizes.scale_practitioners:
        if count == 1:
            result = case("migraine", sizes.slot_days, half[0].pk)
        elif count == n:
            result = budget
        else:
            result = case("neck-pain", sizes.slot_days)
        label = (
            f"{count} practitioner{'s' if count > 1 else ''} × {sizes.slot_days} days, half booked"
        )
        growth.append(("practitioners", label, result))
    for days in sizes.scale_days:
        result = budget if days == sizes.slot_days else case("migraine", days)
        growth.append(("days", f"{n} practitioners × {days} days, half booked", result))
    for code, label in (("bruxism", "empty"), ("migraine", "half booked"), ("tmj", "fully booked")):
        result = budget if code == "migraine" else case(code, sizes.slot_days)
        growth.append(("bookings", f"{n} practitioners × {sizes.slot_days} days, {label}", result))
    most_queries = max(c.queries for _, _, c in growth)
    rows.append(
        Row(
            SECTION,
            "slot search, SQL queries",
            "every case below (any range)",
            f"{budget.queries} in the budget case, {most_queries} at most",
            f"≤ {BUDGET_QUERIES}",
            verdict(most_queries <= BUDGET_QUERIES),
            {"budget_case": budget.queries, "max": most_queries},
        )
    )
    for axis, label, c in growth:
        rows.append(
            Row(
                SECTION,
                f"  growth: {axis}",
                label,
                f"{c.timing.median:.2f} ms, {c.queries} queries, {c.found:,} slots",
                values={**c.timing.as_dict(), "queries": c.queries, "slots": c.found},
            )
        )
    return rows


@dataclass(frozen=True)
class Case:
    timing: Timing
    queries: int
    found: int


def _generated_clinic(sizes: Sizes) -> list[Row]:
    """The generator's own speed, and a slot search on the clinic it made."""
    data.reset()
    clinic = generate_clinic(
        patients=sizes.clinic_patients,
        practitioners=sizes.clinic_practitioners,
        days=sizes.clinic_days,
        seed=sizes.seed,
    )
    data.analyze()
    first = data.next_monday()
    last = first + timedelta(days=sizes.slot_days - 1)
    treatment = TreatmentType.objects.get(code="migraine")
    timing, queries = measure(
        lambda: list_slots(treatment=treatment, kind=Kind.INJECTION, first=first, last=last),
        runs=sizes.scale_runs,
    )
    return [
        Row(
            "0. generated clinic",
            "generate_clinic (bulk_create)",
            f"{clinic.patients:,} patients, {clinic.practitioners} practitioners, "
            f"{sizes.clinic_days} days ahead",
            f"{clinic.seconds:.1f} s for {clinic.rows:,} rows "
            f"({clinic.appointments:,} appointments, {clinic.recalls:,} recalls)",
            values={"seconds": clinic.seconds, "rows": clinic.rows},
        ),
        Row(
            "0. generated clinic",
            "slot search on it (migraine injection)",
            f"{sizes.slot_days} days from {first}",
            f"{timing.text()}, {max(queries)} queries",
            values={**timing.as_dict(), "queries": max(queries)},
        ),
    ]
