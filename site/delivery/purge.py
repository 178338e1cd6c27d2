"""Purging: the cached copies of what shows a page, here (page cache and chrome) and at a CDN."""

import logging

from django.conf import settings
from django.db import transaction
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Site

from . import chrome, page_cache

logger = logging.getLogger(__name__)


def union(before, after):
    """Two sets of Shown (None means every page): their union, keeping the larger page counts."""
    if before is None or after is None:
        return None
    merged = {}
    for item in [*before, *after]:
        if item.path not in merged or item.pages > merged[item.path].pages:
            merged[item.path] = item
    return sorted(merged.values())


def purge(shown):
    """Purge the URLs that show a page (None: every page), here and in a CDN.

    Now, so the rest of this request (and a test) sees it, and again once the transaction
    commits, so a page rendered from the old data in the meantime does not linger. A cache
    that cannot be reached must not undo the editor's action: the failure is logged.
    """

    def purge_here():
        try:
            if shown is None:
                page_cache.purge_all_pages()
            else:
                chrome.invalidate_chrome()
                page_cache.purge_paths([(item.path, item.pages) for item in shown])
        except Exception:
            logger.exception("Could not purge cached pages")

    purge_here()
    transaction.on_commit(purge_here)
    transaction.on_commit(lambda: purge_cdn(None if shown is None else {i.path for i in shown}))


def purge_cdn(paths):
    """Hand the same set to Wagtail's frontend cache when a CDN is configured."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    for site in Site.objects.all():
        if paths is None:
            purge_urls_from_cache([site.root_url + "/*"])
        else:
            purge_urls_from_cache([site.root_url + path for path in sorted(paths)])
