"""Real servers for the measurements that go through the network: gunicorn and Celery."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    """The database this process uses, for the servers it starts (the test one in pytest)."""
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    url = f"postgres://{auth}@{host}:{port}/{db['NAME']}"
    # Persistent connections, when this process has them, so the servers match it.
    if db.get("CONN_MAX_AGE"):
        url += f"?conn_max_age={db['CONN_MAX_AGE']}&conn_health_checks=True"
    return url


def server_env(**extra: str) -> dict[str, str]:
    """A web or worker process's environment, as in production: with DEBUG on, Django
    keeps and formats every query's SQL (the worker's cost per text was a third higher)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CLINIC_TIME_ZONE": settings.CLINIC_TIME_ZONE,
        "LOG_LEVEL": "WARNING",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    env.update(extra)
    return env


def _log(name: str) -> Path:
    path = Path(settings.VAR_DIR) / "bench" / f"{name}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _stop(process: "subprocess.Popen[bytes]", *, grace: float = 15.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def gunicorn(*, workers: int = 2, threads: int = 16) -> Iterator[str]:
    """The production web server on a free port; yields its base URL."""
    port = free_port()
    env = server_env()
    log = _log("gunicorn").open("wb")
    process = subprocess.Popen(  # noqa: S603 (our own executables, fixed arguments)
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--backlog=512",
            "--graceful-timeout=5",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(f"{url}/healthz", process)
        yield url
    finally:
        _stop(process)
        log.close()


def _wait_http(url: str, process: "subprocess.Popen[bytes]", timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see var/bench/*.log")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (local)
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not answer in {timeout:.0f} s")


@contextmanager
def celery_worker(
    name: str, env: Mapping[str, str], *, pool: str = "solo", concurrency: int = 1
) -> Iterator[None]:
    """``celery -A config worker`` in its own process, ready when this yields."""
    from config.celery import app

    node = f"{name}-{os.getpid()}@bench"
    log = _log(name).open("wb")
    process = subprocess.Popen(  # noqa: S603 (our own executables, fixed arguments)
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "-Q",
            "sms,celery",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "--prefetch-multiplier=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            "-n",
            node,
        ],
        cwd=settings.BASE_DIR,
        env=dict(env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Celery worker {node} did not start; see var/bench/{name}.log")
        yield
    finally:
        _stop(process, grace=30)
        log.close()


def purge_queues() -> None:
    """Drop tasks a previous measurement left on the bench broker."""
    from config.celery import app

    with app.connection_for_write() as conn:
        channel: Any = conn.default_channel
        for queue in ("sms", "celery"):
            # A queue never declared has nothing to purge.
            with contextlib.suppress(Exception):
                channel.queue_purge(queue)
