"""What a deletion costs, and what it leaves alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.actions.delete_page import DeletePageAction

from consultancy_site.delivery import page_cache
from consultancy_site.models import BookACallSubmission
from tests.factories import ArticlePageFactory, TopicIndexPageFactory

pytestmark = pytest.mark.django_db


def test_deleting_rows_of_models_no_page_shows_is_one_query(site_tree, django_assert_num_queries):
    """Purges listen to page models with a sender, never to every model: Django's fast delete
    (one DELETE, no per-row signals) stays on for everything else."""
    for _ in range(3):
        BookACallSubmission.objects.create(page=site_tree.book_a_call, form_data={})

    with django_assert_num_queries(1):
        BookACallSubmission.objects.all().delete()


def delete_a_topic_with(site_tree, monkeypatch, count):
    """Delete a topic of `count` articles: (queries, page-cache keys purged one by one, purges
    of every page)."""
    topic = TopicIndexPageFactory(parent=site_tree.writing, slug=f"topic-of-{count}")
    for _ in range(count):
        ArticlePageFactory(parent=topic, live=False).save_revision().publish()
    topic.refresh_from_db()
    keys, everything = [], []
    purge_paths, purge_all_pages = page_cache.purge_paths, page_cache.purge_all_pages
    monkeypatch.setattr(page_cache, "purge_paths", lambda paths: keys.extend(purge_paths(paths)))
    monkeypatch.setattr(page_cache, "purge_all_pages", lambda: everything.append(purge_all_pages()))
    with CaptureQueriesContext(connection) as queries:
        DeletePageAction(topic).execute()
    monkeypatch.undo()
    return len(queries), len(keys), len(everything)


def test_deleting_a_topic_costs_the_same_per_article_however_many_it_has(site_tree, monkeypatch):
    """Each article of a deleted topic used to work out and purge everything that showed it,
    its siblings included: work grew with the square of the articles. The topic's deletion
    purges every page once; each article then costs the same few queries (Wagtail's own)."""
    (five, *_), (ten, *_), (twenty, keys, everything) = (
        delete_a_topic_with(site_tree, monkeypatch, n) for n in (5, 10, 20)
    )

    assert (twenty - ten) == 2 * (ten - five)
    assert (keys, everything) == (0, 1)


def test_a_deleted_topic_and_its_articles_leave_every_cache(site_tree, client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    topic = TopicIndexPageFactory(parent=site_tree.writing, title="Short-lived topic")
    topic.save_revision().publish()
    article = ArticlePageFactory(parent=topic, title="Short-lived article", live=False)
    article.save_revision().publish()
    for url in ("/", "/writing/", topic.url, article.url):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", url

    DeletePageAction(topic).execute()

    assert client.get(topic.url).status_code == 404
    assert client.get(article.url).status_code == 404
    for url in ("/", "/writing/"):
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Short-lived" not in response.content.decode(), url
