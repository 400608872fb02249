"""The global send rate: sends spaced 1/limit apart, whichever worker sends them."""

import itertools
import threading
import uuid

import pytest
from django.db import connection

from reminders import throttle


def most_in_one_second(slots_us: list[int]) -> int:
    """The most slots inside any sliding one-second window (what Twilio would count)."""
    ordered = sorted(slots_us)
    most = start = 0
    for end, slot in enumerate(ordered):
        while slot - ordered[start] >= 1_000_000:
            start += 1
        most = max(most, end - start + 1)
    return most


@pytest.fixture
def own_key(monkeypatch):
    """A throttle no other test (or test run sharing the server) uses."""
    monkeypatch.setattr(throttle, "KEY", f"test-{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request, settings, own_key):
    if request.param == "database":
        settings.REDIS_URL = ""
    return request.param


@pytest.mark.django_db
def test_each_reservation_takes_the_slot_one_interval_after_the_last(backend):
    ten_seconds = 10_000_000  # longer than this test, so no slot falls back to "now"
    first, now = throttle.reserve(ten_seconds)
    assert first == now  # nobody sent lately: go at once
    slots = [first] + [throttle.reserve(ten_seconds)[0] for _ in range(3)]
    assert [b - a for a, b in itertools.pairwise(slots)] == [ten_seconds] * 3


@pytest.mark.django_db
def test_a_sender_waits_for_its_slot(backend, settings, monkeypatch):
    settings.SMS_MAX_PER_SECOND = 2
    slept: list[float] = []
    monkeypatch.setattr("reminders.throttle.time.sleep", slept.append)
    throttle.wait_for_turn()
    throttle.wait_for_turn()
    # The second slot is half a second (plus the headroom) after the first one.
    assert len(slept) == 1 and 0 < slept[0] <= 0.5 * (1 + throttle.HEADROOM)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_never_put_more_than_the_limit_in_any_second(backend, settings):
    """The old throttle counted per clock second: up to twice the limit in a sliding one."""
    settings.SMS_MAX_PER_SECOND = 20
    slots: list[int] = []
    lock = threading.Lock()
    senders = 3
    start = threading.Barrier(senders)

    def sender() -> None:
        try:
            start.wait()
            for _ in range(10):
                slot = throttle.wait_for_turn()
                assert slot is not None
                with lock:
                    slots.append(slot)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(slots) == len(set(slots)) == 10 * senders
    assert most_in_one_second(slots) <= 20


def test_no_limit_means_no_waiting(settings):
    settings.SMS_MAX_PER_SECOND = 0
    assert throttle.wait_for_turn() is None
