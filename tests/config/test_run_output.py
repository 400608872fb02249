"""What `make run` prints: no broker warning, and the address only once it answers."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

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
