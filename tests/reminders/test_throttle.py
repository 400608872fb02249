"""The global send rate: a window per second, shared by every worker."""

import uuid

import pytest

from reminders import throttle


@pytest.mark.django_db
def test_the_database_window_lets_through_the_limit_and_no_more(settings):
    settings.REDIS_URL = ""
    second = 1_700_000_000
    assert [throttle._take(second, 3) for _ in range(4)] == [True, True, True, False]
    assert throttle._take(second + 1, 3)


@pytest.mark.redis
def test_the_redis_window_lets_through_the_limit_and_no_more(settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    second = uuid.uuid4().int % 10**9  # a window no other test uses
    assert [throttle._take(second, 2) for _ in range(3)] == [True, True, False]
    assert throttle._take(second + 1, 2)


def test_no_limit_means_no_waiting(settings):
    settings.SMS_MAX_PER_SECOND = 0
    throttle.wait_for_turn()
