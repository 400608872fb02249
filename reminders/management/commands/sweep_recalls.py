"""``manage.py sweep_recalls [--as-of YYYY-MM-DD]``: the recall sweep by hand."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reminders.sweeps import sweep_recalls


class Command(BaseCommand):
    help = "Queue the recall SMS due today (or on --as-of) and lapse long-overdue recalls."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            help="Sweep as if today were this clinic date (YYYY-MM-DD), e.g. after downtime.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of must be YYYY-MM-DD, not {options['as_of']!r}") from exc
        result = sweep_recalls(as_of=as_of)
        self.stdout.write(
            f"Queued {result.queued} SMS, suppressed {result.suppressed} "
            f"(no consent, opted out or invalid number), lapsed {result.lapsed} recalls."
        )
