"""Article freshness: what readers see ("Updated", "Applies to", dateModified), and what editors
get in the admin (the "Articles due for review" report and the dashboard line); authors get
neither."""

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from consultancy_site.editorial.freshness.due import months_before
from tests.factories import ArticlePageFactory, TopicIndexPageFactory, logged_in
from tests.html import visible_text

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/articles-due-for-review/"
RESULTS = "/admin/reports/articles-due-for-review/results/"


def today():
    return timezone.localdate()


def days_ago(days):
    return today() - datetime.timedelta(days=days)


def meta_line(html):
    """The visible text of the article's meta line (topic, date, reading time, freshness)."""
    return visible_text("<p" + html.split('class="article__meta"', 1)[1].split("</p>", 1)[0])


@pytest.fixture
def articles(site_tree, author):
    """One fresh, two stale (never reviewed; reviewed long ago), one stale draft, in two topics."""
    forecasting = TopicIndexPageFactory(parent=site_tree.writing, title="Forecasting")
    return {
        "fresh": ArticlePageFactory(
            parent=site_tree.topic,
            title="Freshly checked piece",
            date=days_ago(900),
            last_reviewed=days_ago(60),
            applies_to="PostgreSQL 16",
        ),
        "never": ArticlePageFactory(
            parent=site_tree.topic,
            title="Never reviewed piece",
            date=days_ago(800),
            owner=author,
        ),
        "long_ago": ArticlePageFactory(
            parent=forecasting,
            title="Reviewed long ago piece",
            date=days_ago(1200),
            last_reviewed=days_ago(500),
            applies_to="statsforecast 1.7",
        ),
        "draft": ArticlePageFactory(
            parent=site_tree.topic, title="Stale draft piece", date=days_ago(900), live=False
        ),
        "forecasting": forecasting,
    }


def listed(client, url=REPORT, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    return html, {
        title
        for title in [
            "Freshly checked piece",
            "Never reviewed piece",
            "Reviewed long ago piece",
            "Stale draft piece",
        ]
        if title in html
    }


# --- Readers ------------------------------------------------------------------------------------


def test_article_shows_updated_and_applies_to_when_reviewed_after_publication(client, site_tree):
    article = ArticlePageFactory(
        parent=site_tree.topic,
        date=datetime.date(2024, 1, 10),
        last_reviewed=datetime.date(2025, 6, 1),
        applies_to="PostgreSQL 16, Spark 3.5",
    )
    html = client.get(article.url).content.decode()

    assert "Updated 1 Jun 2025" in meta_line(html)
    assert "Applies to: PostgreSQL 16, Spark 3.5" in meta_line(html)
    assert '<time datetime="2025-06-01">1 Jun 2025</time>' in html
    assert '<time datetime="2024-01-10">10 Jan 2024</time>' in html


def test_article_without_a_later_review_or_versions_shows_neither(client, site_tree):
    never = ArticlePageFactory(parent=site_tree.topic, date=datetime.date(2024, 1, 10))
    same_day = ArticlePageFactory(
        parent=site_tree.topic,
        date=datetime.date(2024, 1, 10),
        last_reviewed=datetime.date(2024, 1, 10),
    )
    earlier = ArticlePageFactory(
        parent=site_tree.topic,
        date=datetime.date(2024, 1, 10),
        last_reviewed=datetime.date(2023, 12, 1),
    )
    for article in (never, same_day, earlier):
        meta = meta_line(client.get(article.url).content.decode())
        assert "10 Jan 2024" in meta
        assert "Updated" not in meta and "Applies to" not in meta


def json_ld_article(html):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == "Article":
            return data
    raise AssertionError("no Article JSON-LD")


def test_json_ld_date_modified_is_the_review_when_later_than_the_last_publication(
    client, site_tree
):
    article = ArticlePageFactory(
        parent=site_tree.topic, date=datetime.date(2023, 3, 1), last_reviewed=days_ago(3)
    )
    article.save_revision().publish()
    published = timezone.make_aware(datetime.datetime(2023, 3, 2, 9, 0))
    type(article).objects.filter(pk=article.pk).update(last_published_at=published)

    data = json_ld_article(client.get(article.url).content.decode())

    assert data["datePublished"] == "2023-03-01"
    assert data["dateModified"] == days_ago(3).isoformat()


def test_json_ld_date_modified_keeps_a_publication_later_than_the_review(client, site_tree):
    article = ArticlePageFactory(
        parent=site_tree.topic,
        date=datetime.date(2023, 3, 1),
        last_reviewed=datetime.date(2023, 6, 1),
    )
    article.save_revision().publish()
    article.refresh_from_db()

    data = json_ld_article(client.get(article.url).content.decode())

    assert data["dateModified"] == article.last_published_at.isoformat()
    assert article.last_published_at.date() > datetime.date(2023, 6, 1)


def test_months_before_keeps_the_day_or_the_end_of_a_shorter_month():
    assert months_before(datetime.date(2026, 11, 27), 12) == datetime.date(2025, 11, 27)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)
    assert months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)


