"""Cache backends for Django's cache (settings.CACHES): Redis that never breaks a page, and a
file cache without zlib for a single machine."""

import logging
import pickle
import time

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class UncompressedFileCache(FileBasedCache):
    """Django's file cache without zlib: a cached page is read on every hit, and decompressing
    it cost twice as much as reading it. Disk is cheap; the pickles are written as they are."""

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    return pickle.loads(f.read())  # noqa: S301 (written by this process)
        except FileNotFoundError:
            pass
        return default

    def touch(self, key, timeout=None, version=None):
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout=timeout, version=version)
        return True

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that never turns an unreachable or hung Redis into an error page.

    Every call that fails returns what a cache miss would, is logged, and opens a short circuit
    breaker: for a few seconds no call waits on Redis at all, so no request hangs on it.
    Sessions live in the database, so nobody is signed out while Redis is away.
    """

    breaker_seconds = 5.0

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.25)
        super().__init__(server, params)
        self._down_until = 0.0


def _resilient(name, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback(args, kwargs)
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError):
            logger.warning("Redis unavailable: %s skipped for %ss", name, self.breaker_seconds)
            self._down_until = time.monotonic() + self.breaker_seconds
            return fallback(args, kwargs)

    call.__name__ = name
    return call


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


for _name, _fallback in {
    "get": _default,
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "add": lambda args, kwargs: False,
    "set": lambda args, kwargs: None,
    "set_many": lambda args, kwargs: [],
    "touch": lambda args, kwargs: False,
    "delete": lambda args, kwargs: False,
    "delete_many": lambda args, kwargs: None,
    "incr": lambda args, kwargs: 0,
    "clear": lambda args, kwargs: None,
}.items():
    setattr(ResilientRedisCache, _name, _resilient(_name, _fallback))
