"""What shows a page: the URLs whose content changes when a page is published, unpublished,
moved, renamed or deleted.

Each page type that lists other pages says so beside its listing, with `@shows`:

    class TopicIndexPage(Page):
        def articles(self): ...

        @shows("topics.ArticlePage", label="All articles in this topic", paths=[...])
        def pages_listing_article(cls, article):
            return cls.objects.filter(path=article.path[: -article.steplen])

URLs that are not pages (site feeds, sitemaps, llms.txt) are declared as a `SiteListing` by the
app that serves them. A page's own URLs are Wagtail's `get_cached_paths()`. `urls_showing(page)`
reads only these declarations: the page cache purge, the CDN purge and Publish impact all use
it, so they cannot disagree. A page that is in the navigation, or of a type no page type
declares it shows (home, indexes, services, the form), is part of every page: a change to it
purges everything.
"""

import math
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.urls import reverse
from wagtail.models import Page, ReferenceIndex, get_page_models

from .listing import listed
from .site_paths import relative_url

THIS_PAGE = "This page"
LINKS_TO_IT = "Links to it"
# The home page and its children are in the navigation of every page.
NAVIGATION_DEPTH = 3


@dataclass(frozen=True)
class Shown:
    """A URL whose content shows the page; its ?page=1…`pages` variants show it too."""

    path: str
    group: str  # the listing that shows it: a declaration's label, THIS_PAGE or LINKS_TO_IT
    title: str = ""  # the page at `path`, when it is a page
    pages: int = 0


def names(models, model):
    """Whether `models` ("app_label.ModelName" strings, or "*" for every page type) names
    `model` or one of its bases."""
    return any(label == "*" or issubclass(model, apps.get_model(label)) for label in models)


class shows:
    """On a page type: its pages list pages of `models`, under `label`.

    Decorates a function `(cls, page) -> QuerySet of cls`, the pages of this type whose listing
    shows `page` (it becomes a classmethod). `paths` are the URLs of such a page the listing is
    on, relative to it as in Wagtail's `get_cached_paths`; on "/", a page type that paginates
    (`listing_page_count()`) shows it on every ?page=N.
    """

    def __init__(self, *models, label, paths=("/",)):
        self.models = models
        self.label = label
        self.paths = tuple(paths)

    def __call__(self, function):
        self.function = function
        return self

    def __set_name__(self, owner, name):
        self.model = owner

    def __get__(self, instance, owner):
        return self.function.__get__(owner)

    def listers(self, page):
        return self.function(self.model, page)


@dataclass(frozen=True)
class SiteListing:
    """A URL of every site that is not a page (a feed, a sitemap) and lists pages of `models`.

    `urls` are URL names, or (name, kwargs) pairs. The app serving the URL registers it in its
    AppConfig.ready() with `register_site_listing`."""

    label: str
    models: tuple
    urls: tuple

    def paths(self):
        return [
            reverse(url) if isinstance(url, str) else reverse(url[0], kwargs=url[1])
            for url in self.urls
        ]


site_listings = []


def register_site_listing(listing):
    if listing not in site_listings:
        site_listings.append(listing)


@cache
def page_declarations():
    """Every `@shows` of every page type, in a stable order (apps, models, then definition)."""
    found = []
    for model in get_page_models():
        if model._meta.abstract:
            continue
        for attribute in vars(model).values():
            if isinstance(attribute, shows):
                found.append(attribute)
    return found


def declarations_naming(model):
    return [declaration for declaration in page_declarations() if names(declaration.models, model)]


def in_every_page(page):
    """Whether a change to `page` shows on every page (navigation, or no listing names it)."""
    return page.depth <= NAVIGATION_DEPTH or not declarations_naming(type(page))


def urls_showing(page):
    """The Shown URLs whose content changes when `page` changes, in the order an editor reads
    them (the page, its listings as declared, links to it, site-wide listings); None when the
    change shows on every page."""
    page = page.specific
    if in_every_page(page):
        return None
    shown = own_urls(page)
    for declaration in declarations_naming(type(page)):
        listers = listed(declaration.listers(page)).only("path", "depth", "url_path", "title")
        shown += urls_of_pages(listers, declaration.label, declaration.paths)
    shown += urls_of_pages(referrers(page), LINKS_TO_IT)
    for listing in site_listings:
        if names(listing.models, type(page)):
            shown += [Shown(path, listing.label) for path in listing.paths()]
    return merged(shown)


def own_urls(page, group=THIS_PAGE):
    """The page's own cached URLs (Wagtail's get_cached_paths), with its ?page=N variants."""
    return urls_of_pages([page], group)


def urls_of_pages(pages, group, paths=None):
    shown = []
    for page in pages:
        url = relative_url(page.url_path)
        if url is None:
            continue
        for path in paths or page.get_cached_paths():
            if path == "/":
                shown.append(Shown(url, group, page.title, listing_page_count(page)))
            else:  # a sub-route: a feed, a text version
                title = f"{page.title} ({path.strip('/')})"
                shown.append(Shown(url + path.lstrip("/"), group, title))
    return shown


def listing_page_count(page):
    count = getattr(page, "listing_page_count", None)
    return count() if count else 0


def pages_of(count, per_page):
    """How many ?page=N a listing of `count` items has (at least one)."""
    return max(1, math.ceil(count / per_page))


def merged(shown):
    """One Shown per path (the first, with the largest page count), in first-seen order."""
    by_path = {}
    for item in shown:
        kept = by_path.get(item.path)
        if kept is None:
            by_path[item.path] = item
        elif item.pages > kept.pages:
            by_path[item.path] = Shown(kept.path, kept.group, kept.title, item.pages)
    return list(by_path.values())


def union(before, after):
    """Two lists of Shown (None means every page): their union, keeping the larger page counts."""
    if before is None or after is None:
        return None
    return merged([*before, *after])


def referrers(page):
    """Live pages whose content links to `page` (Wagtail's reference index), specific."""
    source_ids = (
        ReferenceIndex.get_references_to(page)
        .filter(base_content_type=ReferenceIndex._get_base_content_type(Page))
        .values_list("object_id", flat=True)
    )
    ids = [int(pk) for pk in source_ids if pk.isdigit()]
    return Page.objects.live().filter(pk__in=ids).specific(defer=True) if ids else []
