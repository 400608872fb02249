"""Print "Open <address>" once the web server answers (used by `make run`'s Procfile).

Printed earlier, a newcomer opens the address while runserver is still starting and
gets "connection refused". Any HTTP answer counts (even an error page): the server
is up and the error page says what is wrong.
"""

import signal
import time
import urllib.error
import urllib.request
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 (our own local address)
            return True
    except urllib.error.HTTPError:
        return True  # an HTTP error is still an answer
    except OSError:
        return False


class Command(BaseCommand):
    help = "Wait until the web server answers, then print the address to open."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000/")
        parser.add_argument("--timeout", type=float, default=120.0)
        parser.add_argument("--interval", type=float, default=0.3)
        parser.add_argument(
            "--stay",
            action="store_true",
            help="Keep running afterwards (honcho stops every process when one ends).",
        )

    def handle(
        self, *args: Any, url: str, timeout: float, interval: float, stay: bool, **options: Any
    ) -> None:
        deadline = time.monotonic() + timeout
        while not answers(url):
            if time.monotonic() >= deadline:
                self.stderr.write(
                    f"The web server has not answered at {url} after {timeout:g} s; "
                    "see the web lines above."
                )
                break
            time.sleep(interval)
        else:
            self.stdout.write(f"Open {url} (Ctrl-C stops web, worker and beat).")
        if stay:
            signal.pause()
