"""What `make run` prints: no broker warning, and the address only once it answers."""

import io
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)


def test_the_embedded_broker_url_names_its_host_so_kombu_prints_no_warning():
    # A fresh settings import with no broker configured, as on a newcomer's machine.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL")
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = (
        "import logging, django; logging.basicConfig(); django.setup();"
        "from config.celery import app;"
        "connection = app.connection_for_write(); connection.info();"
        "print(connection.transport_cls)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "filesystem"
    assert "No hostname" not in done.stderr, done.stderr


@pytest.fixture
def local_server():
    server = HTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", "/login/")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_address_is_printed_once_the_server_answers(local_server):
    out, err = io.StringIO(), io.StringIO()
    call_command("wait_for_web", local_server, stdout=out, stderr=err)
    assert out.getvalue().startswith(f"Open {local_server}")
    assert err.getvalue() == ""


def test_the_address_is_not_printed_while_nothing_answers():
    url = f"http://127.0.0.1:{_free_port()}/"
    out, err = io.StringIO(), io.StringIO()
    call_command("wait_for_web", url, timeout=0, stdout=out, stderr=err)
    assert "Open" not in out.getvalue()
    assert "has not answered" in err.getvalue()


def test_make_run_leaves_the_address_to_the_procfile():
    makefile = (BASE_DIR / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "Open http" not in run
    procfile = (BASE_DIR / "Procfile").read_text()
    assert "manage.py wait_for_web http://127.0.0.1:8000/ --stay" in procfile
