import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.editing import add_article_url, article_fields, article_form_data
from tests.factories import ArticlePageFactory, CaseStudyPageFactory
from tests.html import assert_in_order, visible_text
from topics.models import ArticlePage
from topics.reading_time import PROSE_WORDS_PER_MINUTE

pytestmark = pytest.mark.django_db


def prose(words):
    return {"type": "paragraph", "value": "<p>" + " ".join(["word"] * words) + "</p>"}


def test_reading_time_is_computed_on_save_and_follows_the_body(site_tree):
    article = ArticlePageFactory(parent=site_tree.topic, body=[prose(PROSE_WORDS_PER_MINUTE * 3)])
    assert article.reading_time == 3

    article.body = [prose(PROSE_WORDS_PER_MINUTE * 7 + 1)]
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.reading_time == 8


def test_reading_time_is_never_below_one_minute_and_counts_code_slower(site_tree):
    short = ArticlePageFactory(parent=site_tree.topic, body=[prose(3)])
    assert short.reading_time == 1
    words = " ".join(["x"] * PROSE_WORDS_PER_MINUTE)
    as_prose = ArticlePageFactory(parent=site_tree.topic, body=[prose(PROSE_WORDS_PER_MINUTE * 2)])
    as_code = ArticlePageFactory(
        parent=site_tree.topic,
        body=[{"type": "code", "value": {"language": "python", "source": f"{words}\n{words}"}}],
    )
    assert as_code.reading_time > as_prose.reading_time


def test_article_page_shows_title_date_reading_time_summary_body_and_panels(client, site_tree):
    case_study = CaseStudyPageFactory(parent=site_tree.case_studies, title="Bank automation")
    case_study.topics.add(site_tree.topic)
    case_study.save_revision().publish()
    older = ArticlePageFactory(
        parent=site_tree.topic, title="An older sibling", date=datetime.date(2023, 1, 5)
    )
    article = ArticlePageFactory(
        parent=site_tree.topic,
        title="Feature pipelines",
        date=datetime.date(2024, 2, 15),
        summary="Where leakage hides.",
        body=[
            {
                "type": "heading",
                "value": {"text": "Training and serving skew", "level": "h2", "anchor": ""},
            },
            prose(40),
        ],
    )
    html = client.get(article.url).content.decode()

    assert_in_order(
        visible_text(html),
        [
            "Writing",
            "Feature pipelines",
            "15 Feb 2024",
            f"{article.reading_time} min read",
            "Where leakage hides.",
            "Training and serving skew",
            "More in this topic",
            older.title,
            "Related case studies",
            "Bank automation",
            "Want this kind of work?",
            "Book a call",
        ],
    )
    assert '<h2 id="training-and-serving-skew"' in html
    assert html.count("<h1") == 1


def test_more_in_this_topic_lists_latest_siblings_but_not_the_article_itself(client, site_tree):
    article = ArticlePageFactory(
        parent=site_tree.topic, title="The article itself", date=datetime.date(2020, 1, 1)
    )
    siblings = [
        ArticlePageFactory(
            parent=site_tree.topic, title=f"Sibling {n}", date=datetime.date(2024, 1, n)
        )
        for n in range(1, 6)
    ]
    html = client.get(article.url).content.decode()
    panel = visible_text(html.split('id="more-in-topic"', 1)[1])
    assert_in_order(panel, ["Sibling 5", "Sibling 4", "Sibling 3"])
    assert "Sibling 2" not in panel.split("Related case studies")[0]
    assert "The article itself" not in panel.split("Want this kind")[0]
    newest_three = [sibling.url for sibling in reversed(siblings[2:])]
    assert_in_order(html.split('id="more-in-topic"', 1)[1], newest_three)


def test_body_blocks_render_semantic_html(client, site_tree):
    image = Image.objects.create(title="Diagram", file=get_test_image_file(size=(1600, 900)))
    article = ArticlePageFactory(
        parent=site_tree.topic,
        body=[
            {"type": "heading", "value": {"text": "Setup", "level": "h3", "anchor": "get-started"}},
            {"type": "code", "value": {"language": "sql", "source": "SELECT 1 FROM orders;"}},
            {
                "type": "quote",
                "value": {"quote": "Data beats opinions.", "attribution": "A client"},
            },
            {"type": "callout", "value": {"kind": "warning", "text": "<p>Backfill first.</p>"}},
            {
                "type": "table",
                "value": {
                    "data": [["Layer", "Tool"], ["Storage", "Parquet"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Layers",
                },
            },
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": image.pk,
                        "decorative": False,
                        "alt_text": "Pipeline diagram",
                    },
                    "caption": "The pipeline",
                },
            },
            {"type": "divider", "value": None},
        ],
    )
    html = client.get(article.url).content.decode()

    assert '<h3 id="get-started"' in html
    assert (
        '<code class="language-sql"><span class="k">SELECT</span>' in html
    )  # Pygments, server side
    assert "<blockquote><p>Data beats opinions.</p></blockquote>" in html
    assert "<figcaption>— A client</figcaption>" in html
    assert 'class="callout callout--warning"' in html
    assert '<th scope="col"' in html and "<caption>Layers</caption>" in html
    assert "<picture>" in html and 'type="image/avif"' in html and 'type="image/webp"' in html
    assert 'alt="Pipeline diagram"' in html and 'loading="lazy"' in html
    assert "<figcaption>The pipeline</figcaption>" in html
    assert '<hr class="divider">' in html
    body = html.split('class="article__body"', 1)[1]
    assert "<script" not in body  # code is highlighted on the server, nothing runs


def test_an_article_may_not_take_a_slug_its_topics_feed_answers(site_tree, admin_client):
    article = ArticlePageFactory.build(title="Feed me", slug="feed")
    article.path, article.depth = site_tree.topic.path + "0099", site_tree.topic.depth + 1
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "taken by an address of the topic page itself" in str(refused.value.message_dict["slug"])

    fields = article_fields("Feed me")
    fields["slug"] = "feed"
    response = admin_client.post(add_article_url(site_tree.topic), article_form_data(fields))
    assert response.status_code == 200  # the form again, with the error: nothing created
    assert "taken by an address of the topic page itself" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="feed").exists()
