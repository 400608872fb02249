"""Never more than SMS_MAX_PER_SECOND sends across every worker together.

Celery's ``rate_limit`` is per worker, so two workers would send twice as fast. Sends
are spaced rather than counted: each one atomically reserves the next free instant,
one interval after the previous reservation, and sleeps until it. (Counting sends per
clock second let a burst at the end of one second and another at the start of the next
put twice the limit inside one second.)

The next free instant lives where every worker sees it: in Redis when REDIS_URL is
set, read against Redis' own clock so the workers' clocks need not agree; otherwise in
a database row, against the database's clock on PostgreSQL.
"""

import time
from functools import cache
from typing import Any

import redis
from django.conf import settings
from django.db import connection

from reminders.models import SendPace

KEY = "sms"
# Slots a little more than 1/limit apart, so a send that leaves up to 50 ms after its
# slot (a busy machine: the bench saw 51 in a second at 50/s with 20 ms) still cannot
# put limit + 1 sends inside one second. It costs 5% of the rate.
HEADROOM = 0.05

_RESERVE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
redis.call('SET', KEYS[1], string.format('%.0f', slot + tonumber(ARGV[1])), 'PX', 60000)
return {slot, now}
"""


def wait_for_turn() -> int | None:
    """Block until this worker may send one SMS.

    Returns the reserved slot (epoch microseconds on the throttle's clock), or None when
    there is no limit.
    """
    limit = settings.SMS_MAX_PER_SECOND
    if limit <= 0:
        return None
    slot_us, now_us = reserve(round(1_000_000 * (1 + HEADROOM) / limit))
    if slot_us > now_us:
        time.sleep((slot_us - now_us) / 1_000_000)
    return slot_us


def reserve(interval_us: int) -> tuple[int, int]:
    """Take the next free slot and move it on by ``interval_us``: (slot, now), microseconds."""
    if settings.REDIS_URL:
        return _reserve_redis(interval_us)
    return _reserve_database(interval_us)


@cache
def _script(url: str) -> Any:
    return redis.Redis.from_url(url).register_script(_RESERVE_LUA)


def _reserve_redis(interval_us: int) -> tuple[int, int]:
    slot, now = _script(settings.REDIS_URL)(
        keys=[f"reminders:sms-next-free:{KEY}"], args=[interval_us]
    )
    return int(slot), int(now)


_RESERVE_SQL = {
    # One statement: the row lock orders concurrent senders; clock_timestamp() is the
    # database's clock at this moment (now() would be the transaction's start).
    "postgresql": """
        WITH clock AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS us)
        UPDATE reminders_sendpace
        SET next_free_us = greatest(next_free_us, clock.us) + %(interval)s
        FROM clock
        WHERE name = %(name)s
        RETURNING next_free_us - %(interval)s, clock.us
    """,
    # SQLite has one writer at a time; one machine, so this process' clock will do.
    "sqlite": """
        UPDATE reminders_sendpace
        SET next_free_us = max(next_free_us, %(now)s) + %(interval)s
        WHERE name = %(name)s
        RETURNING next_free_us - %(interval)s, %(now)s
    """,
}


def _reserve_database(interval_us: int) -> tuple[int, int]:
    sql = _RESERVE_SQL[connection.vendor]
    while True:
        params: dict[str, int | str] = {
            "interval": interval_us,
            "name": KEY,
            "now": time.time_ns() // 1000,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row:
            return int(row[0]), int(row[1])
        SendPace.objects.bulk_create([SendPace(name=KEY)], ignore_conflicts=True)
