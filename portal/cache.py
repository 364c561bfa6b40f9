"""The shared cache (Redis), degrading instead of failing.

Only counters live there: DRF's throttles and allauth's rate limits. With the cache down a
request is still served: every operation of `FailOpenRedisCache` that cannot reach Redis logs
a warning and answers as an empty cache would (a read misses, a write or an `add` seems to
succeed), so the rate limits let the request through. Two callers want to know instead, and
ask inside `strict_cache()`, where the error is raised as `CacheUnavailable`: `/readyz` (which
reports the cache as down) and sign-in's attempt limit (portal.adapters), which refuses rather
than letting guesses through uncounted.
"""

import contextlib
import logging
import time
from contextvars import ContextVar

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

_strict: ContextVar[bool] = ContextVar("strict_cache", default=False)
# Seconds between two warnings about the cache being down, per process: not one per request.
WARN_EVERY = 10.0


class CacheUnavailable(Exception):
    pass


@contextlib.contextmanager
def strict_cache():
    """Inside this block the cache raises CacheUnavailable instead of failing open."""
    token = _strict.set(True)
    try:
        yield
    finally:
        _strict.reset(token)


def _fail_open(method_name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FailOpenRedisCache, self), method_name)(*args, **kwargs)
        except self._redis_errors as exc:
            if _strict.get():
                raise CacheUnavailable(f"{type(exc).__name__}: {exc}") from exc
            now = time.monotonic()
            if now - self._last_warning >= WARN_EVERY:
                self._last_warning = now
                logger.warning(
                    "The cache is unavailable (%s: %s): rate limits are not counted until it is back.",
                    type(exc).__name__,
                    exc,
                )
            return fallback(*args, **kwargs)

    method.__name__ = method_name
    return method


def _default(key, default=None, version=None):
    return default


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, failing open (see the module's docstring). Connections give up
    after CACHE_TIMEOUT seconds, so that a Redis that does not answer holds no request long."""

    _last_warning = -WARN_EVERY

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, params)
        import redis

        self._redis_errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)

    get = _fail_open("get", _default)
    set = _fail_open("set", lambda *args, **kwargs: None)
    add = _fail_open("add", lambda *args, **kwargs: True)
    touch = _fail_open("touch", lambda *args, **kwargs: False)
    delete = _fail_open("delete", lambda *args, **kwargs: False)
    get_many = _fail_open("get_many", lambda *args, **kwargs: {})
    set_many = _fail_open("set_many", lambda *args, **kwargs: [])
    delete_many = _fail_open("delete_many", lambda *args, **kwargs: None)
    has_key = _fail_open("has_key", lambda *args, **kwargs: False)
    incr = _fail_open("incr", lambda key, delta=1, version=None: delta)
    clear = _fail_open("clear", lambda *args, **kwargs: False)


def cache_settings(url: str, timeout: float = 1) -> dict:
    """CACHES["default"] for CACHE_URL: a redis:// URL gets the failing-open backend."""
    import environ

    config = environ.Env.cache_url_config(url)
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "portal.cache.FailOpenRedisCache"
        config.setdefault("OPTIONS", {}).update(socket_connect_timeout=timeout, socket_timeout=timeout)
    return config


def check_cache() -> str:
    """'ok', or raises CacheUnavailable (readyz)."""
    from django.core.cache import cache

    with strict_cache():
        cache.set("portal:readyz", 1, 10)
        if cache.get("portal:readyz") != 1:
            raise CacheUnavailable("a value written could not be read back")
    return "ok"


__all__ = ["CacheUnavailable", "FailOpenRedisCache", "cache_settings", "check_cache", "strict_cache"]
