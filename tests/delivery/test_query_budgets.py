"""Queries per page stay the same however many articles a topic has, once the caches are warm
(the figures `make bench` prints per page come from the same pages)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultancy_site.delivery.chrome import invalidate_chrome
from tests.factories import ArticlePageFactory, CaseStudyPageFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_article_query_count_does_not_grow_with_siblings(client, site_tree):
    article = ArticlePageFactory(parent=site_tree.topic)
    for _ in range(5):
        ArticlePageFactory(parent=site_tree.topic)
    warm_up(client, article.url)
    with_5 = count_queries(client, article.url)
    for _ in range(45):
        ArticlePageFactory(parent=site_tree.topic)
    warm_up(client, article.url)
    with_50 = count_queries(client, article.url)
    assert with_5 == with_50
    assert with_50 <= 12


def warm_up(client, url):
    """Fill the caches every visitor after the first finds full: site root paths, navigation,
    settings and listings (the first request also creates the settings rows, which resets them).
    Factories add pages without publishing, so first drop what publishing would have dropped."""
    invalidate_chrome()
    client.get(url)
    client.get(url)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_topic_query_count_does_not_grow_with_articles(client, site_tree):
    case_study = CaseStudyPageFactory(parent=site_tree.case_studies)
    case_study.topics.add(site_tree.topic)
    case_study.save_revision().publish()
    for _ in range(5):
        ArticlePageFactory(parent=site_tree.topic)
    warm_up(client, site_tree.topic.url)
    with_5 = count_queries(client, site_tree.topic.url)
    for _ in range(45):
        ArticlePageFactory(parent=site_tree.topic)
    warm_up(client, site_tree.topic.url)
    with_50 = count_queries(client, site_tree.topic.url)
    listed = visible_text(client.get(site_tree.topic.url).content.decode())
    newest = site_tree.topic.articles().first()
    assert newest.title in listed and "Page 1 of 3" in listed
    assert with_5 == with_50
    assert with_50 <= 10
