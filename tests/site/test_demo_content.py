from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from consultancy_site.models import BookACallPage
from tests.html import assert_in_order, visible_text
from topics.models import ArticlePage, TopicIndexPage

pytestmark = pytest.mark.django_db

# The page the product must serve, as the user gave it (a copy of shared/seed/000_…txt).
SEED = Path(__file__).resolve().parent.parent / "seed" / "data_engineering_hub.txt"


@pytest.fixture
def demo_site(db):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))


def test_demo_hub_reproduces_the_seed_page_in_order(client, demo_site):
    response = client.get("/writing/data-engineering/")
    assert response.status_code == 200
    seed_lines = [line.strip() for line in SEED.read_text().splitlines() if line.strip()]

    assert_in_order(visible_text(response.content.decode()), seed_lines)


def test_demo_hub_intro_links_articles_as_internal_page_links(client, demo_site):
    hub = TopicIndexPage.objects.get(slug="data-engineering")
    intro_source = str(hub.intro.raw_data)
    articles = ArticlePage.objects.child_of(hub)
    assert articles.count() == 7
    for article in articles:
        assert f'linktype="page" id="{article.pk}"' in intro_source, article.title

    # Renaming and moving an article keeps the intro's link pointing at it.
    article = articles.get(slug="sql-for-data-scientists")
    article.slug = "sql-patterns"
    article.save_revision().publish()
    html = client.get(hub.url).content.decode()
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


def test_running_the_demo_loader_twice_changes_nothing(demo_site):
    before = (
        Page.objects.count(),
        Revision.objects.count(),
        sorted(Page.objects.values_list("pk", "latest_revision_id", "last_published_at")),
    )
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    after = (
        Page.objects.count(),
        Revision.objects.count(),
        sorted(Page.objects.values_list("pk", "latest_revision_id", "last_published_at")),
    )
    assert after == before
