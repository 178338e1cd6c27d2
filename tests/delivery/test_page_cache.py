"""The page cache: anonymous readers get cached pages, and never a stale one.

Content changes are made the way Wagtail makes them (publish, unpublish, move, delete), inside
a committed transaction, since the app purges both at once and again when the change commits.
"""

import datetime
import time
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import RequestFactory

from consultancy_site.delivery import chrome, middleware, page_cache
from consultancy_site.delivery.middleware import PageCacheMiddleware
from consultancy_site.delivery.page_cache import page_key, purge_all_pages, purge_paths
from consultancy_site.delivery.showing import urls_showing
from consultancy_site.models import CallToActionSettings
from tests.factories import ArticlePageFactory, CaseStudyPageFactory, TopicIndexPageFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = [
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Make a change as an editor's request does: its transaction commits at the end."""

    @contextmanager
    def change():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return change


def cached(client, *urls):
    """Visit each URL twice as an anonymous reader: the second visit must be a cache hit
    (the first is a miss, or already a hit when the test itself has just read the URL)."""
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Cache"] in ("MISS", "HIT"), url
        assert client.get(url)["X-Cache"] == "HIT", url


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def source(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def local(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_sections(client):
    """/sitemap.xml and the sections its index lists (it may list pages itself)."""
    root = ET.fromstring(source(client, "/sitemap.xml"))
    return ["/sitemap.xml"] + [
        local(loc.text) for loc in root.findall("sm:sitemap/sm:loc", SITEMAP_NS)
    ]


def assert_in_sitemap(client, path, present=True):
    """Whether a crawler following /sitemap.xml finds the page (it may be in a section)."""
    paths, served = set(), {}
    for section in sitemap_sections(client):
        response = client.get(section)
        assert response.status_code == 200, section
        served[section] = response.get("X-Cache")
        root = ET.fromstring(response.content)
        paths |= {urlsplit(loc.text).path for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)}
    assert (path in paths) == present, f"{path} {present=}; sitemap served as {served}"


def assert_gone(client, old_url, new_url=None):
    """The old URL no longer serves the page: a 404, or Wagtail's automatic redirect to the new
    URL (wagtail.contrib.redirects creates one on a move or slug change); never a cached copy."""
    response = client.get(old_url)
    assert "X-Cache" not in response, old_url
    if new_url is not None and response.status_code in (301, 302):
        assert response["Location"] == new_url
    else:
        assert response.status_code == 404, old_url


def draft(parent, title, days_ago=0, **kwargs):
    return ArticlePageFactory(
        parent=parent,
        title=title,
        date=datetime.date.today() - datetime.timedelta(days=days_ago),
        live=False,
        **kwargs,
    )


def published(parent, title, days_ago=0, **kwargs):
    article = draft(parent, title, days_ago, **kwargs)
    article.save_revision().publish()
    article.refresh_from_db()  # publishing saved a copy made from the revision
    return article


def case_study_naming(site_tree, topic, title):
    case_study = CaseStudyPageFactory(parent=site_tree.case_studies, title=title)
    case_study.topics.add(topic)
    case_study.save_revision().publish()
    case_study.refresh_from_db()
    return case_study


@pytest.fixture
def topic_with_article(site_tree):
    """The topic with one older article, and a case study naming the topic's topic."""
    sibling = published(site_tree.topic, "Older sibling article", days_ago=30)
    case_study = case_study_naming(site_tree, site_tree.topic, "Bank reconciliation rebuild")
    return sibling, case_study


# Served from the cache -------------------------------------------------------------------------
def test_second_anonymous_visit_to_the_topic_is_a_cache_hit_with_no_queries(
    client, site_tree, settings, django_assert_num_queries
):
    published(site_tree.topic, "Window functions in practice")
    first = client.get(site_tree.topic.url)
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"

    with django_assert_num_queries(0):
        second = client.get(site_tree.topic.url)

    assert second.status_code == 200
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert "Window functions in practice" in visible_text(second.content.decode())
    assert second["Content-Type"] == first["Content-Type"]
    for response in (first, second):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert "public" in directives
        assert "max-age=0" in directives
        assert f"s-maxage={settings.CDN_S_MAXAGE}" in directives
        assert "private" not in response["Cache-Control"]
    for header in SECURITY_HEADERS:
        assert header in first, header
        assert second[header] == first[header], header


def test_later_pages_of_a_topic_are_cached_separately(client, site_tree):
    for number in range(25):
        published(site_tree.topic, f"Paged article {number:02d}", days_ago=number + 1)
    cached(client, site_tree.topic.url, site_tree.topic.url + "?page=2")
    assert "Paged article 24" in text(client, site_tree.topic.url + "?page=2")
    assert "Paged article 24" not in text(client, site_tree.topic.url)


# Never cached ----------------------------------------------------------------------------------
def assert_not_cached(response, private=True):
    assert "X-Cache" not in response
    if private:
        assert "public" not in response.get("Cache-Control", "")
        assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_signed_in_users_get_private_uncached_pages(client, site_tree):
    user = get_user_model().objects.create_user("reader", "reader@example.com", "pw")
    client.force_login(user)

    for _ in range(2):
        response = client.get(site_tree.topic.url)
        assert response.status_code == 200
        assert_not_cached(response)
        assert "private" in response["Cache-Control"]

    assert cache.get(page_key(site_tree.topic.url)) is None
    client.logout()
    assert client.get(site_tree.topic.url)["X-Cache"] == "MISS"


def test_a_request_with_a_session_cookie_is_never_cached(client, site_tree):
    client.cookies["sessionid"] = "a-preview-or-a-signed-in-reader"
    for _ in range(2):
        response = client.get(site_tree.topic.url)
        assert response.status_code == 200
        assert_not_cached(response)
    assert cache.get(page_key(site_tree.topic.url)) is None


def test_the_book_a_call_form_is_never_cached_it_carries_a_csrf_token(client, site_tree):
    url = site_tree.book_a_call.url
    first = client.get(url)
    assert first.status_code == 200
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "csrftoken" in first.cookies
    assert_not_cached(first, private=False)

    second = client.get(url)
    assert second.status_code == 200
    assert second.get("X-Cache") != "HIT"
    assert "csrftoken" in second.cookies  # the token it used is renewed, so never shared
    assert cache.get(page_key(url)) is None


@pytest.mark.parametrize(
    "url",
    ["/search/?q=x", "/admin/login/", "/writing/data-engineering/?utm_source=x"],
    ids=["search", "admin", "tracking-query"],
)
def test_search_admin_and_other_query_strings_are_never_cached(client, site_tree, url):
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Cache" not in response
    assert cache.get(page_key(url.split("?")[0], url.partition("?")[2])) is None


def test_posts_and_not_found_responses_are_never_cached(client, site_tree):
    response = client.post(site_tree.topic.url, {"anything": "x"})
    assert "X-Cache" not in response
    assert cache.get(page_key(site_tree.topic.url)) is None
    assert client.get(site_tree.topic.url)["X-Cache"] == "MISS"

    for _ in range(2):
        missing = client.get("/writing/no-such-topic/")
        assert missing.status_code == 404
        assert "X-Cache" not in missing
    assert cache.get(page_key("/writing/no-such-topic/")) is None


# No stale page after a change ------------------------------------------------------------------
def test_publishing_an_article_shows_it_everywhere_it_is_listed(
    client, site_tree, topic_with_article, committed
):
    sibling, case_study = topic_with_article
    topic = site_tree.topic
    pages = ["/", topic.url, sibling.url, case_study.url]
    feeds = ["/feed/", "/feed/atom/", topic.url + "feed/", topic.url + "feed/atom/"]
    cached(client, *pages, *feeds, *sitemap_sections(client))
    new = draft(topic, "Incremental models without tears")

    with committed():
        new.save_revision().publish()

    for url in pages:
        assert new.title in text(client, url), url
    for url in feeds:
        assert new.title in source(client, url), url
    assert client.get(new.url).status_code == 200
    assert_in_sitemap(client, new.url)


def test_unpublishing_an_article_removes_it_everywhere(
    client, site_tree, topic_with_article, committed
):
    sibling, case_study = topic_with_article
    topic = site_tree.topic
    article = published(topic, "An article about to be withdrawn")
    pages = ["/", topic.url, sibling.url, case_study.url]
    feeds = ["/feed/", "/feed/atom/", topic.url + "feed/", topic.url + "feed/atom/"]
    cached(client, *pages, *feeds, article.url, *sitemap_sections(client))
    assert_in_sitemap(client, article.url)

    with committed():
        article.unpublish()

    for url in pages:
        assert article.title not in text(client, url), url
    for url in feeds:
        assert article.title not in source(client, url), url
    assert client.get(article.url).status_code == 404
    assert_in_sitemap(client, article.url, present=False)


def test_moving_an_article_to_another_topic_updates_both_topics(client, site_tree, committed):
    old_topic = site_tree.topic
    new_topic = TopicIndexPageFactory(parent=site_tree.writing, title="MLOps", slug="mlops")
    article = published(old_topic, "Feature stores, honestly")
    old_url = article.url
    cached(client, old_topic.url, new_topic.url, old_url)

    with committed():
        article.move(new_topic, pos="last-child")

    article.refresh_from_db()
    assert article.url != old_url
    assert article.title not in text(client, old_topic.url)
    assert article.title in text(client, new_topic.url)
    assert_gone(client, old_url, article.url)
    assert client.get(article.url).status_code == 200


def test_deleting_an_article_removes_it_from_the_topic_and_its_url(client, site_tree, committed):
    article = published(site_tree.topic, "A post that will be deleted")
    url = article.url
    cached(client, site_tree.topic.url, url, "/")

    with committed():
        article.delete()

    assert article.title not in text(client, site_tree.topic.url)
    assert article.title not in text(client, "/")
    assert client.get(url).status_code == 404


def test_renaming_an_article_shows_the_new_title_on_the_topic(client, site_tree, committed):
    article = published(site_tree.topic, "Slowly changing dimensions")
    cached(client, site_tree.topic.url, article.url)

    article.title = "Slowly changing dimensions, type 2"
    with committed():
        article.save_revision().publish()

    topic_text = text(client, site_tree.topic.url)
    assert "Slowly changing dimensions, type 2" in topic_text
    assert "Slowly changing dimensions, type 2" in text(client, article.url)


def test_changing_an_article_slug_moves_it_and_the_topic_links_the_new_url(
    client, site_tree, committed
):
    article = published(site_tree.topic, "Idempotent pipelines", slug="idempotent-pipelines")
    old_url = article.url
    cached(client, site_tree.topic.url, old_url)

    article.slug = "idempotent-data-pipelines"
    with committed():
        article.save_revision().publish()

    article.refresh_from_db()
    assert article.url == old_url.replace("idempotent-pipelines", "idempotent-data-pipelines")
    topic_html = source(client, site_tree.topic.url)
    assert f'href="{article.url}"' in topic_html
    assert f'href="{old_url}"' not in topic_html
    assert_gone(client, old_url, article.url)
    assert client.get(article.url).status_code == 200


def test_changing_the_call_to_action_text_shows_on_every_cached_page(
    client, site_tree, topic_with_article, committed
):
    sibling, case_study = topic_with_article
    pages = ["/", site_tree.topic.url, sibling.url, case_study.url, site_tree.service.url]
    cached(client, *pages)
    cta = CallToActionSettings.objects.get()

    cta.book_call_text = "Two slots open this quarter."
    with committed():
        cta.save()

    for url in pages:
        page_text = text(client, url)
        assert "Two slots open this quarter." in page_text, url
        assert "I take a small number of engagements." not in page_text, url


def test_editing_a_case_study_title_shows_on_the_topic_and_its_articles(
    client, site_tree, topic_with_article, committed
):
    sibling, case_study = topic_with_article
    cached(client, site_tree.topic.url, sibling.url, case_study.url)

    case_study.title = "Month-end close in two days"
    with committed():
        case_study.save_revision().publish()

    for url in [site_tree.topic.url, sibling.url, case_study.url]:
        page_text = text(client, url)
        assert "Month-end close in two days" in page_text, url
        assert "Bank reconciliation rebuild" not in page_text, url


def test_a_case_study_taken_off_a_topic_leaves_that_topic(
    client, site_tree, topic_with_article, committed
):
    sibling, case_study = topic_with_article
    other_topic = TopicIndexPageFactory(parent=site_tree.writing, title="MLOps", slug="mlops")
    cached(client, site_tree.topic.url, sibling.url, other_topic.url)

    case_study.topics.set([other_topic])
    with committed():
        case_study.save_revision().publish()

    assert case_study.title in text(client, other_topic.url)
    for url in [site_tree.topic.url, sibling.url]:  # the old topic and its article's panel
        response = client.get(url)
        assert response.get("X-Cache") != "HIT", f"{url}: stale copy served from the cache"
        assert case_study.title not in visible_text(response.content.decode()), url


def test_moving_an_article_keeps_unrelated_pages_cached(client, site_tree, committed):
    """A move purges what showed the article before and after it (signals.after_move), not
    every page of the site."""
    old_topic = site_tree.topic
    new_topic = TopicIndexPageFactory(parent=site_tree.writing, title="MLOps", slug="mlops")
    third_topic = TopicIndexPageFactory(parent=site_tree.writing, title="Analytics", slug="bi")
    unrelated = published(third_topic, "Dashboards people read")
    article = published(old_topic, "Feature stores, honestly")
    cached(client, unrelated.url, site_tree.service.url)

    with committed():
        article.move(new_topic, pos="last-child")

    assert client.get(unrelated.url)["X-Cache"] == "HIT"
    assert client.get(site_tree.service.url)["X-Cache"] == "HIT"


# Which URLs show a page ------------------------------------------------------------------------
def test_urls_showing_an_article_are_exactly_the_pages_that_show_it(site_tree):
    topic = site_tree.topic
    other_topic = TopicIndexPageFactory(parent=site_tree.writing, title="MLOps", slug="mlops")
    article = published(topic, "The article in question", days_ago=1)
    siblings = [published(topic, f"Sibling {n}", days_ago=n + 2) for n in range(2)]
    draft(topic, "A sibling still in draft")
    naming = case_study_naming(site_tree, topic, "Names the topic")
    case_study_naming(site_tree, other_topic, "Names another topic")
    elsewhere = published(other_topic, "An article of another topic")
    linking = draft(
        other_topic,
        "An article linking to it",
        body=[
            {
                "type": "paragraph",
                "value": f'<p>See <a linktype="page" id="{article.pk}">this</a>.</p>',
            }
        ],
    )
    linking.save_revision().publish()

    shown = urls_showing(article)

    assert {item.path for item in shown} == {
        article.url,
        topic.url,
        *(sibling.url for sibling in siblings),
        naming.url,
        "/",
        site_tree.writing.url,
        "/feed/",
        "/feed/atom/",
        topic.url + "feed/",
        topic.url + "feed/atom/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        linking.url,
        # Text versions (topics.markdown): the article's and the linking article's Markdown
        # twins, the topic's llms.txt (the site's lists topics, not articles).
        article.url + "index.md",
        linking.url + "index.md",
        topic.url + "llms.txt",
    }
    assert [item.pages for item in shown if item.path == topic.url] == [1]
    assert elsewhere.url not in {item.path for item in shown}
    assert other_topic.url not in {item.path for item in shown}


def test_a_topic_with_more_articles_than_a_page_is_shown_on_each_of_its_pages(site_tree):
    topic = site_tree.topic
    articles = [published(topic, f"Article {n:02d}", days_ago=n) for n in range(21)]
    shown = urls_showing(articles[0])
    assert [item.pages for item in shown if item.path == topic.url] == [2]


def test_structural_pages_purge_every_page(site_tree):
    for page in [site_tree.home, site_tree.writing, site_tree.service, site_tree.book_a_call]:
        assert urls_showing(page) is None, page.title


# Paginated topics --------------------------------------------------------------------------------
def test_publishing_an_article_updates_the_second_page_of_the_topic(client, site_tree, committed):
    topic = site_tree.topic
    for number in range(25):  # 00 is the newest, 24 the oldest
        published(topic, f"Listed article {number:02d}", days_ago=number + 1)
    second_page = topic.url + "?page=2"
    cached(client, topic.url, second_page)
    assert "Listed article 19" not in text(client, second_page)

    with committed():
        draft(topic, "Brand new article").save_revision().publish()

    assert client.get(second_page).get("X-Cache") != "HIT"
    page_two = text(client, second_page)
    assert "Listed article 19" in page_two  # shifted from the first page to the second
    assert "Listed article 24" in page_two
    assert "Brand new article" in text(client, topic.url)


def test_unpublishing_an_article_updates_a_second_page_that_no_longer_exists(
    client, site_tree, committed
):
    """21 articles make two pages; unpublishing one leaves 20, one page: ?page=2 must not keep
    listing the withdrawn article."""
    topic = site_tree.topic
    articles = [published(topic, f"Listed article {n:02d}", days_ago=n + 1) for n in range(21)]
    oldest = articles[-1]
    second_page = topic.url + "?page=2"
    cached(client, topic.url, second_page)
    assert oldest.title in text(client, second_page)

    with committed():
        oldest.unpublish()

    assert oldest.title not in text(client, topic.url)
    response = client.get(second_page)
    assert response.get("X-Cache") != "HIT", "?page=2 served from the cache after the change"
    assert oldest.title not in visible_text(response.content.decode())


# Renders that raced a purge --------------------------------------------------------------------
def test_a_page_rendered_from_old_data_during_a_purge_is_not_stored(site_tree):
    path = site_tree.topic.url
    middleware = PageCacheMiddleware(lambda request: None)
    response = HttpResponse("rendered from the old data")

    started = time.time()
    purge_paths([(path, 1)])
    middleware.store(page_key(path), path, started, response)
    assert cache.get(page_key(path)) is None

    time.sleep(0.01)
    middleware.store(page_key(path), path, time.time(), response)  # started after the purge
    assert cache.get(page_key(path)) is not None


def test_a_publish_during_a_render_keeps_that_render_out_of_the_cache(client, site_tree):
    path = site_tree.topic.url

    def render_while_an_editor_publishes(request):
        purge_paths([(path, 1)])
        return HttpResponse("old topic")

    middleware = PageCacheMiddleware(render_while_an_editor_publishes)
    response = middleware(RequestFactory().get(path))

    assert response.status_code == 200
    assert response.content == b"old topic"
    assert cache.get(page_key(path)) is None
    assert client.get(path)["X-Cache"] == "MISS"


def test_a_page_rendered_during_a_site_wide_purge_is_not_stored(site_tree):
    path = site_tree.topic.url
    middleware = PageCacheMiddleware(lambda request: None)

    started = time.time()
    purge_all_pages()  # e.g. the calls to action were edited while the topic was rendering
    middleware.store(page_key(path), path, started, HttpResponse("old calls to action"))

    assert cache.get(page_key(path)) is None


# A broken cache --------------------------------------------------------------------------------
def broken(*args, **kwargs):
    raise ConnectionError("cache server unreachable")


CACHE_METHODS = [
    "get",
    "set",
    "add",
    "delete",
    "get_many",
    "set_many",
    "delete_many",
    "get_or_set",
    "has_key",
    "incr",
    "touch",
    "clear",
]


class BrokenCache:
    def __getattr__(self, name):
        return broken


def break_the_cache(patch):
    """The app's own cache calls fail: pages, the chrome, and the middleware serving them."""
    for module in (page_cache, chrome, middleware):
        patch.setattr(module, "cache", BrokenCache())


def test_pages_are_served_uncached_when_the_page_cache_is_down(client, site_tree, monkeypatch):
    """The app's own cache calls (pages, chrome) failing: pages are served, uncached."""
    article = published(site_tree.topic, "Served without a cache")
    client.get("/")  # a running site: its settings rows exist

    urls = [site_tree.topic.url, article.url, "/"]

    with monkeypatch.context() as patch:
        break_the_cache(patch)
        for url in urls:
            for _ in range(2):
                response = client.get(url)
                assert response.status_code == 200, url
                assert response.get("X-Cache") != "HIT", url
                page_text = visible_text(response.content.decode())
                assert article.title in page_text, url
                assert "Have a problem worth solving?" in page_text, url


def test_a_settings_row_made_on_first_use_while_the_cache_is_down_is_no_error(
    client, site_tree, monkeypatch
):
    """Site identity settings are created on first use; that save purges every page, and a
    purge that cannot reach the cache must not turn the reader's page into a 500."""
    url = site_tree.topic.url

    with monkeypatch.context() as patch:
        break_the_cache(patch)
        response = client.get(url)

    assert response.status_code == 200
    assert site_tree.topic.title in visible_text(response.content.decode())


def test_pages_are_served_uncached_when_redis_is_down(client, site_tree, settings):
    """The Redis cache of a real deployment, with nothing listening: every page is served,
    uncached, quickly (no request waits on a cache that is not there)."""
    article = published(site_tree.topic, "Served without a cache")
    client.get("/")  # a running site: its settings rows exist
    settings.CACHES = {
        "default": {
            "BACKEND": "consultancy_site.delivery.backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    # (Django's test settings hook swaps the cache handler when CACHES changes.)
    assert type(caches["default"]).__name__ == "ResilientRedisCache"
    for url in [site_tree.topic.url, article.url, "/"]:
        for _ in range(2):
            started = time.monotonic()
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.get("X-Cache") != "HIT", url
            assert article.title in visible_text(response.content.decode()), url
            assert time.monotonic() - started < 2, url
