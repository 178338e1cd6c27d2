"""Social cards: every published article and case study is shared with an image of its own.

Drawn when the page is published, stored once, redrawn (under a new name, the old file deleted)
only when what it shows changes; shared through og:image and twitter:image; shown to editors
in the Promote tab; `draw_social_cards` fills in what older sites lack.
"""

import io
import json
import logging
import os
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from PIL import Image, ImageChops, ImageDraw
from wagtail.models import Site

from consultancy_site.delivery.chrome import invalidate_chrome
from consultancy_site.seo import social_cards
from consultancy_site.seo.models import SocialCard
from consultancy_site.seo.social_cards import CardText
from tests.factories import (
    ArticlePageFactory,
    CaseStudyPageFactory,
    TopicIndexPageFactory,
)

pytestmark = pytest.mark.django_db

SITE_NAME = "Production ML & Data Engineering"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site_name(site_tree):
    Site.objects.filter(is_default_site=True).update(site_name=SITE_NAME)
    return SITE_NAME


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (old files deleted, second purge), as a request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def publish(page, committed, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    with committed():
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def card_of(page):
    return SocialCard.objects.get(page_id=page.pk)


def stored(card):
    return default_storage.exists(card.image.name)


def opened(card):
    with default_storage.open(card.image.name) as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


class Head(HTMLParser):
    """<meta> contents by name or property, and JSON-LD blocks' text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.metas, self.scripts, self._script = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.metas.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def meta(self, key):
        return [
            attrs.get("content")
            for attrs in self.metas
            if key in (attrs.get("name"), attrs.get("property"))
        ]


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Head(response.content.decode())


def json_ld_article(document):
    return next(
        data for text in document.scripts if (data := json.loads(text)).get("@type") == "Article"
    )


# --- Drawn on publish, stored once, redrawn when the title changes ---------------------------


def test_publishing_an_article_draws_a_1200_by_630_png_card_of_what_it_shows(
    site_tree, site_name, committed
):
    article = ArticlePageFactory(
        parent=site_tree.topic, title="Backfills without tears", live=False
    )

    publish(article, committed)

    card = card_of(article)
    assert card.image.name.startswith("social-cards/") and card.image.name.endswith(".png")
    assert stored(card)
    image = opened(card)
    assert image.format == "PNG"
    assert image.size == (1200, 630) == (card.width, card.height)
    expected = CardText(
        "Backfills without tears", "Data Engineering", f"{article.reading_time} min read", SITE_NAME
    )
    assert article.specific.social_card_text() == expected
    assert card.fingerprint == social_cards.fingerprint(expected)
    # The drawing is the card of exactly that text, byte for byte.
    with default_storage.open(card.image.name) as file:
        assert file.read() == social_cards.render_png(expected)


def test_publishing_again_with_the_same_title_keeps_the_card(site_tree, committed):
    article = publish(ArticlePageFactory(parent=site_tree.topic, live=False), committed)
    before = card_of(article)

    publish(article, committed, summary="A new summary: not on the card.")

    after = card_of(article)
    assert after.image.name == before.image.name
    assert after.drawn_at == before.drawn_at
    assert sorted(os.listdir(default_storage.path("social-cards"))) == [
        os.path.basename(before.image.name)
    ]


def test_a_new_title_redraws_the_card_under_a_new_name_and_deletes_the_old_file(
    site_tree, committed
):
    article = publish(
        ArticlePageFactory(parent=site_tree.topic, title="Old title", live=False), committed
    )
    old = card_of(article)
    old_pixels = opened(old)

    publish(article, committed, title="A completely different title")

    new = card_of(article)
    assert new.image.name != old.image.name
    assert new.drawn_at > old.drawn_at
    assert stored(new)
    assert not default_storage.exists(old.image.name)
    assert os.listdir(default_storage.path("social-cards")) == [os.path.basename(new.image.name)]
    assert ImageChops.difference(old_pixels, opened(new)).getbbox() is not None


def test_a_draft_is_not_drawn_until_it_is_published(site_tree):
    article = ArticlePageFactory(parent=site_tree.topic, live=False)

    article.save_revision()

    assert not SocialCard.objects.filter(page_id=article.pk).exists()


def test_deleting_the_page_deletes_its_card_file(site_tree, committed):
    article = publish(ArticlePageFactory(parent=site_tree.topic, live=False), committed)
    card = card_of(article)
    assert stored(card)

    with committed():
        article.delete()

    assert not SocialCard.objects.filter(pk=card.pk).exists()
    assert not default_storage.exists(card.image.name)


def test_a_drawing_error_is_logged_and_the_page_is_still_published(
    client, site_tree, committed, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise OSError("Pillow is broken")

    monkeypatch.setattr(ImageDraw, "Draw", broken)
    article = ArticlePageFactory(parent=site_tree.topic, title="Published anyway", live=False)

    with caplog.at_level(logging.ERROR, logger="consultancy_site.seo.social_cards"):
        publish(article, committed)

    assert article.live
    assert "Could not draw the social card" in caplog.text
    assert not SocialCard.objects.filter(page_id=article.pk).exists()
    assert not os.path.exists(default_storage.path("social-cards")) or not os.listdir(
        default_storage.path("social-cards")
    )
    # Shared with the site's default image instead.
    [og_image] = head(client, article.url).meta("og:image")
    assert urlsplit(og_image).path == static("img/share-default.png")


# --- The drawing -------------------------------------------------------------------------------


def test_cards_are_drawn_the_same_for_the_same_text_and_differ_for_different_titles():
    one = CardText("Backfills without tears", "Data Engineering", "8 min read", SITE_NAME)
    other = CardText("Backfills with tears", "Data Engineering", "8 min read", SITE_NAME)

    assert social_cards.render_png(one) == social_cards.render_png(one)
    assert ImageChops.difference(social_cards.draw(one), social_cards.draw(other)).getbbox()
    assert social_cards.fingerprint(one) != social_cards.fingerprint(other)


def hex_colour(value):
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


def test_card_is_drawn_in_the_site_colours_dark_text_on_white():
    text = CardText("Pipelines that survive reruns", "Data Engineering", "8 min read", SITE_NAME)
    image = social_cards.draw(text)
    lines = {line.role: line for line in social_cards.layout(text)}

    def colours_in(box):
        return {colour for _count, colour in image.crop(box).getcolors(maxcolors=100_000)}

    assert image.getpixel((5, 5)) == hex_colour("#ffffff")  # --bg
    assert hex_colour("#1b1d21") in colours_in(lines["title"].box)  # --text
    assert hex_colour("#1b1d21") in colours_in(lines["site"].box)
    assert hex_colour("#4f5561") in colours_in(lines["meta"].box)  # --muted
    topic = colours_in(lines["topic"].box)
    assert hex_colour("#0a4a8c") in topic and hex_colour("#e7effa") in topic  # .tag
    assert image.getpixel((600, 629)) == hex_colour("#0b5cad")  # --accent, the band at the foot


LONG_TITLES = [
    "Backfills",
    "How we moved a retail bank's month-end reconciliation from five days to two without "
    "touching the core ledger",
    " ".join(["Reconciliation"] * 40),
    "A" * 400,
    "https://example.com/a/very/long/url/that/has/no/spaces/anywhere/in/it/at/all/" * 3,
    "jq, ƒ-strings and ʃ: glyphs that reach left of the pen",  # ink starts before the pen
    "Ünïcödé — “quoted” · Straße · Ελληνικά · Кириллица",
]


@pytest.mark.parametrize("title", LONG_TITLES)
def test_titles_of_any_length_stay_inside_the_card_margins(title):
    text = CardText(title, "Data Engineering & Production Systems " * 5, "999 min read", "S" * 200)

    placed = social_cards.layout(text)

    margin, width = social_cards.MARGIN, social_cards.WIDTH
    for item in placed:
        left, top, right, bottom = item.box
        assert margin <= left and right <= width - margin, (item.role, item.text)
    for item in (p for p in placed if p.role == "title"):
        assert social_cards.TITLE_TOP <= item.box[1]
        assert item.box[3] <= social_cards.TITLE_BOTTOM, item.text
    [site] = [p for p in placed if p.role == "site"]
    [meta] = [p for p in placed if p.role == "meta"]
    assert site.box[2] < meta.box[0], "the site name runs into the reading time"
    assert meta.text == "999 min read"
    [topic] = [p for p in placed if p.role == "topic"]
    assert topic.text.endswith("…")
    social_cards.draw(text)  # and it draws


def test_long_titles_get_smaller_type_and_an_ellipsis_only_when_nothing_else_fits():
    def title_of(title):
        return [p for p in social_cards.layout(CardText(title, "", "", "")) if p.role == "title"]

    short = title_of("Backfills")
    longer = title_of(LONG_TITLES[1])
    longest = title_of(" ".join(["Reconciliation"] * 40))

    assert short[0].size > longer[0].size > longest[0].size == min(social_cards.TITLE_SIZES)
    assert " ".join(line.text for line in longer) == LONG_TITLES[1]  # every word, no ellipsis
    assert longest[-1].text.endswith("…")
    assert not any(line.text.endswith("…") for line in longest[:-1])


# --- Shared through og:image and twitter:image -------------------------------------------------


def test_article_is_shared_with_its_card(client, site_tree, committed):
    article = publish(
        ArticlePageFactory(parent=site_tree.topic, title="Backfills without tears", live=False),
        committed,
    )
    card = card_of(article)

    document = head(client, article.url)

    [og_image] = document.meta("og:image")
    assert og_image == f"http://testserver{card.image.url}"
    assert urlsplit(og_image).path == f"/media/{card.image.name}"
    assert document.meta("og:image:width") == ["1200"]
    assert document.meta("og:image:height") == ["630"]
    assert document.meta("og:image:alt") == ["Backfills without tears"]
    assert document.meta("twitter:image") == [og_image]
    assert document.meta("twitter:image:alt") == ["Backfills without tears"]
    assert json_ld_article(document)["image"] == og_image


def test_renamed_article_is_shared_with_its_new_card_at_once_even_from_warm_caches(
    client, site_tree, committed, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    article = publish(
        ArticlePageFactory(parent=site_tree.topic, title="First title", live=False), committed
    )
    client.get(article.url)
    assert client.get(article.url)["X-Cache"] == "HIT"
    old = card_of(article)

    publish(article, committed, title="Second title")

    document = head(client, article.url)
    [og_image] = document.meta("og:image")
    new = card_of(article)
    assert new.image.name != old.image.name
    assert urlsplit(og_image).path == f"/media/{new.image.name}"
    assert document.meta("og:image:alt") == ["Second title"]


def test_case_study_card_shows_its_first_topic_and_sector_and_is_shared(
    client, site_tree, site_name, committed
):
    second_topic = TopicIndexPageFactory(parent=site_tree.writing, title="Forecasting")
    case_study = CaseStudyPageFactory(
        parent=site_tree.case_studies, title="Month-end in two days", sector="Banking", live=False
    )
    case_study.topics.add(second_topic, site_tree.topic)

    publish(case_study, committed)

    card = card_of(case_study)
    expected = CardText(
        "Month-end in two days", "Data Engineering", "Case study · Banking", SITE_NAME
    )
    assert case_study.specific.social_card_text() == expected  # the first topic in the tree
    assert card.fingerprint == social_cards.fingerprint(expected)
    assert opened(card).size == (1200, 630)
    document = head(client, case_study.url)
    [og_image] = document.meta("og:image")
    assert og_image == f"http://testserver{card.image.url}"
    assert document.meta("og:image:width") == ["1200"]
    assert document.meta("og:image:alt") == ["Month-end in two days"]

    old_name = card.image.name
    publish(case_study, committed, sector="Insurance")
    assert card_of(case_study).image.name != old_name
    assert not default_storage.exists(old_name)


def test_case_study_without_topics_names_its_client_and_without_sector_says_case_study(
    site_tree, site_name, committed
):
    case_study = CaseStudyPageFactory(
        parent=site_tree.case_studies, client="A retail bank", sector="", live=False
    )

    publish(case_study, committed)

    text = case_study.specific.social_card_text()
    assert (text.topic, text.meta) == ("A retail bank", "Case study")
    assert card_of(case_study).fingerprint == social_cards.fingerprint(text)


def test_other_pages_keep_their_share_image(client, site_tree, committed):
    publish(site_tree.topic, committed)

    document = head(client, site_tree.topic.url)

    [og_image] = document.meta("og:image")
    assert urlsplit(og_image).path == static("img/share-default.png")
    assert document.meta("og:image:width") == []
    assert not SocialCard.objects.exists()


# --- Queries -----------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_card_adds_no_query_to_a_warm_article_and_stays_in_budget_after_a_publish(
    client, site_tree, committed
):
    without_card = ArticlePageFactory(parent=site_tree.topic)
    with_card = publish(ArticlePageFactory(parent=site_tree.topic, live=False), committed)
    assert SocialCard.objects.filter(page_id=with_card.pk).exists()
    invalidate_chrome()
    for url in (without_card.url, with_card.url):
        client.get(url)
        client.get(url)

    assert count_queries(client, with_card.url) == count_queries(client, without_card.url) <= 2

    publish(with_card, committed, title="Renamed after warming up")
    assert count_queries(client, with_card.url) <= 12
    assert head(client, with_card.url).meta("og:image:alt") == ["Renamed after warming up"]


# --- The command for existing sites ------------------------------------------------------------


def test_command_draws_missing_cards_for_live_pages_and_is_idempotent(site_tree, committed):
    # Factories add live pages without publishing them: as on a site from before the cards.
    articles = [ArticlePageFactory(parent=site_tree.topic) for _ in range(3)]
    case_study = CaseStudyPageFactory(parent=site_tree.case_studies)
    draft = ArticlePageFactory(parent=site_tree.topic, live=False)
    output = io.StringIO()

    with committed():
        call_command("draw_social_cards", stdout=output)

    assert "Drew 4 social cards." in output.getvalue()
    cards = {card.page_id: card for card in SocialCard.objects.all()}
    assert set(cards) == {*(a.pk for a in articles), case_study.pk}
    assert draft.pk not in cards
    assert all(stored(card) for card in cards.values())

    output = io.StringIO()
    call_command("draw_social_cards", stdout=output)

    assert "up to date" in output.getvalue()
    again = {card.page_id: card for card in SocialCard.objects.all()}
    assert {pk: (c.image.name, c.drawn_at) for pk, c in again.items()} == {
        pk: (c.image.name, c.drawn_at) for pk, c in cards.items()
    }


def test_command_redraws_outdated_and_lost_cards_and_removes_unused_files(site_tree, committed):
    renamed_topic_article = ArticlePageFactory(parent=site_tree.topic)
    lost = ArticlePageFactory(parent=site_tree.topic)
    with committed():
        call_command("draw_social_cards", stdout=io.StringIO())
    outdated_name = card_of(renamed_topic_article).image.name
    default_storage.delete(card_of(lost).image.name)
    # A topic renamed since: its articles' cards name the old topic.
    site_tree.topic.title = "Data Platforms"
    site_tree.topic.save()
    # Files no card points to: an old one goes, a young one may be a publish in flight.
    folder = default_storage.path("social-cards")
    for name in ("old-orphan.png", "young-orphan.png"):
        with open(os.path.join(folder, name), "wb") as file:
            file.write(b"png")
    two_hours_ago = time.time() - 7200
    os.utime(os.path.join(folder, "old-orphan.png"), (two_hours_ago, two_hours_ago))
    output = io.StringIO()

    with committed():
        call_command("draw_social_cards", stdout=output)

    assert "Drew 2 social cards." in output.getvalue()
    assert "Removed the unused card file social-cards/old-orphan.png" in output.getvalue()
    assert stored(card_of(lost))
    assert card_of(renamed_topic_article).image.name != outdated_name
    assert renamed_topic_article.specific.social_card_text().topic == "Data Platforms"
    files = set(os.listdir(folder))
    assert "old-orphan.png" not in files and "young-orphan.png" in files
    assert os.path.basename(outdated_name) not in files


def test_command_redraw_reaches_readers_through_the_caches(client, site_tree, committed, settings):
    settings.PAGE_CACHE_SECONDS = 300
    article = ArticlePageFactory(parent=site_tree.topic)
    client.get(article.url)
    assert client.get(article.url)["X-Cache"] == "HIT"

    with committed():
        call_command("draw_social_cards", stdout=io.StringIO())

    [og_image] = head(client, article.url).meta("og:image")
    assert urlsplit(og_image).path == f"/media/{card_of(article).image.name}"


# --- The admin ---------------------------------------------------------------------------------


def promote_tab(client, page):
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def test_editors_see_the_current_card_in_the_promote_tab(site_tree, as_editor, committed):
    article = publish(
        ArticlePageFactory(parent=site_tree.topic, title="Backfills", live=False), committed
    )
    card = card_of(article)

    html = promote_tab(as_editor, article)

    assert "Social card" in html
    assert "Drawn automatically when the page is published" in html
    assert f'src="{card.image.url}"' in html
    assert "This version differs" not in html

    article.title = "A draft title"
    article.save_revision()
    assert "This version differs from the published card" in promote_tab(as_editor, article)


def test_a_page_never_published_says_its_card_is_not_drawn_yet(site_tree, as_editor):
    article = ArticlePageFactory(parent=site_tree.topic, live=False)

    html = promote_tab(as_editor, article)

    assert "Not drawn yet" in html
    assert 'src="/media/social-cards/' not in html


def test_new_article_form_shows_the_card_panel(site_tree, as_editor):
    response = as_editor.get(f"/admin/pages/add/topics/articlepage/{site_tree.topic.pk}/")

    assert response.status_code == 200
    assert "Not drawn yet" in response.content.decode()
