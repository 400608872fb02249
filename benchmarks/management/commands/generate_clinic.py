"""``manage.py generate_clinic --patients N --practitioners P --days D [--seed S]``."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.generator import generate_clinic


class Command(BaseCommand):
    help = (
        "Add a realistic clinic history (patients at every pathway step, a year of "
        "injections and recalls, bookings for the coming days) with bulk inserts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, default=1000)
        parser.add_argument("--practitioners", type=int, default=10)
        parser.add_argument("--days", type=int, default=28, help="days ahead to book")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", help="generate as if today were this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["patients"] < 0 or options["practitioners"] < 1 or options["days"] < 1:
            raise CommandError("Need --patients >= 0, --practitioners >= 1 and --days >= 1.")
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, not {options['today']!r}") from exc
        clinic = generate_clinic(
            patients=options["patients"],
            practitioners=options["practitioners"],
            days=options["days"],
            seed=options["seed"],
            today=today,
        )
        self.stdout.write(
            f"Generated {clinic.practitioners} practitioners, {clinic.patients} patients, "
            f"{clinic.courses} courses, {clinic.appointments} appointments, "
            f"{clinic.prescriptions} prescriptions and {clinic.recalls} recalls "
            f"({clinic.rows} rows) in {clinic.seconds:.1f} s."
        )
