"""The API's rate limits (portal/api/throttling.py): a counter per client and window, shared by
every process through the cache, at the same cost whatever the rate."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from portal.api.throttling import UserRateThrottle


class ThreePerMinute(UserRateThrottle):
    rate = "3/min"


class TwoPerSecond(UserRateThrottle):
    rate = "2/s"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def request_of(user_id):
    return SimpleNamespace(user=SimpleNamespace(pk=user_id, is_authenticated=True))


def test_processes_share_one_count_per_user():
    """Each request below is seen by a new throttle, as by another gunicorn process."""
    seen = [ThreePerMinute().allow_request(request_of(1), None) for _ in range(4)]

    assert seen == [True, True, True, False]
    assert ThreePerMinute().allow_request(request_of(2), None) is True


def test_the_cache_holds_a_count_not_a_list_of_request_times():
    for _ in range(3):
        ThreePerMinute().allow_request(request_of(1), None)

    assert cache.get(ThreePerMinute().get_cache_key(request_of(1), None)) == 3


def test_a_refused_request_is_told_when_the_window_closes():
    throttle = ThreePerMinute()
    for _ in range(4):
        allowed = throttle.allow_request(request_of(1), None)

    assert allowed is False
    assert 55 < throttle.wait() <= 60


def test_the_window_reopens_once_it_has_passed():
    assert [TwoPerSecond().allow_request(request_of(1), None) for _ in range(3)] == [True, True, False]

    time.sleep(1.05)

    assert TwoPerSecond().allow_request(request_of(1), None) is True
