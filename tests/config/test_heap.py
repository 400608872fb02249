"""Web and worker processes freeze what they loaded at start-up (config/heap.py)."""

import os
import subprocess
import sys
from pathlib import Path

from celery.signals import worker_process_init

ROOT = Path(__file__).resolve().parents[2]

LOAD_WEB = """
import gc
import config.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_the_web_entry_point_leaves_its_start_up_objects_out_of_the_collectors_sight():
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_WEB],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    frozen, tracked = (int(n) for n in loaded.stdout.split())
    # Django and every view module are frozen; only what came after is still tracked.
    assert frozen > 50_000 and tracked < frozen // 10


def test_each_worker_process_freezes_its_start_up_objects_once_loaded():
    import config.celery

    assert config.celery._freeze_start_up_heap in [
        receiver() for _, receiver in worker_process_init.receivers
    ]
