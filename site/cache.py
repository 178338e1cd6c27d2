"""Two caches, both in Django's cache (Redis when REDIS_URL is set, else files every worker on
the machine shares):

- the site chrome: the site and home page, navigation, settings, listings, rendered bodies and
  panels, all rebuilt after any publish or settings change (`cached_chrome`);
- whole pages for anonymous readers, purged page by page when something they show changes
  (the set comes from `consultancy_site.invalidation.urls_showing`).

Also here: the cache backends (a Redis cache that never breaks a page, a file cache without
zlib) and the middleware that serves from them.
"""

import logging
import pickle
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CHROME_VERSION_KEY = "chrome:version"
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
# Response headers worth keeping with a cached page (security headers included: a hit skips
# the middleware that would add them again).
STORED_HEADERS = {
    "content-type",
    "content-language",
    "cache-control",
    "vary",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "strict-transport-security",
    "content-security-policy",
    "permissions-policy",
    "link",  # rel="canonical" of text versions (topics.markdown)
}


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


# The site chrome -------------------------------------------------------------------------------
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


class CachedViewRestrictionsMixin:
    """Page types whose privacy check (two queries on every request) comes from the chrome.

    Any change to a view restriction purges every page and the chrome (see signals)."""

    def get_view_restrictions(self):
        return cached_chrome(f"restrictions:{self.path}", lambda: list(self.load_restrictions()))

    def load_restrictions(self):
        # Routing fetched every page on the way here (HomePage.route): with no alias among them,
        # the restrictions of the page and its ancestors are one query by path, not two.
        on_the_way = self.__dict__.get("_seo_ancestors")
        if on_the_way is None or any(page.alias_of_id for page in [*on_the_way, self]):
            return super().get_view_restrictions()
        from wagtail.models import PageViewRestriction  # this module is also a cache backend's

        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(page__path__in=paths)


# Whole pages -----------------------------------------------------------------------------------
def page_key(path, query=""):
    return f"{PAGE_KEY_PREFIX}{path}?{query}"


def purged_key(path):
    return f"purged:{path}"


def parent_path(path):
    """ "/writing/hub/article/" -> "/writing/hub/": purge marks are kept per section."""
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
    # One mark per section, not per page: a hub's thousand siblings share one.
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


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous readers.

    Never for a request with a session cookie (signed-in users) or a preview, never for a response
    that sets a cookie or used a CSRF token (forms), only for GET/HEAD 200 responses of pages,
    feeds and the sitemap, and only with no query string but ?page=N.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def cacheable_request(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            # Wagtail's preview requests (is_dummy) render drafts at the page's own URL.
            and not getattr(request, "is_dummy", False)
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(UNCACHED_PREFIXES)
            and CACHEABLE_QUERY.match(request.META.get("QUERY_STRING", ""))
        )

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.mark_private(request, self.get_response(request))
        request.get_host()  # a Host not in ALLOWED_HOSTS is a 400 even for a cached page
        key = page_key(request.path, request.META.get("QUERY_STRING", ""))
        try:
            stored = cache.get(key)
        except Exception:  # a cache that is down serves pages uncached, never an error
            logger.exception("Page cache unavailable")
            stored = None
        if stored is not None:
            return self.from_cache(stored, request)
        started = time.time()
        response = self.get_response(request)
        if self.cacheable_response(request, response):
            self.set_public(response)
            self.store(key, request.path, started, response)
            response["X-Cache"] = "MISS"
        return self.mark_private(request, response)

    def store(self, key, path, started, response):
        try:
            purged = cache.get_many([purged_key(parent_path(path)), "purged:*"]).values()
            if any(when >= started for when in purged):
                return  # rendered from data that changed while it was being rendered
            cache.set(key, self.to_cache(response), timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Page cache unavailable")

    @staticmethod
    def cacheable_response(request, response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def set_public(response):
        # Browsers revalidate; a CDN may keep the page (it is purged when the page changes).
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.CDN_S_MAXAGE)

    @staticmethod
    def mark_private(request, response):
        # Whatever was not cached here must not be kept by a CDN either.
        if "Cache-Control" not in response and not request.path.startswith("/static/"):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def to_cache(response):
        headers = {k: v for k, v in response.items() if k.lower() in STORED_HEADERS}
        return (response.content, headers)

    @staticmethod
    def from_cache(stored, request):
        from django.http import HttpResponse

        content, headers = stored
        response = HttpResponse(b"" if request.method == "HEAD" else content)
        for header, value in headers.items():
            response[header] = value
        response["Content-Length"] = str(len(content))
        response["X-Cache"] = "HIT"
        response["Date"] = http_date()
        return response


class CachedSiteMiddleware:
    """Which Wagtail site (and its home page, in its specific form) a request is for, from the
    chrome cache: two queries fewer on every page that is not served from the page cache.

    Wagtail looks for `request._wagtail_site` before it queries; a Site or home page change
    purges the chrome."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from wagtail.models import Site

        def find():
            site = Site._find_for_request(request)
            if site is not None:
                site.root_page.specific  # noqa: B018 (kept with the cached site)
            return site

        if not request.path.startswith(UNCACHED_PREFIXES):
            host = f"{request._get_raw_host()}:{request.get_port()}"
            request._wagtail_site = cached_chrome(f"site-for:{host}", find)
        return self.get_response(request)
