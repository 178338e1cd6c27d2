"""What shows a page is what its page types declare (`@shows`, SiteListing): every URL of the
site is rendered after a change, and any that shows the changed page must be one the purge
purges. A listing added to a template without a declaration fails here."""

import datetime
import re
import uuid

import pytest
from wagtail.models import Page

from consultancy_site.delivery.showing import in_every_page, urls_showing
from tests.factories import ArticlePageFactory, CaseStudyPageFactory, TopicIndexPageFactory
from topics.models import TopicCaseStudyLink, TopicIndexPage

pytestmark = pytest.mark.django_db

SITE_URLS = ["/feed/", "/feed/atom/", "/sitemap.xml", "/sitemap-pages.xml", "/llms.txt"]


def publish(page):
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def days_ago(days):
    return datetime.date(2026, 6, 1) - datetime.timedelta(days=days)


@pytest.fixture
def site(site_tree, monkeypatch):
    """Two topics of articles (the first over three pages of its listing), case studies that
    name a topic or are picked by one, and an article of one topic linking to the other's."""
    monkeypatch.setattr(TopicIndexPage, "articles_per_page", 2)
    first = site_tree.topic
    second = publish(TopicIndexPageFactory(parent=site_tree.writing, title="Forecasting"))
    articles = [
        publish(ArticlePageFactory(parent=first, date=days_ago(10 * n), live=False))
        for n in range(6)
    ]
    linked = articles[2]
    body = [
        {
            "type": "paragraph",
            "value": f'<p>See <a linktype="page" id="{linked.pk}">this</a>.</p>',
        }
    ]
    linking = publish(ArticlePageFactory(parent=second, body=body, live=False))
    publish(ArticlePageFactory(parent=second, live=False))
    naming = CaseStudyPageFactory(parent=site_tree.case_studies, live=False)
    naming.topics.add(first)
    picked = publish(CaseStudyPageFactory(parent=site_tree.case_studies, live=False))
    TopicCaseStudyLink.objects.create(page=second, case_study=picked)
    publish(second)
    return {
        "tree": site_tree,
        "first": first,
        "second": second,
        "articles": articles,
        "linked": linked,
        "linking": linking,
        "naming": publish(naming),
        "picked": picked,
    }


def every_url():
    """Every URL of the site a reader can get: each live page's own URLs (its feeds, its text
    versions), every page of each listing, and the site-wide feeds, sitemaps and llms.txt."""
    urls = list(SITE_URLS)
    for page in Page.objects.live().filter(depth__gt=1).specific():
        url = page.url
        if url is None:  # Wagtail's own first page, in no site
            continue
        urls += [url + path.lstrip("/") for path in page.get_cached_paths()]
        count = getattr(page, "listing_page_count", lambda: 0)()
        urls += [f"{url}?page={number}" for number in range(2, count + 1)]
    return urls


def purged(shown):
    """The URLs a purge of `shown` clears, ?page=N variants included."""
    urls = set()
    for item in shown:
        urls.add(item.path)
        urls |= {f"{item.path}?page={number}" for number in range(1, item.pages + 1)}
    return urls


def assert_everything_showing_it_is_purged(client, page):
    shown = urls_showing(page)
    assert shown is not None, "a section page, not one of every page's"
    cleared = purged(shown)
    # Its URL as a link target, not as the start of a longer one (its children's).
    link = re.compile(re.escape(page.url) + r"(?=[\"'<)\s])")
    showing = []
    for url in every_url():
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        if page.title in content or link.search(content):
            showing.append(url)
    missing = [url for url in showing if url.split("?page=1")[0] not in cleared]
    assert not missing, f"{page.title!r} shows on {missing}, which no declaration names"
    return showing, cleared


def renamed(page):
    page.title = f"Renamed {uuid.uuid4().hex[:8]}"
    return publish(page)


def test_a_new_article_shows_only_where_the_declarations_say(client, site):
    article = publish(
        ArticlePageFactory(
            parent=site["first"], title="A brand new article", date=days_ago(0), live=False
        )
    )
    showing, cleared = assert_everything_showing_it_is_purged(client, article)
    # It is new: its topic's every page, its siblings' "More in this topic", and beyond.
    assert f"{site['first'].url}?page=3" in cleared  # every later page moves down one
    assert site["articles"][-1].url in showing  # the oldest sibling lists the newest
    assert site["naming"].url in showing  # "Related articles" of a case study naming it
    assert {"/", "/writing/", "/feed/", "/sitemap-pages.xml"} <= set(showing)
    assert "/llms.txt" not in showing and "/llms.txt" not in cleared


def test_an_old_article_renamed_is_purged_where_it_shows_and_not_on_its_siblings(client, site):
    oldest = renamed(site["articles"][-1])
    showing, cleared = assert_everything_showing_it_is_purged(client, oldest)
    # Too old for "More in this topic": its siblings neither show it nor are purged.
    assert site["articles"][0].url not in showing
    assert site["articles"][0].url not in cleared


def test_an_article_others_link_to_purges_them(client, site):
    linked = renamed(site["linked"])
    showing, cleared = assert_everything_showing_it_is_purged(client, linked)
    assert site["linking"].url in showing
    assert site["linking"].url + "index.md" in cleared  # its Markdown twin links to it too


def test_a_new_case_study_naming_a_topic_shows_only_where_declared(client, site):
    case_study = CaseStudyPageFactory(
        parent=site["tree"].case_studies, title="A brand new case study", live=False
    )
    case_study.topics.add(site["first"])
    case_study = publish(case_study)
    showing, _cleared = assert_everything_showing_it_is_purged(client, case_study)
    assert site["first"].url in showing  # its topic's "Related case studies"
    assert site["articles"][0].url in showing  # and the topic's articles' panel
    assert "/case-studies/" in showing and "/llms.txt" in showing


def test_a_case_study_a_topic_picked_shows_only_where_declared(client, site):
    picked = renamed(site["picked"])
    showing, _cleared = assert_everything_showing_it_is_purged(client, picked)
    assert site["second"].url in showing


def test_a_renamed_topic_shows_only_where_declared(client, site):
    topic = renamed(site["first"])
    showing, _cleared = assert_everything_showing_it_is_purged(client, topic)
    assert site["articles"][0].url in showing  # breadcrumb and topic tag
    assert site["naming"].url in showing  # a case study naming it
    assert {"/", "/writing/", "/llms.txt"} <= set(showing)


def test_pages_of_every_page_are_purged_whole(site):
    tree = site["tree"]
    for page in (tree.home, tree.writing, tree.case_studies, tree.service, tree.book_a_call):
        assert in_every_page(page.specific), page.title
        assert urls_showing(page) is None, page.title
