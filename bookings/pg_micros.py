"""PostgreSQL timestamps read as integers: microseconds since the Unix epoch.

The slot search works in integers (``scheduler.slots``). A timestamptz travels in
PostgreSQL's binary format as a 64-bit count of microseconds since 2000-01-01 UTC: read
with psycopg's own integer loader (in C), each costs a fraction of Django's datetime
loader (pure Python, ~3 µs a value) or of an ``EXTRACT(EPOCH …)`` the server works out in
numeric, and it is exact. The query still goes through Django's cursor wrapper, so it is
counted, logged and wrapped in Django's errors like any other.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection
from django.db.backends.utils import CursorWrapper
from psycopg import pq

# From PostgreSQL's epoch (2000-01-01 UTC) to the Unix one, in microseconds.
SINCE_UNIX_EPOCH = 946_684_800_000_000
_INT8 = psycopg.postgres.types["int8"].oid


@contextmanager
def micros_cursor() -> Iterator[CursorWrapper]:
    """A cursor whose rows give each timestamptz as microseconds since 2000-01-01 UTC
    (add ``SINCE_UNIX_EPOCH``); other columns read as usual."""
    connection.ensure_connection()
    raw = connection.connection
    # Binary results need the parameters bound on the server (Django's own cursors bind
    # them on the client).
    cursor = psycopg.Cursor(raw)
    cursor.format = pq.Format.BINARY
    int8 = raw.adapters.get_loader(_INT8, pq.Format.BINARY)
    assert int8 is not None
    cursor.adapters.register_loader("timestamptz", int8)
    # What Django's own cursor() does with the database's cursor (the stubs call that
    # argument a wrapper already).
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    wrapped = wrap(cursor)  # type: ignore[arg-type]
    with wrapped:
        yield wrapped