# --- The report ---------------------------------------------------------------------------------


def test_report_lists_live_stale_articles_not_fresh_ones_or_drafts(editor, articles):
    html, titles = listed(logged_in(editor))

    assert titles == {"Never reviewed piece", "Reviewed long ago piece"}
    text = visible_text(html)
    # The longest waiting first (published 800 days ago, then reviewed 500 days ago); each with
    # its topic, last review, versions and author.
    assert text.index("Never reviewed piece") < text.index("Reviewed long ago piece")
    assert "Forecasting" in text and "statsforecast 1.7" in text
    assert f"Never (published {days_ago(800):%-d %b %Y})" in text
    assert f"{days_ago(500):%-d %b %Y}" in text
    assert "Alice Author" in text
    edit_url = reverse("wagtailadmin_pages:edit", args=[articles["never"].pk])
    assert f'href="{edit_url}"' in html


def test_report_months_filter_widens_and_narrows_what_is_due(editor, articles):
    client = logged_in(editor)

    assert listed(client, months=1)[1] == {
        "Freshly checked piece",
        "Never reviewed piece",
        "Reviewed long ago piece",
    }
    # 24 months back falls between the never-reviewed article's publication (800 days ago) and
    # the other one's review (500 days ago).
    assert listed(client, months=24)[1] == {"Never reviewed piece"}
    assert listed(client, months=36)[1] == set()
    assert "Every live article was reviewed in the last 36 months." in visible_text(
        listed(client, months=36)[0]
    )


def test_report_filters_by_topic(editor, articles, site_tree):
    client = logged_in(editor)

    assert listed(client, topic=articles["forecasting"].pk)[1] == {"Reviewed long ago piece"}
    assert listed(client, topic=site_tree.topic.pk)[1] == {"Never reviewed piece"}
    assert listed(client, RESULTS, topic=site_tree.topic.pk, months=1)[1] == {
        "Freshly checked piece",
        "Never reviewed piece",
    }


@pytest.mark.parametrize("bad", ["abc", "0", "-3", "1.5", "99999999999999999999", "121", "<b>"])
def test_bad_months_value_is_a_form_error_and_the_default_applies(editor, articles, bad):
    html, titles = listed(logged_in(editor), months=bad)

    assert titles == {"Never reviewed piece", "Reviewed long ago piece"}  # the default, 12
    assert "Showing articles not reviewed in 12 months." in visible_text(html)
    assert "<b>" not in html.split('role="alert"', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "0"])
def test_bad_topic_value_lists_every_topic_never_an_error(editor, articles, bad):
    html, titles = listed(logged_in(editor), topic=bad)
    assert titles == {"Never reviewed piece", "Reviewed long ago piece"}


