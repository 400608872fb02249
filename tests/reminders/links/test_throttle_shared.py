"""With CACHE_URL on Redis, a burst of guesses is counted once for every web process.

The link pages' and public API's limits count in Django's cache (docs/rules.md#patient-links).
Here another process spends an address's allowance of date-of-birth answers; this one,
sharing the cache, then refuses that address and still lets another in.
"""

import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from rest_framework.settings import api_settings

from reminders.links.throttles import VERIFY, seconds_to_wait

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.redis

SPEND_ALLOWANCE = """
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from reminders.links.throttles import VERIFY, seconds_to_wait
allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][VERIFY].split("/")[0])
request = RequestFactory().post("/p/x/", REMOTE_ADDR="203.0.113.9")  # GUESSER
request.user = AnonymousUser()
print(sum(seconds_to_wait(request, scope=VERIFY) is None for _ in range(allowed + 1)))
"""


GUESSER, SOMEONE_ELSE = "203.0.113.9", "198.51.100.7"


def test_another_process_spending_the_allowance_leaves_none_for_this_one():
    cache_url = settings.REDIS_URL  # this test process's own Redis database
    keys = [f"throttle_{VERIFY}_{address}" for address in (GUESSER, SOMEONE_ELSE)]
    with override_settings(CACHES={"default": environ.Env.cache_url_config(cache_url)}):
        cache.delete_many(keys)  # an earlier run's counts live for a minute
        try:
            other = subprocess.run(
                [sys.executable, "-c", SPEND_ALLOWANCE],
                cwd=ROOT,
                env={
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "config.settings",
                    "CACHE_URL": cache_url,
                },
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert other.returncode == 0, other.stderr
            allowed = int(str(api_settings.DEFAULT_THROTTLE_RATES[VERIFY]).split("/")[0])
            assert int(other.stdout.split()[-1]) == allowed  # one more was refused there

            guesser = RequestFactory().post("/p/x/", REMOTE_ADDR=GUESSER)
            someone_else = RequestFactory().post("/p/x/", REMOTE_ADDR=SOMEONE_ELSE)
            guesser.user = someone_else.user = AnonymousUser()
            assert seconds_to_wait(guesser, scope=VERIFY) is not None
            assert seconds_to_wait(someone_else, scope=VERIFY) is None
        finally:
            cache.delete_many(keys)
