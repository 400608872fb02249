"""How big each measurement is: the budgets' sizes (docs/performance.md), or tiny ones for a smoke run."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    seed: int = 7
    # The generator, and a slot search on what it made.
    clinic_patients: int = 10_000
    clinic_practitioners: int = 20
    clinic_days: int = 28
    # Slot search: the budget's clinic, then how it grows.
    slot_practitioners: int = 10
    slot_days: int = 28
    slot_runs: int = 30
    scale_practitioners: tuple[int, ...] = (1, 10, 50)
    scale_days: tuple[int, ...] = (7, 28, 90)
    scale_runs: int = 10
    # Booking over HTTP.
    race_requests: int = 200
    latency_clients: int = 8
    latency_requests: int = 200
    # Recall sweep.
    sweep_counts: tuple[int, ...] = (10_000, 100_000)
    sweep_runs: int = 3
    # SMS dispatch.
    sms_messages: int = 2_000
    sms_rate: int = 50
    sms_http_samples: int = 300
    # Follow-ups dashboard.
    dashboard_counts: tuple[int, ...] = (100_000, 1_000_000)
    dashboard_runs: int = 7
    # SMS text budget: the outbox on record, over this many patients.
    budget_messages: int = 1_000_000
    budget_patients: int = 50_000
    budget_runs: int = 300
    # Lot recall: injections on record, spread over this many lots.
    lot_injections: int = 1_000_000
    lot_count: int = 1_000
    lot_runs: int = 7
    # Calendar day page: practitioners × appointments each on one day.
    calendar_practitioners: int = 10
    calendar_appointments: int = 30
    calendar_runs: int = 15
    # Waitlist offers: entries on the list, the small and the full size.
    waitlist_counts: tuple[int, ...] = (1_000, 10_000)
    waitlist_runs: int = 7


FULL = Sizes()
QUICK = Sizes(
    clinic_patients=300,
    clinic_practitioners=4,
    clinic_days=7,
    slot_practitioners=3,
    slot_days=7,
    slot_runs=3,
    scale_practitioners=(1, 3, 5),
    scale_days=(7, 14),
    scale_runs=2,
    race_requests=12,
    latency_clients=4,
    latency_requests=12,
    sweep_counts=(300, 1_000),
    sweep_runs=1,
    sms_messages=30,
    sms_rate=50,
    sms_http_samples=10,
    dashboard_counts=(1_000, 3_000),
    dashboard_runs=2,
    budget_messages=5_000,
    budget_patients=500,
    budget_runs=20,
    lot_injections=3_000,
    lot_count=10,
    lot_runs=2,
    calendar_practitioners=2,
    calendar_appointments=5,
    calendar_runs=2,
    waitlist_counts=(100, 400),
    waitlist_runs=2,
)
