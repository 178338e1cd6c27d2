"""Topic-aware previews (topics/preview.py), driven through Wagtail's preview views.

An editor previewing an article can see its topic page as it will look once the article is
published; previewing a topic can show it with its articles that are in review. Authors get an
explanation instead, and nothing of it reaches the public topic or the page cache.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from tests.editing import article_fields, article_form_data, create_article, edit_article
from tests.factories import ArticlePageFactory
from tests.html import assert_in_order, visible_text
from topics.models import ArticlePage

pytestmark = pytest.mark.django_db

LONG_TEXT = "word " * 2000  # with the heading's three words: 2,003 words, 9 minutes at 230/min


@pytest.fixture
def live_articles(tree):
    """The topic as readers see it: a newer and an older article, published from a revision."""
    articles = {
        "newer": ArticlePageFactory(
            parent=tree.topic, title="Streaming joins that hold up", date=datetime.date(2024, 6, 1)
        ),
        "older": ArticlePageFactory(
            parent=tree.topic, title="Idempotent loads", date=datetime.date(2022, 9, 14)
        ),
    }
    for article in articles.values():
        article.save_revision().publish()
    return articles


def preview_on_add_url(topic):
    return reverse("wagtailadmin_pages:preview_on_add", args=("topics", "articlepage", topic.pk))


def preview_on_edit_url(page):
    return reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))


def preview(client, url, form_data, mode):
    """What the editor's preview panel does: post the form as it stands, then load a mode."""
    posted = client.post(url, form_data)
    assert posted.json()["is_valid"], "the preview refused the form"
    return client.get(url, {"mode": mode})


def topic_listing(response):
    """The visible text of the topic's "All articles in this topic" section."""
    page_html = response.content.decode()
    section = page_html.split('id="all-articles"', 1)[1].split('id="related-case-studies"', 1)[0]
    return visible_text("<div " + section)


# --- An article, in its topic ---------------------------------------------------------------------
def test_article_preview_offers_the_topic_page_mode(tree, live_articles, as_editor):
    edit_screen = as_editor.get(
        reverse("wagtailadmin_pages:edit", args=(live_articles["newer"].pk,))
    )
    assert "Topic page, with this article published" in edit_screen.content.decode()


def test_editor_sees_a_new_article_in_its_topic_in_date_order_marked_draft(
    tree, live_articles, as_editor
):
    fields = article_fields(
        "Backfills without tears", date=datetime.date(2023, 5, 2), text=LONG_TEXT
    )
    response = preview(
        as_editor, preview_on_add_url(tree.topic), article_form_data(fields), mode="topic"
    )

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert tree.topic.title in text and tree.topic.lede in text  # the topic, not the article
    listing = topic_listing(response)
    assert_in_order(
        listing,
        [
            "Streaming joins that hold up",
            "Draft",
            "9 min read",
            "2 May 2023",
            "Backfills without tears",
            fields["summary"],
            "Idempotent loads",
        ],
    )
    assert listing.count("Draft") == 1, "only the draft's card is marked"
    # The marker says what it means to a screen reader too.
    assert 'Draft<span class="visually-hidden">, not published yet</span>' in (
        response.content.decode()
    )
    assert "private" in response["Cache-Control"]


def test_a_live_article_preview_replaces_its_live_card(tree, live_articles, as_editor):
    article = live_articles["older"]
    fields = article_fields(
        "Idempotent loads, revisited", date=datetime.date(2025, 1, 10), text=LONG_TEXT
    )
    fields["slug"] = article.slug

    response = preview(as_editor, preview_on_edit_url(article), article_form_data(fields), "topic")

    listing = topic_listing(response)
    assert "Idempotent loads, revisited" in listing
    assert "Idempotent loads " not in listing + " ", "the live version's card is still there"
    # The new date moves it above the newer article, as the live list will order it.
    assert_in_order(listing, ["Draft", "Idempotent loads, revisited", "Streaming joins"])
    assert listing.count("min read") == 2


def test_a_draft_older_than_a_page_of_articles_is_shown_on_its_page(tree, as_editor):
    for day in range(1, 22):
        ArticlePageFactory(
            parent=tree.topic, title=f"Article of March {day}", date=datetime.date(2024, 3, day)
        )
    fields = article_fields("An old classic", date=datetime.date(2020, 1, 1))

    response = preview(
        as_editor, preview_on_add_url(tree.topic), article_form_data(fields), mode="topic"
    )

    listing = topic_listing(response)
    assert "Page 2 of 2" in listing
    assert_in_order(listing, ["Article of March 1", "Draft", "An old classic"])
    assert "Article of March 21" not in listing


def test_the_default_preview_is_still_the_article(tree, live_articles, as_editor):
    fields = article_fields("Backfills without tears", text=LONG_TEXT)
    response = preview(as_editor, preview_on_add_url(tree.topic), article_form_data(fields), "")
    text = visible_text(response.content.decode())
    assert "Backfills without tears" in text and LONG_TEXT.split()[0] in text
    assert "All articles in this topic" not in text and "Draft" not in text


def test_an_author_gets_an_explanation_not_the_topic(tree, live_articles, as_author):
    article = create_article(
        as_author, tree.topic, article_fields("My own draft"), action=None
    )  # saved as a draft, not submitted
    other = ArticlePageFactory(
        parent=tree.topic, title="A colleague's unpublished piece", live=False
    )

    fields = article_fields("My own draft, improved")
    fields["slug"] = article.slug
    response = preview(as_author, preview_on_edit_url(article), article_form_data(fields), "topic")

    assert response.status_code == 403
    text = visible_text(response.content.decode())
    assert "This preview is for editors" in text
    assert "Choose the “Article” preview" in text
    for title in ("Streaming joins that hold up", "My own draft, improved", other.title):
        assert title not in text
    # The article itself still previews for its author.
    own = as_author.get(preview_on_edit_url(article), {"mode": ""})
    assert own.status_code == 200 and "My own draft, improved" in own.content.decode()


