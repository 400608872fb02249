"""The bench's own PostgreSQL database: created when missing, migrated, Django set up."""

import urllib.parse

import django
import psycopg
from psycopg import sql


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """CREATE DATABASE when the one in ``url`` does not exist yet (or ``fresh``: anew)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"make bench measures PostgreSQL; DATABASE_URL is {parts.scheme}://…")
    name = parts.path.lstrip("/")
    server = urllib.parse.urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(server, autocommit=True) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(url: str, *, fresh: bool = False) -> None:
    """Database, Django and schema ready; queries are not logged (as in production)."""
    ensure_database(url, fresh=fresh)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    if not settings.REDIS_URL:
        raise SystemExit("make bench needs Redis: set REDIS_URL=redis://…")
    # DEBUG keeps every query's SQL; a 100,000-row INSERT would be measured twice.
    settings.DEBUG = False
    try:
        call_command("migrate", verbosity=0, interactive=False)
    except DatabaseError as exc:
        raise SystemExit(
            f"Migrating the bench database failed ({exc}). Migrations were probably rewritten "
            "since it was made: run again with --fresh-db to start it anew."
        ) from exc
    # As the web and worker processes do once loaded (config/heap.py).
    from config.heap import freeze_start_up_heap

    freeze_start_up_heap()
