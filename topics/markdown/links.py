"""What a URL in a Markdown file points to on this site: a page, a document, an image."""

import posixpath
import re
from html import escape, unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

LINK_SCHEMES = {"http", "https", "mailto", "tel"}
# A link to a page that the same import creates: its id is known once the page exists.
NEW_PAGE_LINK = re.compile(r'(<a linktype="page" id=")new:([^"]*)(")')


class LinkError(ValueError):
    """A URL that cannot go into an article, with the reason as the message."""


def normal_path(path):
    """A site path as Wagtail stores its pages' paths: absolute, with a trailing slash."""
    return posixpath.normpath(path).rstrip("/") + "/"


def link_new_pages(html, page_ids):
    """Rich text whose links to pages created by the same import point at those pages."""
    return NEW_PAGE_LINK.sub(
        lambda m: f"{m.group(1)}{page_ids[unescape(m.group(2))]}{m.group(3)}", html
    )


def site_netloc(site):
    default_port = {80, 443}
    return site.hostname if site.port in default_port else f"{site.hostname}:{site.port}"


class SiteLinks:
    """Turns the URLs of a Markdown file into Wagtail's stored rich-text links.

    A URL on this site (a path, or a full URL on one of its hosts) that leads to a page becomes
    a page link, so it follows the page when it moves; one that leads to a document becomes a
    document link; anything else stays an external link as written. `planned` holds the paths
    of pages an import is about to create (path -> anything): links to them become page links
    too, written `id="new:PATH"` until the page exists (`link_new_pages`).
    """

    def __init__(self):
        self.sites = list(Site.objects.select_related("root_page"))
        default = next((s for s in self.sites if s.is_default_site), None)
        self.hosts = {site_netloc(site).lower(): site for site in self.sites}
        admin_host = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).netloc.lower()
        if admin_host and default is not None:
            self.hosts.setdefault(admin_host, default)
        self.default_site = default
        self.media_hosts = {h.lower() for h in getattr(settings, "MEDIA_HOSTS", [])}
        self.planned = {}

    # The site a URL is on, and its path there ---------------------------------------------
    def local(self, url):
        """(site, path, query, fragment) if `url` is on this site, else None."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("http", "https"):
                return None
            site = self.hosts.get(parts.netloc.lower())
            if site is None:
                return None
        else:
            site = self.default_site
        return site, parts.path, parts.query, parts.fragment

    def page_at(self, site, path):
        if site is None or not path.startswith("/"):
            return None
        if not path.endswith("/"):
            path += "/"
        url_path = site.root_page.url_path.rstrip("/") + normal_path(path)
        return Page.objects.filter(url_path=url_path).only("id").first()

    @staticmethod
    def document_at(path):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.url_name != "wagtaildocs_serve":
            return None
        return get_document_model().objects.filter(pk=match.kwargs.get("document_id")).first()

    # Rich-text links --------------------------------------------------------------------------
    def link_tag(self, href, own_path=None):
        """The opening <a> tag (Wagtail's stored format) for a Markdown link to `href`."""
        href = href.strip()
        if not href:
            raise LinkError("a link needs a URL")
        if href.startswith("#"):
            return f'<a href="{escape(href)}">'
        parts = urlsplit(href)
        if parts.scheme and parts.scheme.lower() not in LINK_SCHEMES:
            raise LinkError(
                f"links may be http(s), mailto: or tel: URLs or paths on this site, not {href}"
            )
        if not parts.scheme and not parts.netloc and not href.startswith("/"):
            raise LinkError(
                f"the relative link {href} would break once published: link to a path on the "
                "site (/writing/…) or a full URL"
            )
        local = self.local(href)
        if local is not None:
            site, path, query, fragment = local
            if own_path and path == own_path and not query:
                # A link to a section of the article itself (as its Markdown twin writes them).
                return (
                    f'<a href="#{escape(fragment)}">' if fragment else f'<a href="{escape(href)}">'
                )
            if not query and not fragment:
                page = self.page_at(site, path)
                if page is not None:
                    return f'<a linktype="page" id="{page.pk}">'
                if site is self.default_site and normal_path(path) in self.planned:
                    return f'<a linktype="page" id="new:{escape(normal_path(path))}">'
                document = self.document_at(path)
                if document is not None:
                    return f'<a linktype="document" id="{document.pk}">'
        return f'<a href="{escape(href)}">'

    # Images already on the site ----------------------------------------------------------------
    def media_image(self, src):
        """The image whose original or rendition lives at `src` (a URL on this site's media),
        or None when `src` is not on this site's media; LinkError when it is but is unknown."""
        parts = urlsplit(src)
        if parts.netloc:
            host = parts.netloc.lower()
            if host not in self.hosts and host not in self.media_hosts:
                return None
        elif not src.startswith("/"):
            return None
        media_path = urlsplit(settings.MEDIA_URL).path
        path = unquote(parts.path)
        if not path.startswith(media_path):
            return None
        name = path[len(media_path) :]
        image_model = get_image_model()
        image = image_model.objects.filter(file=name).first()
        if image is None:
            rendition = (
                image_model.get_rendition_model()
                .objects.filter(file=name)
                .select_related("image")
                .first()
            )
            image = rendition.image if rendition else None
        if image is None:
            raise LinkError(f"no image on this site is stored at {src}")
        return image
