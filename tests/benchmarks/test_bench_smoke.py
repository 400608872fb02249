"""``make bench`` at tiny sizes, so its code cannot rot. No timing is asserted here:
budgets are measured by the bench, never by tests. What is asserted is what must hold
at any size (one winner per slot, every SMS sent, every recall queued)."""

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from django.core.management import call_command

from benchmarks import booking, dashboard, data, dispatch, slots, sweep, text_budget
from benchmarks.generator import generate_clinic
from benchmarks.report import INFO, OVER, PASS, Row, table
from benchmarks.sizes import QUICK
from bookings.models import Appointment, Status
from reminders.models import Recall
from scheduler import clock

TINY = replace(
    QUICK,
    clinic_patients=120,
    slot_runs=1,
    scale_runs=1,
    race_requests=8,
    latency_clients=2,
    latency_requests=4,
    sweep_counts=(50, 120),
    sms_messages=8,
    sms_http_samples=2,
    dashboard_counts=(200, 400),
    dashboard_runs=1,
    budget_messages=400,
    budget_patients=50,
    budget_runs=3,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _well_formed(rows: list[Row]) -> None:
    assert rows
    assert all(row.verdict in (PASS, OVER, INFO) for row in rows)
    assert table(rows).count("\n") >= len(rows)


def test_slot_search_bench_runs_every_case_within_the_query_budget():
    rows = slots.run(TINY)
    _well_formed(rows)
    queries = next(r for r in rows if r.what == "slot search, SQL queries")
    assert queries.values["max"] <= 5
    assert sum(1 for r in rows if "growth" in r.what) == 8


def test_booking_race_over_http_lets_exactly_one_request_win():
    rows = booking.run(TINY)
    _well_formed(rows)
    race = rows[0]
    assert race.values["statuses"] == {201: 1, 409: TINY.race_requests - 1}
    assert race.values["live_rows"] == 1


def test_recall_sweep_bench_queues_every_recall_with_the_same_queries():
    rows = sweep.run(TINY)
    _well_formed(rows)
    assert [r.values["queued"] for r in rows[:-1]] == list(TINY.sweep_counts)
    assert rows[-1].verdict == PASS


@pytest.mark.redis
def test_sms_dispatch_bench_sends_every_message_through_real_workers():
    rows = dispatch.run(TINY)
    _well_formed(rows)
    assert [r.values["not_sent"] for r in rows] == [0, 0]


def test_dashboard_bench_reads_the_summary_and_lists():
    rows = dashboard.run(TINY)
    _well_formed(rows)
    assert rows[-1].what.startswith(("queries independent", "dashboard page"))


def test_text_budget_bench_claims_with_the_same_statements_at_any_size():
    rows = text_budget.run(TINY)
    _well_formed(rows)
    # The claim and the 7-day read, and an UPDATE when a patient must wait.
    assert all(r.values["queries"] <= 3 for r in rows[:-1])
    assert rows[-1].verdict == PASS


def _fingerprint() -> list[tuple[object, ...]]:
    appointments = Appointment.objects.order_by("start_at", "practitioner_id", "status")
    recalls = Recall.objects.order_by("due_on", "source_appointment__start_at", "kind")
    return [
        *appointments.values_list("practitioner__name", "kind", "start_at", "status"),
        *recalls.values_list("kind", "due_on", "status"),
    ]


def test_the_generator_is_deterministic_and_keeps_the_calendar_free_of_overlaps():
    today = date(2026, 3, 4)
    data.reset()
    first = generate_clinic(patients=150, practitioners=3, days=14, seed=5, today=today)
    fingerprint = _fingerprint()
    data.reset()
    again = generate_clinic(patients=150, practitioners=3, days=14, seed=5, today=today)
    assert _fingerprint() == fingerprint
    assert (first.appointments, first.recalls) == (again.appointments, again.recalls)
    # The exclusion constraint would have refused an overlap; these say the rest.
    booked = Appointment.objects.filter(status=Status.BOOKED)
    assert booked.exists()
    assert not booked.filter(start_at__gt=clock.at(today + timedelta(days=16), time(0))).exists()
    assert Recall.objects.filter(due_on__gte=today).exists()
    assert Recall.objects.filter(due_on__lt=today).exists()


def test_generate_clinic_command_says_what_it_made(capsys):
    data.reset()
    call_command("generate_clinic", "--patients", "40", "--practitioners", "2", "--days", "7")
    assert "40 patients" in capsys.readouterr().out


def test_self_service_bench_offers_starts_within_the_query_budget():
    from benchmarks import self_service

    rows = self_service.run(TINY)
    _well_formed(rows)
    timing, queries = rows
    assert timing.values["starts"] > 0
    assert queries.values["eight_weeks"] == queries.values["one_week"] <= 8
