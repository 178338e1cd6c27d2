"""The chrome cache: the site and home page, navigation, settings, listings, rendered bodies and
panels, kept in Django's cache until anything is published or a setting changes.

Every key carries the current chrome version; invalidating is writing a new version, so one write
drops everything at once on every app server that shares the cache.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CHROME_VERSION_KEY = "chrome:version"


def chrome_version():
    # A timestamp, not a counter: a version can never come back after the key is evicted.
    return cache.get_or_set(CHROME_VERSION_KEY, time.time_ns, timeout=None)


def cached_chrome(name, build, keep=None):
    """`build()`'s value, kept until anything is published; `keep(value)` False: not kept."""
    try:
        version = chrome_version()
        key = f"chrome:{version}:{name}"
        value = cache.get(key)
    except Exception:  # a cache that is down costs queries, never an error page
        logger.exception("Chrome cache unavailable")
        return build()
    if value is None:
        value = build()
        try:
            # Building may itself have changed the chrome (a settings row created on first
            # use): keep what was built only if nothing was invalidated meanwhile.
            if chrome_version() == version and (keep is None or keep(value)):
                cache.set(key, value, timeout=settings.CHROME_CACHE_SECONDS)
        except Exception:
            logger.exception("Chrome cache unavailable")
    return value


def invalidate_chrome():
    cache.set(CHROME_VERSION_KEY, time.time_ns(), timeout=None)
