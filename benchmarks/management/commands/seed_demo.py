from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from benchmarks.demo import already_seeded, seed


class Command(BaseCommand):
    help = "Create a demo clinic (staff, practitioners, patients at every step). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="password for frontdesk, clinician and manager")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the demo clinic exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and already_seeded():
            self.stdout.write(
                "Demo clinic already there (reset the staff password with "
                "`manage.py seed_demo --password NEW`)."
            )
            return
        users, generated, created = seed(options["password"])
        self.stdout.write(
            self.style.SUCCESS("Demo clinic created.") if created else "Demo clinic already there."
        )
        names = ", ".join(sorted(users))
        if generated:
            self.stdout.write(f"Users {names} — password: {generated}")
        elif options["password"]:
            self.stdout.write(f"Users {names} — password set as given.")
