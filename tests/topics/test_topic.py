import datetime

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import ArticlePageFactory, CaseStudyPageFactory, TopicIndexPageFactory
from tests.html import assert_in_order, visible_text
from topics.models import TopicCaseStudyLink

pytestmark = pytest.mark.django_db


def listed_titles(client, topic):
    html = client.get(topic.url).content.decode()
    listing = html.split('id="all-articles"', 1)[1].split('id="related-case-studies"', 1)[0]
    return [title for title in topic.articles().values_list("title", flat=True) if title in listing]


def test_topic_lists_live_public_children_newest_first(client, site_tree):
    topic = site_tree.topic
    old = ArticlePageFactory(parent=topic, title="Old article", date=datetime.date(2022, 4, 22))
    new = ArticlePageFactory(parent=topic, title="New article", date=datetime.date(2024, 3, 1))
    middle = ArticlePageFactory(
        parent=topic, title="Middle article", date=datetime.date(2023, 2, 10)
    )

    text = visible_text(client.get(topic.url).content.decode())

    assert_in_order(text, [new.title, middle.title, old.title])


def test_topic_hides_drafts_unpublished_private_and_moved_articles(client, site_tree):
    topic = site_tree.topic
    ArticlePageFactory(parent=topic, title="Visible article")
    draft = ArticlePageFactory(parent=topic, title="Draft article", live=False)
    unpublished = ArticlePageFactory(parent=topic, title="Unpublished article")
    unpublished.unpublish()
    private = ArticlePageFactory(parent=topic, title="Private article")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    moved = ArticlePageFactory(parent=topic, title="Moved article")
    other_topic = TopicIndexPageFactory(parent=site_tree.writing, title="Other topic")
    moved.move(other_topic, pos="last-child")

    text = visible_text(client.get(topic.url).content.decode())

    assert "Visible article" in text
    for title in [draft.title, unpublished.title, private.title, moved.title]:
        assert title not in text
    assert "Moved article" in visible_text(client.get(other_topic.url).content.decode())


def test_topic_card_shows_topic_tag_reading_time_date_summary_and_read_link(client, site_tree):
    article = ArticlePageFactory(
        parent=site_tree.topic,
        title="SQL patterns",
        date=datetime.date(2024, 3, 1),
        summary="Window functions and CTEs.",
    )
    html = client.get(site_tree.topic.url).content.decode()

    assert_in_order(
        visible_text(html),
        [
            "All articles in this topic",
            f"data-engineering {article.reading_time} min read 1 Mar 2024",
            "SQL patterns",
            "Window functions and CTEs.",
            "Read →",
        ],
    )
    assert f'href="{article.url}"' in html


def test_topic_shows_picked_case_studies_in_order_else_those_naming_the_topic(client, site_tree):
    topic = site_tree.topic
    naming = CaseStudyPageFactory(parent=site_tree.case_studies, title="Names the topic")
    naming.topics.add(topic)
    naming.save_revision().publish()
    first = CaseStudyPageFactory(parent=site_tree.case_studies, title="Picked first")
    second = CaseStudyPageFactory(parent=site_tree.case_studies, title="Picked second")

    text = visible_text(client.get(topic.url).content.decode())
    assert "Names the topic" in text

    TopicCaseStudyLink.objects.create(page=topic, case_study=second, sort_order=1)
    TopicCaseStudyLink.objects.create(page=topic, case_study=first, sort_order=0)
    # As an editor does it: the topic is published with its picks.
    type(topic).objects.get(pk=topic.pk).save_revision().publish()
    text = visible_text(client.get(topic.url).content.decode())
    assert_in_order(text, ["Related case studies", "Picked first", "Picked second"])
    assert "Names the topic" not in text


def test_topic_calls_to_action_come_from_the_topic_and_site_settings(client, site_tree):
    html = client.get(site_tree.topic.url).content.decode()
    assert_in_order(
        visible_text(html),
        [
            "Want this kind of work?",
            "Data Platform Work →",
            "Have a problem worth solving?",
            "I take a small number of engagements.",
            "Book a call →",
        ],
    )
    assert f'href="{site_tree.service.url}"' in html
    assert f'href="{site_tree.book_a_call.url}?from={site_tree.topic.pk}"' in html


def test_topic_paginates_beyond_twenty_articles(client, site_tree):
    for day in range(1, 23):
        ArticlePageFactory(
            parent=site_tree.topic, title=f"Article {day:02}", date=datetime.date(2024, 1, day)
        )
    first = visible_text(client.get(site_tree.topic.url).content.decode())
    second = visible_text(client.get(site_tree.topic.url, {"page": 2}).content.decode())
    assert "Article 22" in first and "Article 02" not in first
    assert "Article 02" in second and "Article 01" in second and "Article 22" not in second
    for bad in ["abc", "-1", "99999", ""]:
        assert client.get(site_tree.topic.url, {"page": bad}).status_code == 200


def test_writing_index_lists_each_topic_with_article_count_and_latest_article(client, site_tree):

    ArticlePageFactory(parent=site_tree.topic, title="Older", date=datetime.date(2023, 1, 1))
    ArticlePageFactory(parent=site_tree.topic, title="Latest one", date=datetime.date(2024, 5, 1))
    draft = ArticlePageFactory(
        parent=site_tree.topic, title="Draft", date=datetime.date(2025, 1, 1)
    )
    draft.unpublish()
    text = visible_text(client.get(site_tree.writing.url).content.decode())
    assert_in_order(text, [site_tree.topic.title, "2 articles", "Latest: Latest one, 1 May 2024"])