def test_the_preview_panel_may_frame_the_preview_and_reads_the_date_as_shown(
    client, tree, live_articles, as_editor
):
    """The admin shows previews in a frame of its own origin, and its date field shows dates as
    "2 May 2023" (WAGTAIL_DATE_FORMAT): both must reach the preview intact."""
    edit_screen = as_editor.get(
        reverse("wagtailadmin_pages:edit", args=(live_articles["older"].pk,))
    ).content.decode()
    assert 'name="date" value="14 Sep 2022"' in edit_screen
    data = article_form_data(article_fields("Backfills without tears"))
    data["date"] = "02 May 2023"

    response = preview(as_editor, preview_on_add_url(tree.topic), data, mode="topic")

    assert_in_order(topic_listing(response), ["Draft", "2 May 2023", "Backfills without tears"])
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # Public pages still refuse every frame.
    assert "frame-ancestors 'none'" in client.get(tree.topic.url)["Content-Security-Policy"]


# --- A topic, with its articles in review ----------------------------------------------------------
def test_topic_preview_with_articles_in_review_shows_submitted_drafts_only(
    tree, live_articles, as_editor, as_author
):
    create_article(as_author, tree.topic, article_fields("Submitted for review", text=LONG_TEXT))
    create_article(as_author, tree.topic, article_fields("Still being written"), action=None)
    # A live article whose edit is in review shows its new title in place of the live one.
    edit_article(
        as_author, live_articles["older"], "action-submit", title="Idempotent loads, second edition"
    )
    # A live article with a saved but unsubmitted edit shows as it is live.
    edit_article(as_author, live_articles["newer"], title="Streaming joins, unsubmitted")

    url = reverse("wagtailadmin_pages:view_draft", args=(tree.topic.pk,))
    response = as_editor.get(url, {"mode": "in-review"})

    assert response.status_code == 200
    listing = topic_listing(response)
    assert_in_order(
        listing,
        ["Draft", "9 min read", "Submitted for review", "Streaming joins that hold up"],
    )
    assert "Idempotent loads, second edition" in listing
    assert listing.count("Draft") == 2
    for absent in ("Still being written", "Streaming joins, unsubmitted", "Idempotent loads "):
        assert absent not in listing + " "
    # The default mode is the topic as it is.
    default = topic_listing(as_editor.get(url))
    assert "Submitted for review" not in default and "Draft" not in default
    assert "Idempotent loads" in default and "second edition" not in default


def test_topic_in_review_mode_is_offered_and_says_when_nothing_is_in_review(tree, as_editor):
    edit_screen = as_editor.get(reverse("wagtailadmin_pages:edit", args=(tree.topic.pk,)))
    assert "With articles in review" in edit_screen.content.decode()
    url = reverse("wagtailadmin_pages:view_draft", args=(tree.topic.pk,))
    text = visible_text(as_editor.get(url, {"mode": "in-review"}).content.decode())
    assert "No article of" in text and "is in review" in text


def test_a_user_who_cannot_publish_the_topic_gets_the_explanation(tree, as_author):
    """Authors cannot open a topic's previews at all; the mode itself refuses them too."""
    create_article(as_author, tree.topic, article_fields("Submitted for review"))
    request = reverse("wagtailadmin_pages:view_draft", args=(tree.topic.pk,))
    assert as_author.get(request, {"mode": "in-review"}).status_code in (302, 403)

    original = RequestFactory().get("/")
    original.user = AnonymousUser()
    response = tree.topic.specific.make_preview_request(original, "in-review")
    assert response.status_code == 403
    assert "Submitted for review" not in response.content.decode()


# --- Nothing of it is public or cached ----------------------------------------------------------
def test_previews_leave_the_public_topic_and_the_page_cache_alone(
    client, settings, tree, live_articles, as_editor, as_author
):
    settings.PAGE_CACHE_SECONDS = 300
    topic_before = client.get(tree.topic.url)
    assert topic_before["X-Cache"] == "MISS"
    create_article(as_author, tree.topic, article_fields("Submitted for review"))
    cache_keys = set(cache._cache.keys())

    fields = article_fields("Backfills without tears")
    added = preview(as_editor, preview_on_add_url(tree.topic), article_form_data(fields), "topic")
    in_review = as_editor.get(
        reverse("wagtailadmin_pages:view_draft", args=(tree.topic.pk,)), {"mode": "in-review"}
    )
    assert "Backfills without tears" in topic_listing(added)
    assert "Submitted for review" in topic_listing(in_review)
    # A preview request without the editor's cookies (as Wagtail builds one from nothing).
    draft = ArticlePage.objects.get(slug="submitted-for-review").get_latest_revision_as_object()
    anonymous = draft.make_preview_request(None, "topic")
    assert anonymous.status_code == 403

    new_page_keys = {key for key in set(cache._cache.keys()) - cache_keys if ":page:" in key}
    assert new_page_keys == set(), "a preview was stored in the page cache"
    topic_after = client.get(tree.topic.url)
    assert topic_after["X-Cache"] == "HIT" and topic_after.content == topic_before.content
    settings.PAGE_CACHE_SECONDS = 0
    public = visible_text(client.get(tree.topic.url).content.decode())
    for absent in ("Backfills without tears", "Submitted for review", "Draft", "Preview:"):
        assert absent not in public
    assert "Streaming joins that hold up" in public