def test_report_exports_csv_with_the_same_articles(editor, articles):
    response = logged_in(editor).get(REPORT, {"export": "csv", "months": 12})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert [row["Title"] for row in rows] == ["Never reviewed piece", "Reviewed long ago piece"]
    assert rows[0]["Last reviewed"] == "" and rows[0]["Author"] == "Alice Author"
    assert rows[0]["Published"] == days_ago(800).isoformat()
    assert rows[0]["URL"].endswith(articles["never"].url)
    assert rows[1]["Topic"] == "Forecasting"
    assert rows[1]["Applies to"] == "statsforecast 1.7"
    assert rows[1]["Last reviewed"] == days_ago(500).isoformat()


def test_report_exports_xlsx(editor, articles):
    response = logged_in(editor).get(REPORT, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- The dashboard ------------------------------------------------------------------------------


def test_dashboard_counts_articles_due_and_links_to_the_report(editor, articles):
    text = visible_text(logged_in(editor).get("/admin/").content.decode())
    assert "2 articles not reviewed in 12 months" in text

    html = logged_in(editor).get("/admin/").content.decode()
    assert f'<a href="{REPORT}">2 articles not reviewed in 12 months</a>' in html


def test_dashboard_says_all_reviewed_when_nothing_is_due(editor, site_tree):
    ArticlePageFactory(parent=site_tree.topic, date=days_ago(30))
    text = visible_text(logged_in(editor).get("/admin/").content.decode())
    assert "All articles were reviewed in the last 12 months." in text
    assert "not reviewed in 12 months" not in text


def edit_form(article, **changes):
    """What Wagtail's edit form posts for `article`, with `changes`."""
    fields = {
        "title": article.title,
        "slug": article.slug,
        "date": article.date.isoformat(),
        "summary": article.summary,
        "body": streamfield([("paragraph", rich_text("<p>Still right.</p>"))]),
        "last_reviewed": "",
        "applies_to": article.applies_to,
        "tags": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
        **changes,
    }
    return nested_form_data(fields)


def test_editor_marks_an_article_reviewed_in_its_edit_form(editor, articles, client):
    article = articles["never"]
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = edit_form(article, last_reviewed=today().isoformat(), applies_to="Spark 4.0")
    response = logged_in(editor).post(url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302

    assert listed(logged_in(editor))[1] == {"Reviewed long ago piece"}
    meta = meta_line(client.get(article.url).content.decode())
    assert f"Updated {today():%-d %b %Y}" in meta and "Applies to: Spark 4.0" in meta


def test_a_review_date_in_the_future_is_a_form_error(editor, articles):
    article = articles["never"]
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    data = edit_form(article, last_reviewed=tomorrow)
    response = logged_in(editor).post(url, {**data, "action-publish": "action-publish"})

    assert response.status_code == 200
    assert "A review cannot be later than today." in response.content.decode()
    article.refresh_from_db()
    assert article.last_reviewed is None


def test_marking_an_article_reviewed_takes_it_off_the_report(editor, articles):
    article = articles["never"]
    article.last_reviewed = today()
    article.save_revision().publish()

    assert listed(logged_in(editor))[1] == {"Reviewed long ago piece"}
    text = visible_text(logged_in(editor).get("/admin/").content.decode())
    assert "1 article not reviewed in 12 months" in text


# --- Who sees it --------------------------------------------------------------------------------


def test_authors_get_403_and_no_menu_item_or_dashboard_line(author, articles):
    client = logged_in(author)
    for url in [REPORT, RESULTS, REPORT + "?export=csv"]:
        assert client.get(url).status_code == 403, url
    dashboard = client.get("/admin/").content.decode()
    assert "Articles due for review" not in dashboard
    assert "not reviewed in 12 months" not in visible_text(dashboard)


def test_editors_and_superusers_see_the_menu_item(editor, articles, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    for user in (editor, admin):
        dashboard = logged_in(user).get("/admin/").content.decode()
        assert "Articles due for review" in dashboard
        assert REPORT in dashboard
        assert logged_in(user).get(REPORT).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, articles):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
