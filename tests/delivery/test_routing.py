"""A reader's page is found without asking the database once routing has seen its URL, and every
change to the page shows at the very next request (pages are kept in the chrome cache, which any
publish, unpublish, rename, move or privacy change invalidates)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import ArticlePageFactory
from topics.models import ArticlePage

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, len(queries)


@pytest.fixture
def article(site_tree, client):
    article = ArticlePageFactory(parent=site_tree.topic, title="Routed", slug="routed")
    article.save_revision().publish()
    for _ in range(2):
        assert client.get(article.url).status_code == 200
    return article


def test_a_readers_page_needs_no_query_once_its_url_was_seen(article, client):
    assert queries_for(client, article.url) == (200, 0)


def test_a_signed_in_reader_is_routed_from_the_database(article, client, admin_client):
    # A session cookie (editors see draft states and the userbar) skips the routing cache.
    admin_client.get(article.url)
    status, count = queries_for(admin_client, article.url)
    assert status == 200 and count > 0


def test_an_unpublished_page_is_gone_at_the_next_request(article, client):
    article.unpublish()
    assert client.get(article.url).status_code == 404


def test_a_renamed_page_moves_at_the_next_request(article, client):
    old_url = article.url
    article.slug = "routed-renamed"
    article.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get("/writing/data-engineering/routed-renamed/").status_code == 200


def test_a_page_made_private_is_private_at_the_next_request(article, client):
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    response = client.get(article.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_made_up_urls_below_a_page_are_not_kept(article, client):
    # Each is looked up again (and 404s); none is stored, so they cannot fill the cache.
    for junk in ("x1/", "x2/"):
        status, count = queries_for(client, article.url + junk)
        assert status == 404 and count > 0
        assert queries_for(client, article.url + junk)[1] == count


def test_a_topics_feed_wins_over_an_article_slugged_feed(client, site_tree):
    """Wagtail routes a routable page's own sub-routes before its children: so does the
    routing here. An article that took the slug before validation refused it cannot take over
    its topic's feed."""
    article = ArticlePageFactory(parent=site_tree.topic, title="Feeding", slug="feeding")
    article.save_revision().publish()
    ArticlePage.objects.filter(pk=article.pk).update(
        slug="feed", url_path=f"{site_tree.topic.url_path}feed/"
    )
    for _ in range(2):  # and again from the route cache
        response = client.get(f"{site_tree.topic.url}feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/rss+xml")
        assert client.get(f"{site_tree.topic.url}feed/atom/")["Content-Type"].startswith(
            "application/atom+xml"
        )
