"""Middleware that serves pages from the delivery caches: whole pages for anonymous readers, and
the Wagtail site of each request from the chrome cache."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from wagtail.models import Site

from .chrome import cached_chrome
from .page_cache import CACHEABLE_QUERY, UNCACHED_PREFIXES, page_key, parent_path, purged_key

logger = logging.getLogger(__name__)

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
        def find():
            site = Site._find_for_request(request)
            if site is not None:
                site.root_page.specific  # noqa: B018 (kept with the cached site)
            return site

        if not request.path.startswith(UNCACHED_PREFIXES):
            host = f"{request._get_raw_host()}:{request.get_port()}"
            request._wagtail_site = cached_chrome(f"site-for:{host}", find)
        return self.get_response(request)
