import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision

from consultancy_site.editorial.conversions.counting import kind_of
from consultancy_site.editorial.freshness.due import due_for_review
from consultancy_site.models import BookACallPage, BookACallSubmission
from tests.html import assert_in_order, visible_text
from topics.models import ArticlePage, TopicIndexPage

pytestmark = pytest.mark.django_db

# The page the product must serve, as the user gave it (a copy of shared/seed/000_…txt).
SEED = Path(__file__).resolve().parent.parent / "seed" / "data_engineering_topic.txt"


def test_demo_topic_reproduces_the_seed_page_in_order(client, demo_site):
    response = client.get("/writing/data-engineering/")
    assert response.status_code == 200
    seed_lines = [line.strip() for line in SEED.read_text().splitlines() if line.strip()]

    assert_in_order(visible_text(response.content.decode()), seed_lines)


def test_demo_topic_intro_links_articles_as_internal_page_links(client, demo_site):
    topic = TopicIndexPage.objects.get(slug="data-engineering")
    intro_source = str(topic.intro.raw_data)
    articles = ArticlePage.objects.child_of(topic)
    assert articles.count() == 7
    for article in articles:
        assert f'linktype="page" id="{article.pk}"' in intro_source, article.title

    # Renaming and moving an article keeps the intro's link pointing at it.
    article = articles.get(slug="sql-for-data-scientists")
    article.slug = "sql-patterns"
    article.save_revision().publish()
    html = client.get(topic.url).content.decode()
    assert 'href="/writing/data-engineering/sql-patterns/"' in html


def test_demo_articles_have_real_bodies_and_the_seed_reading_times(demo_site):
    expected = {
        "machine-learning-project-lifecycle": 8,
        "sql-for-data-scientists": 10,
        "bigquery-vs-tensorflow-transform": 8,
        "python-performance": 11,
        "data-engineering-stack": 10,
        "distributed-training-tensorflow": 9,
        "production-ml-pipelines-tfx": 14,
    }
    for slug, minutes in expected.items():
        article = ArticlePage.objects.get(slug=slug)
        assert article.reading_time == minutes, slug
        block_types = {block.block_type for block in article.body}
        assert {"heading", "paragraph", "code"} <= block_types, slug


def test_demo_content_loads_the_whole_site(client, demo_site):
    for url in [
        "/",
        "/writing/",
        "/writing/forecasting/",
        "/case-studies/",
        "/case-studies/supply-chain-forecasting/",
        "/case-studies/banking-data-automation/",
        "/services/production-ml-data-infrastructure/",
        "/book-a-call/",
    ]:
        assert client.get(url).status_code == 200, url
    assert BookACallPage.objects.get().form_fields.count() == 4
    writing = visible_text(client.get("/writing/").content.decode())
    assert_in_order(
        writing,
        [
            "Data Engineering & Production Systems",
            "7 articles",
            "Forecasting & Time Series",
            "2 articles",
        ],
    )


def demo_state():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        sorted(Page.objects.values_list("pk", "latest_revision_id", "last_published_at")),
        sorted(ArticlePage.objects.values_list("slug", "last_reviewed", "applies_to")),
        sorted(BookACallSubmission.objects.values_list("pk", "submit_time", "source_page_id")),
    )


def test_running_the_demo_loader_twice_changes_nothing(demo_site):
    before = demo_state()
    output = io.StringIO()
    call_command("load_demo_content", stdout=output)
    assert demo_state() == before
    assert "nothing changed" in output.getvalue()


def test_demo_articles_are_some_fresh_some_due_for_review(client, demo_site):
    due = set(due_for_review().values_list("slug", flat=True))
    fresh = set(ArticlePage.objects.live().values_list("slug", flat=True)) - due
    assert {"machine-learning-project-lifecycle", "bigquery-vs-tensorflow-transform"} <= due
    assert {"sql-for-data-scientists", "backtesting-forecasts-properly"} <= fresh

    # A reviewed article says so on its page; one never reviewed does not.
    article = ArticlePage.objects.get(slug="sql-for-data-scientists")
    text = visible_text(client.get(article.url).content.decode())
    assert f"Updated {article.last_reviewed:%-d %b %Y}" in text
    assert "Applies to: PostgreSQL 16, BigQuery, DuckDB 1.1" in text
    never = ArticlePage.objects.get(slug="machine-learning-project-lifecycle")
    html = client.get(never.url).content.decode()
    meta = html.split('class="article__meta"', 1)[1].split("</p>", 1)[0]
    assert "1 Mar 2024" in meta and "Updated" not in meta and "Applies to" not in meta


def test_demo_submissions_come_from_several_kinds_of_page_over_months(demo_site):
    submissions = BookACallSubmission.objects.all()
    assert submissions.count() >= 10
    kinds = {kind_of(s.source_page) for s in submissions.select_related("source_page")}
    assert kinds == {"Article", "Topic", "Case study", "Other page", "Unknown"}
    ages = [(timezone.now() - s.submit_time).days for s in submissions]
    assert min(ages) < 7 and max(ages) > 120
    for submission in submissions.exclude(source_page=None):
        assert submission.source_path == submission.source_page.url


def test_demo_submissions_are_added_only_to_a_form_without_any(demo_site):
    BookACallSubmission.objects.exclude(pk=BookACallSubmission.objects.first().pk).delete()
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    assert BookACallSubmission.objects.count() == 1
