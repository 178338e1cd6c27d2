"""Which pages show a given page: its hub, its siblings' panels, the case studies and the home
page that list it, the feeds and the sitemap, and every page that links to it.

This is the one place that answers the question. The page cache purges exactly this set when a
page is published, unpublished, moved, renamed or deleted, and Wagtail's frontend cache gets the
same set for a CDN.
"""

import math
from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page, ReferenceIndex, Site

from case_studies.models import CaseStudyIndexPage, CaseStudyPage
from topics.models import ArticlePage, TopicIndexPage, WritingIndexPage

from .listing import listed

SITE_FEEDS = ["/feed/", "/feed/atom/"]
# The index and its first section (later sections take ?p=N, which is never cached).
SITEMAP = ["/sitemap.xml", "/sitemap-pages.xml"]
# Text versions (topics.markdown): an article's Markdown twin, a hub's and the site's llms.txt.
MARKDOWN_TWIN = "index.md"
LLMS_TXT = "llms.txt"


@dataclass(frozen=True, order=True)
class Shown:
    """A URL whose content shows the page; `pages` counts its ?page=N variants."""

    path: str
    label: str
    pages: int = 0


def site_root_path(url_path):
    """The tree url_path of the home page of the site a page's url_path belongs to, or None."""
    for root in sorted(Site.get_site_root_paths(), key=lambda r: -len(r.root_path)):
        if url_path.startswith(root.root_path):
            return root.root_path
    return None


def relative_url(url_path):
    """A page's URL on its site from its tree url_path ("/home/writing/" -> "/writing/")."""
    root_path = site_root_path(url_path)
    return None if root_path is None else "/" + url_path[len(root_path) :]


def page_urls(pages, label):
    return {
        Shown(url, f"{label}: {title}")
        for url_path, title in pages.values_list("url_path", "title")
        if (url := relative_url(url_path))
    }


def structural(page):
    """Pages whose title or presence shows on every page (navigation, breadcrumbs, settings)."""
    return page.depth <= 3 or not isinstance(page, ArticlePage | CaseStudyPage | TopicIndexPage)


def urls_showing(page):
    """The set of Shown URLs whose content changes when `page` changes, or None for all."""
    page = page.specific
    if structural(page):
        return None
    shown = set()
    if url := relative_url(page.url_path):
        shown.add(Shown(url, f"This page: {page.title}"))
        if isinstance(page, ArticlePage):
            shown.add(Shown(url + MARKDOWN_TWIN, "Its Markdown twin"))
    linking = referrers(page)
    shown |= page_urls(linking, "Links to it")
    shown |= markdown_twins(linking.type(ArticlePage), "Links to it (Markdown)")
    shown |= {Shown(path, "Sitemap") for path in SITEMAP}
    home = Site.objects.filter(root_page__depth=2).values_list("root_page__url_path", flat=True)
    for path in home:
        shown |= {
            Shown(relative_url(path), "Home page"),
            Shown(relative_url(path) + LLMS_TXT, "Site llms.txt"),
        }

    if isinstance(page, ArticlePage):
        hub = TopicIndexPage.objects.filter(path=page.path[: -page.steplen]).first()
        if hub is not None:
            shown |= hub_urls(hub)
            siblings = listed(ArticlePage.objects.child_of(hub)).exclude(pk=page.pk)
            shown |= page_urls(siblings, "More in this topic")
            shown |= page_urls(listed(CaseStudyPage.objects.filter(topics=hub)), "Case study panel")
        shown |= {Shown(feed, "Site feed") for feed in SITE_FEEDS}
        shown |= page_urls(listed(WritingIndexPage.objects.all()), "Writing index")
    elif isinstance(page, CaseStudyPage):
        hubs = listed(
            TopicIndexPage.objects.filter(
                Q(case_study_links__case_study=page) | Q(case_studies=page)
            )
        ).distinct()
        for hub in hubs:
            shown |= hub_urls(hub, with_feeds=False)
            shown |= page_urls(
                listed(ArticlePage.objects.child_of(hub)), "Related case studies panel"
            )
        shown |= page_urls(listed(CaseStudyIndexPage.objects.all()), "Case study index")
    elif isinstance(page, TopicIndexPage):
        shown |= hub_urls(page)
        shown |= page_urls(listed(ArticlePage.objects.child_of(page)), "Article in this topic")
        shown |= page_urls(listed(CaseStudyPage.objects.filter(topics=page)), "Case study topics")
        shown |= page_urls(listed(WritingIndexPage.objects.all()), "Writing index")
        shown |= {Shown(feed, "Site feed") for feed in SITE_FEEDS}
    return sorted(shown)


def hub_urls(hub, with_feeds=True):
    url = relative_url(hub.url_path)
    if url is None:
        return set()
    count = listed(ArticlePage.objects.child_of(hub)).count()
    pages = max(1, math.ceil(count / TopicIndexPage.articles_per_page))
    urls = {Shown(url, f"Topic hub: {hub.title}", pages), Shown(url + LLMS_TXT, "Topic llms.txt")}
    if with_feeds:
        urls |= {Shown(url + "feed/", "Topic feed"), Shown(url + "feed/atom/", "Topic feed")}
    return urls


def markdown_twins(articles, label):
    return {Shown(shown.path + MARKDOWN_TWIN, label) for shown in page_urls(articles, label)}


def referrers(page):
    """Live pages whose content links to `page` (Wagtail's reference index)."""
    source_ids = (
        ReferenceIndex.get_references_to(page)
        .filter(base_content_type=ReferenceIndex._get_base_content_type(Page))
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().filter(pk__in=[int(pk) for pk in source_ids if pk.isdigit()])
