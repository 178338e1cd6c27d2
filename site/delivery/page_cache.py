"""Whole pages for anonymous readers, kept in Django's cache (Redis when REDIS_URL is set, else
files every worker on the machine shares) and purged page by page when something they show
changes (`delivery.showing` says what; `delivery.purge` does it)."""

import re
import time

from django.conf import settings
from django.core.cache import cache

from .chrome import invalidate_chrome

PAGE_KEY_PREFIX = "page:"
CACHEABLE_QUERY = re.compile(r"^(page=[1-9]\d{0,5})?$")  # only what purge_paths purges
UNCACHED_PREFIXES = (
    "/admin/",
    "/documents/",
    "/search/",
    "/static/",
    "/media/",
    "/_util/",
    "/healthz/",
    "/review/",  # drafts shown through review links (which also say no-store)
)


def page_key(path, query=""):
    return f"{PAGE_KEY_PREFIX}{path}?{query}"


def purged_key(path):
    return f"purged:{path}"


def parent_path(path):
    """ "/writing/topic/article/" -> "/writing/topic/": purge marks are kept per section."""
    return path.rstrip("/").rsplit("/", 1)[0] + "/"


def purge_paths(paths_with_pages):
    """Forget the cached copies of these paths; `(path, pages)` pairs cover ?page=1…pages.

    Each path also records when it was purged, so that a response that was being rendered
    from the old data while this ran is not stored afterwards (see PageCacheMiddleware).
    """
    keys, now = [], time.time()
    for path, pages in paths_with_pages:
        keys.append(page_key(path))
        keys.extend(page_key(path, f"page={number}") for number in range(1, pages + 1))
    # One mark per section, not per page: a topic's thousand articles share one.
    sections = {parent_path(path) for path, _pages in paths_with_pages}
    cache.set_many(
        {purged_key(section): now for section in sections}, timeout=settings.PAGE_CACHE_SECONDS
    )
    cache.delete_many(keys)
    return keys


def purge_all_pages():
    """Structural changes (navigation, settings) show on every page: drop them all."""
    client = getattr(cache, "_cache", None)
    if client is not None and hasattr(client, "get_client"):  # Django's RedisCache
        redis = client.get_client(write=True)
        for key in redis.scan_iter(match=cache.make_key(f"{PAGE_KEY_PREFIX}*")):
            redis.delete(key)
    else:
        cache.clear()  # file or memory cache: nothing else lives there for long
    # After the clear, which would otherwise erase them: the race marker and a new chrome.
    cache.set("purged:*", time.time(), timeout=settings.PAGE_CACHE_SECONDS)
    invalidate_chrome()
