"""At most SMS_MAX_PER_SECOND sends per second across every worker together.

Celery's ``rate_limit`` is per worker, so two workers would send twice as fast. The
count lives where all workers see it: in Redis when REDIS_URL is set, otherwise in a
database row per second. Each second is a window; a sender that finds its window full
waits for the next one.
"""

import time
from functools import cache

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from reminders.models import RateWindow


def wait_for_turn() -> None:
    """Block until this worker may send one SMS."""
    limit = settings.SMS_MAX_PER_SECOND
    if limit <= 0:
        return
    while True:
        now = time.time()
        second = int(now)
        if _take(second, limit):
            return
        time.sleep(max(0.001, second + 1 - now))


def _take(second: int, limit: int) -> bool:
    if settings.REDIS_URL:
        return _take_redis(second, limit)
    return _take_database(second, limit)


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def _take_redis(second: int, limit: int) -> bool:
    key = f"reminders:sms-rate:{second}"
    pipe = _redis(settings.REDIS_URL).pipeline()
    pipe.incr(key)
    pipe.expire(key, 5)
    count, _ = pipe.execute()
    return int(count) <= limit


def _take_database(second: int, limit: int) -> bool:
    with transaction.atomic():
        taken = RateWindow.objects.filter(second=second, count__lt=limit).update(
            count=F("count") + 1
        )
        if taken:
            return True
        if RateWindow.objects.filter(second=second).exists():
            return False
        try:
            with transaction.atomic():
                RateWindow.objects.create(second=second, count=1)
        except IntegrityError:
            return False  # another worker opened this window first; try again
        RateWindow.objects.filter(second__lt=second - 60).delete()
        return True
