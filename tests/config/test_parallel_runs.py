"""Test processes running side by side never share a Redis database or broker folder."""

import os

from django.conf import settings

from config.parallel_runs import broker_folder_name, redis_url_for, worker_number


def test_a_process_outside_a_parallel_run_keeps_its_redis_database_and_broker_folder():
    assert worker_number({}) is None
    assert redis_url_for("redis://127.0.0.1:6379/7", None) == "redis://127.0.0.1:6379/7"
    assert broker_folder_name(None) == "broker"


def test_each_parallel_process_takes_the_next_redis_database_and_its_own_folder():
    urls = {redis_url_for("redis://127.0.0.1:6379/7", n) for n in range(3)}
    assert urls == {f"redis://127.0.0.1:6379/{db}" for db in (7, 8, 9)}
    assert redis_url_for("redis://:secret@redis:6379", 1) == "redis://:secret@redis:6379/1"
    assert redis_url_for("", 1) == ""  # no Redis: the database broker stays
    assert len({broker_folder_name(n) for n in (None, 0, 1)}) == 3
    assert worker_number({"PYTEST_XDIST_WORKER": "gw3"}) == 3


def test_this_process_uses_the_database_and_folder_of_its_own_worker_number():
    worker = worker_number()
    assert redis_url_for(os.environ.get("REDIS_URL", ""), worker) == settings.REDIS_URL
    assert settings.BROKER_DIR.name == broker_folder_name(worker)
