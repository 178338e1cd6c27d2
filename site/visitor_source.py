"""Where a Book a call visitor came from: the page whose call to action led to the form.

Links to the form carry `?from=<page id>`; without it, a Referer from this site's own host is
resolved to a page. Whatever the visitor sends is only a hint: it is kept only when it names a
live page of the form's own site, and anything else is dropped without a word (never an error).
The same rules run when the form is shown (to fill its hidden field) and when it is posted.
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import DisallowedHost
from wagtail.models import Page

from consultancy_site.delivery.site_paths import relative_url, site_root_path

# The hidden form field, and the key of the submission's data that shows the source.
CAME_FROM_FIELD = "came_from"
CAME_FROM_LABEL = "Came from"
MAX_PAGE_ID = 2**31 - 1  # the largest id a page can have (a 32-bit integer column)
MAX_REFERER_LENGTH = 2000


def page_id(value):
    """The page id a visitor's value spells, or None (text, signs, huge numbers, nothing)."""
    value = str(value or "").strip()
    if not value or len(value) > 10 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_PAGE_ID else None


def live_pages_of_site(form_page):
    root_path = site_root_path(form_page.url_path)
    if root_path is None:
        return Page.objects.none(), None
    pages = Page.objects.live().filter(url_path__startswith=root_path).exclude(pk=form_page.pk)
    return pages, root_path


def source_by_id(value, form_page):
    """The live page of the form's own site that `value` (a visitor's ?from=) names, or None."""
    pk = page_id(value)
    if pk is None:
        return None
    pages, _root_path = live_pages_of_site(form_page)
    return pages.filter(pk=pk).first()


def source_by_referer(request, form_page):
    """The live page of the form's site that a same-host Referer names, or None."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or len(referer) > MAX_REFERER_LENGTH:
        return None
    try:
        parts = urlsplit(referer)
        host = request.get_host()
    except (ValueError, DisallowedHost):
        return None
    if not parts.netloc or parts.netloc.lower() != host.lower():
        return None
    pages, root_path = live_pages_of_site(form_page)
    if root_path is None:
        return None
    components = [part for part in unquote(parts.path).split("/") if part]
    if any(part in (".", "..") for part in components):
        return None
    url_path = root_path + "".join(f"{part}/" for part in components)
    if components:
        pages = pages.filter(slug=components[-1])  # indexed; url_path is not
    return pages.filter(url_path=url_path).first()


def visitor_source(request, form_page):
    """Where a visitor opening the form came from: ?from=, else a same-host Referer."""
    return source_by_id(request.GET.get("from"), form_page) or source_by_referer(request, form_page)


def path_of(page):
    """The source page's path on its site as it is now (kept with the submission)."""
    if page is None:
        return ""
    return (relative_url(page.url_path) or "")[:255]
