"""What search engines, feed readers and people searching the site notice."""

import datetime
import email.utils
import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from wagtail.blocks import StreamBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction, Site

from consultancy_site.models import SiteIdentitySettings
from tests.factories import (
    ArticlePageFactory,
    CaseStudyPageFactory,
    TopicIndexPageFactory,
)
from tests.html import assert_in_order, visible_text
from topics.models import ArticlePage

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}


# --- Reading pages --------------------------------------------------------------------------


def has_attribute(attrs, key, value):
    name = key.rstrip("_")
    if name == "class":
        return value in attrs.get("class", "").split()
    return attrs.get(name) == value


class Document(HTMLParser):
    """Every element with its attributes, the <title> texts and the <script> contents."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.titles = []
        self.scripts = []
        self._title = None
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attrs))
        if tag == "title":
            self._title = []
        elif tag == "script":
            self._script = (attrs, [])

    def handle_data(self, data):
        if self._title is not None:
            self._title.append(data)
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "title" and self._title is not None:
            self.titles.append("".join(self._title).strip())
            self._title = None
        elif tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def all(self, tag, **wanted):
        """Elements with these attribute values (class_: one of the element's classes)."""
        return [
            attrs
            for name, attrs in self.elements
            if name == tag and all(has_attribute(attrs, k, v) for k, v in wanted.items())
        ]

    def meta(self, key):
        """Contents of <meta name=key> or <meta property=key>."""
        return [
            attrs.get("content", "")
            for name, attrs in self.elements
            if name == "meta" and key in (attrs.get("name"), attrs.get("property"))
        ]

    def links(self, rel, **wanted):
        return [
            attrs["href"]
            for attrs in self.all("link", **wanted)
            if rel in attrs.get("rel", "").split()
        ]

    def json_ld(self, type_=None):
        data = [
            json.loads(text)
            for attrs, text in self.scripts
            if attrs.get("type") == "application/ld+json"
        ]
        return [item for item in data if type_ is None or item.get("@type") == type_]

    def ids(self):
        return {attrs["id"] for _, attrs in self.elements if "id" in attrs}

    def hrefs(self):
        return [attrs["href"] for name, attrs in self.elements if name == "a" and "href" in attrs]


class Regions(HTMLParser):
    """The inner HTML of every element matching tag and attributes (class matches one class)."""

    def __init__(self, html, tag, **wanted):
        super().__init__(convert_charrefs=False)
        self.tag, self.wanted = tag, wanted
        self.html = html
        self.regions = []
        self._open = None  # (depth, start offset)
        self._depth = 0
        self._lines = [0]
        for line in html.split("\n"):  # HTMLParser counts lines by "\n" only
            self._lines.append(self._lines[-1] + len(line) + 1)
        self.feed(html)
        self.close()

    def _offset(self):
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def _matches(self, attrs):
        attrs = {name: value or "" for name, value in attrs}
        return all(has_attribute(attrs, k, v) for k, v in self.wanted.items())

    def handle_starttag(self, tag, attrs):
        if tag != self.tag:
            return
        self._depth += 1
        if self._open is None and self._matches(attrs):
            end = self._offset() + len(self.get_starttag_text())
            self._open = (self._depth, end)

    def handle_endtag(self, tag):
        if tag != self.tag:
            return
        if self._open is not None and self._open[0] == self._depth:
            self.regions.append(self.html[self._open[1] : self._offset()])
            self._open = None
        self._depth -= 1


def regions(html, tag, **wanted):
    return Regions(html, tag, **wanted).regions


def get_document(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    return Document(response.content.decode())


def is_absolute(url):
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def linked_pages(document, pages):
    """The pages among `pages` that the document links to, in the order first linked."""
    by_url = {page.url: page for page in pages}
    seen = []
    for href in document.hrefs():
        page = by_url.get(href)
        if page is not None and page not in seen:
            seen.append(page)
    return seen


def publish(*pages):
    """Publish through a revision, as an editor does (sets last_published_at)."""
    for page in pages:
        page.save_revision().publish()
        page.refresh_from_db()


def site():
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_block(image):
    return {
        "type": "image",
        "value": {
            "image": {"image": image.pk, "decorative": False, "alt_text": "A diagram"},
            "caption": "",
        },
    }


def heading(text, anchor=""):
    return {"type": "heading", "value": {"text": text, "level": "h2", "anchor": anchor}}


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


@pytest.fixture
def tree(site_tree):
    """The site tree with an article, a case study, and fixed descriptions on every page."""
    descriptions = {
        site_tree.home: ("intro", "Independent consulting in production ML."),
        site_tree.writing: ("lede", "Notes from production machine learning work."),
        site_tree.topic: ("lede", "Pipelines that survive reruns, late data and audits."),
        site_tree.case_studies: ("lede", "Engagements and what they changed."),
        site_tree.service: ("summary", "Design and build of a data platform that lasts."),
    }
    for page, (field, text) in descriptions.items():
        setattr(page, field, text)
        page.save()
    site_tree.article = ArticlePageFactory(
        parent=site_tree.topic,
        title="Backfills without tears",
        date=datetime.date(2024, 5, 2),
        summary="How to rerun a month of data without double counting.",
    )
    site_tree.case_study = CaseStudyPageFactory(
        parent=site_tree.case_studies,
        title="Month-end in two days",
        summary="Reconciliation pipelines for a retail bank.",
    )
    return site_tree


PAGE_TYPES = {
    "home": ("home", "intro"),
    "writing index": ("writing", "lede"),
    "topic": ("topic", "lede"),
    "article": ("article", "summary"),
    "case study index": ("case_studies", "lede"),
    "case study": ("case_study", "summary"),
    "service": ("service", "summary"),
    "book a call": ("book_a_call", None),
}


# --- 1. What a search result and a shared link show -------------------------------------------


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_type_has_title_description_canonical_and_share_card(client, tree, kind):
    attribute, description_field = PAGE_TYPES[kind]
    page = getattr(tree, attribute).specific
    if description_field is None:
        page.search_description = "Tell me about the problem; I reply within two days."
        page.save()
    expected_description = page.search_description or getattr(page, description_field)
    assert expected_description

    doc = get_document(client, page.url)

    assert len(doc.titles) == 1 and doc.titles[0]
    assert doc.meta("description") == [expected_description]
    assert doc.links("canonical") == [page.get_full_url()]
    # The home page is shared under the site's name, not "Home".
    home_title = site().site_name or settings.WAGTAIL_SITE_NAME
    expected_title = page.seo_title or (home_title if kind == "home" else page.title)
    assert doc.meta("og:title") == [expected_title]
    assert doc.meta("og:description") == [expected_description]
    assert doc.meta("og:url") == [page.get_full_url()]
    assert doc.meta("og:type") == ["article" if kind == "article" else "website"]
    assert doc.meta("twitter:card") == ["summary_large_image"]
    [og_image] = doc.meta("og:image")
    assert is_absolute(og_image)
    assert urlsplit(og_image).path == static("img/share-default.png")
    assert finders.find("img/share-default.png")


def test_search_description_wins_over_the_summary(client, tree):
    article = tree.article
    article.search_description = "Written for search engines."
    article.save()

    doc = get_document(client, article.url)

    assert doc.meta("description") == ["Written for search engines."]
    assert doc.meta("og:description") == ["Written for search engines."]


def test_page_titles_name_the_page_then_the_site(client, tree):
    name = site().site_name or settings.WAGTAIL_SITE_NAME
    for page in [tree.writing, tree.topic, tree.article, tree.case_study, tree.service]:
        assert get_document(client, page.url).titles == [f"{page.title} · {name}"]


def test_home_page_title_names_the_site_once(client, tree):
    name = site().site_name or settings.WAGTAIL_SITE_NAME

    [title] = get_document(client, tree.home.url).titles

    assert title.count(name) == 1, f"home page <title> repeats the site name: {title!r}"


def test_book_a_call_description_from_its_rich_text_intro_is_plain_text(client, tree):
    page = tree.book_a_call
    page.intro = "<p>Tell me about <b>your</b> data problem.</p>"
    page.save()

    doc = get_document(client, page.url)

    assert doc.meta("description") == ["Tell me about your data problem."]


def test_article_with_a_body_image_is_shared_with_a_rendition_of_that_image(client, tree, media):
    image = Image.objects.create(title="Diagram", file=get_test_image_file(size=(1600, 900)))
    article = ArticlePageFactory(
        parent=tree.topic, body=[paragraph("Before the picture."), image_block(image)]
    )

    doc = get_document(client, article.url)

    [og_image] = doc.meta("og:image")
    assert is_absolute(og_image)
    assert urlsplit(og_image).path == image.get_rendition("fill-1200x630|format-jpeg").url
    assert doc.meta("twitter:image") == [og_image]
    [data] = doc.json_ld("Article")
    assert data["image"] == og_image


def test_pages_without_images_use_the_site_default_share_image_when_one_is_set(client, tree, media):
    image = Image.objects.create(title="Card", file=get_test_image_file(size=(1200, 630)))
    SiteIdentitySettings.objects.create(site=site(), default_share_image=image)

    [og_image] = get_document(client, tree.topic.url).meta("og:image")

    assert is_absolute(og_image)
    assert urlsplit(og_image).path == image.get_rendition("fill-1200x630|format-jpeg").url


# --- 2. Structured data -----------------------------------------------------------------------


def test_article_json_ld_describes_the_article_and_its_author(client, tree):
    article = tree.article
    publish(article)

    doc = get_document(client, article.url)

    [data] = doc.json_ld("Article")
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == article.title
    assert data["description"] == article.summary
    assert data["datePublished"] == "2024-05-02"
    assert datetime.datetime.fromisoformat(data["dateModified"])
    assert data["author"]["@type"] == "Person"
    assert data["author"]["name"] == (site().site_name or settings.WAGTAIL_SITE_NAME)
    assert data["timeRequired"] == f"PT{article.reading_time}M"
    assert is_absolute(data["image"])
    assert data["url"] == data["mainEntityOfPage"] == article.get_full_url()


def test_article_author_is_the_site_identity_author_when_set(client, tree):
    SiteIdentitySettings.objects.create(site=site(), author_name="Ada Lovelace")

    [data] = get_document(client, tree.article.url).json_ld("Article")

    assert data["author"] == {
        "@type": "Person",
        "name": "Ada Lovelace",
        "url": data["author"]["url"],
    }
    assert is_absolute(data["author"]["url"])


def test_article_breadcrumb_list_runs_home_writing_topic_article(client, tree):
    article = tree.article

    [crumbs] = get_document(client, article.url).json_ld("BreadcrumbList")

    items = crumbs["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3, 4]
    assert [item["name"] for item in items] == ["Home", "Writing", tree.topic.title, article.title]
    assert [item["item"] for item in items] == [
        page.get_full_url() for page in [tree.home, tree.writing, tree.topic, article]
    ]
    assert all(is_absolute(item["item"]) for item in items)


def test_topic_json_ld_lists_its_articles_newest_first(client, tree):
    topic = tree.topic
    older = ArticlePageFactory(parent=topic, date=datetime.date(2023, 1, 1))
    newest = ArticlePageFactory(parent=topic, date=datetime.date(2025, 1, 1))
    ArticlePageFactory(parent=topic, live=False, date=datetime.date(2025, 6, 1))
    elsewhere = TopicIndexPageFactory(parent=tree.writing)
    ArticlePageFactory(parent=elsewhere)

    doc = get_document(client, topic.url)

    [data] = doc.json_ld("CollectionPage")
    assert data["name"] == topic.title
    assert data["url"] == topic.get_full_url()
    item_list = data["mainEntity"]
    assert item_list["@type"] == "ItemList"
    expected = [newest, tree.article, older]
    assert item_list["numberOfItems"] == len(expected)
    assert [item["position"] for item in item_list["itemListElement"]] == [1, 2, 3]
    assert [item["url"] for item in item_list["itemListElement"]] == [
        page.get_full_url() for page in expected
    ]
    assert [item["name"] for item in item_list["itemListElement"]] == [
        page.title for page in expected
    ]
    assert doc.json_ld("BreadcrumbList")


def test_a_title_with_a_closing_script_tag_stays_inside_the_json_ld(client, tree):
    title = "Escaping </script><script>alert(1)</script> & friends"
    article = ArticlePageFactory(parent=tree.topic, title=title, slug="escaping")

    response = client.get(article.url)
    html = response.content.decode()
    doc = Document(html)

    assert "</script><script>" not in html
    [data] = doc.json_ld("Article")
    assert data["headline"] == title
    [crumbs] = doc.json_ld("BreadcrumbList")
    assert crumbs["itemListElement"][-1]["name"] == title
    topic_doc = get_document(client, tree.topic.url)
    [collection] = topic_doc.json_ld("CollectionPage")
    assert title in [item["name"] for item in collection["mainEntity"]["itemListElement"]]
    # Had the title closed the element, a stray script holding alert(1) would follow it.
    for attrs, text in doc.scripts:
        assert attrs.get("src") or attrs.get("type") == "application/ld+json", text


# --- 3. Sitemap and robots.txt ----------------------------------------------------------------


def test_sitemap_lists_live_public_pages_with_lastmod(client, tree):
    draft = ArticlePageFactory(parent=tree.topic, title="Draft", live=False)
    private = ArticlePageFactory(parent=tree.topic, title="Private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    members_topic = TopicIndexPageFactory(parent=tree.writing, title="Members only")
    PageViewRestriction.objects.create(
        page=members_topic, restriction_type=PageViewRestriction.LOGIN
    )
    members_article = ArticlePageFactory(parent=members_topic)
    public = [
        tree.home,
        tree.writing,
        tree.topic,
        tree.article,
        tree.case_studies,
        tree.case_study,
        tree.service.get_parent(),
        tree.service,
        tree.book_a_call,
    ]
    publish(*public, private, members_topic, members_article)

    # /sitemap.xml is an index of sections (a thousand pages each); follow every section.
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    sections = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert sections and all(is_absolute(section) for section in sections)
    entries = {}
    for section in sections:
        part = client.get(
            urlsplit(section).path
            + (f"?{urlsplit(section).query}" if urlsplit(section).query else "")
        )
        assert part.status_code == 200
        entries |= {
            url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext(
                "sm:lastmod", namespaces=SITEMAP_NS
            )
            for url in ET.fromstring(part.content).findall("sm:url", SITEMAP_NS)
        }
    assert set(entries) == {page.get_full_url() for page in public}
    for loc, lastmod in entries.items():
        assert is_absolute(loc)
        assert lastmod, f"{loc} has no <lastmod>"
        datetime.datetime.fromisoformat(lastmod)
    for hidden in [draft, private, members_topic, members_article]:
        assert hidden.get_full_url() not in entries


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client, tree):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    rules = [
        tuple(part.strip() for part in line.split(":", 1))
        for line in response.content.decode().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ("User-agent", "*") in rules
    assert ("Disallow", "/admin/") in rules
    assert ("Disallow", "/") not in rules
    [sitemap] = [value for field, value in rules if field.lower() == "sitemap"]
    assert is_absolute(sitemap)
    assert urlsplit(sitemap).path == "/sitemap.xml"
    assert client.get(urlsplit(sitemap).path).status_code == 200


# --- 4. Feeds -------------------------------------------------------------------------------


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            # Declared as HTML: what a feed reader shows is the unescaped text.
            "summary": html.unescape(item.findtext("description")),
            "date": item.findtext("pubDate"),
        }
        for item in root.find("channel").findall("item")
    ]


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return [
        {
            "title": entry.findtext("atom:title", namespaces=ATOM_NS),
            "link": entry.find("atom:link", ATOM_NS).get("href"),
            "summary": html.unescape(entry.findtext("atom:summary", namespaces=ATOM_NS)),
            "date": entry.findtext("atom:published", namespaces=ATOM_NS)
            or entry.findtext("atom:updated", namespaces=ATOM_NS),
        }
        for entry in root.findall("atom:entry", ATOM_NS)
    ]


@pytest.fixture
def feed_tree(tree):
    """Two topics, dated articles in both, a draft and a private article."""
    topic = tree.topic
    other = TopicIndexPageFactory(parent=tree.writing, title="MLOps", slug="mlops")
    tree.other_topic = other
    tree.topic_articles = [
        ArticlePageFactory(parent=topic, title="Topic newest", date=datetime.date(2025, 3, 1)),
        tree.article,  # 2024-05-02
        ArticlePageFactory(
            parent=topic,
            title="Topic oldest: joins & <windows>",
            summary="Joins & window functions, <ROW_NUMBER()> included.",
            date=datetime.date(2021, 7, 9),
        ),
    ]
    tree.other_articles = [
        ArticlePageFactory(parent=other, title="Other topic", date=datetime.date(2024, 9, 9)),
    ]
    tree.draft = ArticlePageFactory(
        parent=topic, title="Draft in feed?", live=False, date=datetime.date(2025, 4, 1)
    )
    tree.private = ArticlePageFactory(
        parent=topic, title="Private in feed?", date=datetime.date(2025, 4, 2)
    )
    PageViewRestriction.objects.create(
        page=tree.private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    publish(*tree.topic_articles, *tree.other_articles)
    return tree


def assert_feed_items(items, articles):
    assert [item["title"] for item in items] == [article.title for article in articles]
    for item, article in zip(items, articles, strict=True):
        assert is_absolute(item["link"]), item["link"]
        assert urlsplit(item["link"]).path == article.url
        assert item["summary"] == article.summary
        assert item["date"]


@pytest.mark.parametrize("flavour", ["rss", "atom"])
def test_site_feed_lists_every_public_article_newest_first(client, feed_tree, flavour):
    url, parse = ("/feed/", rss_items) if flavour == "rss" else ("/feed/atom/", atom_entries)

    items = parse(client.get(url))

    expected = sorted(
        [*feed_tree.topic_articles, *feed_tree.other_articles], key=lambda a: a.date, reverse=True
    )
    assert_feed_items(items, expected)


@pytest.mark.parametrize("flavour", ["rss", "atom"])
def test_topic_feed_lists_only_the_topics_public_articles_newest_first(client, feed_tree, flavour):
    topic = feed_tree.topic
    url, parse = (
        (f"{topic.url}feed/", rss_items)
        if flavour == "rss"
        else (f"{topic.url}feed/atom/", atom_entries)
    )

    items = parse(client.get(url))

    assert_feed_items(items, feed_tree.topic_articles)
    titles = [item["title"] for item in items]
    for absent in [feed_tree.draft, feed_tree.private, *feed_tree.other_articles]:
        assert absent.title not in titles


def test_feed_dates_say_when_the_article_was_published(client, feed_tree):
    [rss_newest, *_] = rss_items(client.get("/feed/"))
    [atom_newest, *_] = atom_entries(client.get("/feed/atom/"))

    published = email.utils.parsedate_to_datetime(rss_newest["date"])
    assert published.date() == datetime.date(2025, 3, 1)
    assert datetime.datetime.fromisoformat(atom_newest["date"]).date() == datetime.date(2025, 3, 1)


def test_pages_advertise_the_site_feeds_and_topic_pages_the_topic_feed(client, feed_tree):
    topic = feed_tree.topic
    for page in [feed_tree.home, feed_tree.writing, feed_tree.case_study]:
        doc = get_document(client, page.url)
        assert doc.links("alternate", type="application/rss+xml") == ["/feed/"]
        assert doc.links("alternate", type="application/atom+xml") == ["/feed/atom/"]
    for page in [topic, feed_tree.article]:
        doc = get_document(client, page.url)
        assert set(doc.links("alternate", type="application/rss+xml")) == {
            f"{topic.url}feed/",
            "/feed/",
        }
        assert set(doc.links("alternate", type="application/atom+xml")) == {
            f"{topic.url}feed/atom/",
            "/feed/atom/",
        }
    doc = get_document(client, feed_tree.article.url)
    for href in doc.links("alternate", type="application/rss+xml"):
        assert rss_items(client.get(href))
    for href in doc.links("alternate", type="application/atom+xml"):
        assert atom_entries(client.get(href))


# --- 5. Search --------------------------------------------------------------------------------


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200, (q, response.status_code)
    return response


def results(response):
    """The inner HTML of each search result."""
    return regions(response.content.decode(), "li", class_="search-result")


def result_titles(response):
    """The URL each result's title links to."""
    return [Document(result).all("a")[0]["href"] for result in results(response)]


def result_count(response):
    return len(results(response))


def search_answer(response):
    """What the page tells the searcher: the results heading and any notice."""
    html = response.content.decode()
    return [
        visible_text(text)
        for text in regions(html, "h2", id="results-heading") + regions(html, "p", role="status")
    ]


def test_search_finds_articles_case_studies_and_topics(client, tree):
    article = ArticlePageFactory(
        parent=tree.topic,
        title="Quokka pipelines in practice",
        summary="Everything a wombat should know about backfills.",
    )
    case_study = CaseStudyPageFactory(
        parent=tree.case_studies, title="Platypus reconciliation for a bank"
    )
    topic = TopicIndexPageFactory(parent=tree.writing, title="Echidna engineering")

    assert result_titles(search(client, "quokka")) == [article.url]
    assert result_titles(search(client, "wombat")) == [article.url]
    assert result_titles(search(client, "platypus")) == [case_study.url]
    assert result_titles(search(client, "echidna")) == [topic.url]


def test_search_result_shows_title_summary_and_topic(client, tree):
    article = ArticlePageFactory(
        parent=tree.topic,
        title="Quokka pipelines in practice",
        summary="Everything a wombat should know about backfills.",
    )

    response = search(client, "quokka")

    assert search_answer(response) == ["1 result for “quokka”"]
    [result] = results(response)
    assert_in_order(visible_text(result), ["data-engineering", article.title, article.summary])


def test_search_results_come_ten_to_a_page(client, tree):
    for n in range(12):
        ArticlePageFactory(parent=tree.topic, title=f"Lakehouse note {n}")

    first = search(client, "lakehouse")
    second = search(client, "lakehouse", page=2)

    assert result_count(first) == 10
    assert result_count(second) == 2
    assert set(result_titles(first)).isdisjoint(result_titles(second))
    first_doc = Document(first.content.decode())
    second_doc = Document(second.content.decode())
    assert [a["href"] for a in first_doc.all("a", rel="next")] == ["?q=lakehouse&page=2"]
    assert [a["href"] for a in second_doc.all("a", rel="prev")] == ["?q=lakehouse&page=1"]
    assert search_answer(first) == ["12 results for “lakehouse”"]


@pytest.mark.parametrize(("page", "expected_count"), [("abc", 10), ("-1", 2), ("99999", 2)])
def test_search_with_a_nonsense_page_number_shows_a_real_page(client, tree, page, expected_count):
    for n in range(12):
        ArticlePageFactory(parent=tree.topic, title=f"Lakehouse note {n}")

    response = search(client, "lakehouse", page=page)

    assert result_count(response) == expected_count


def test_empty_search_asks_for_words(client, tree):
    for q in ["", "   ", "\t\n"]:
        response = search(client, q)
        assert search_answer(response) == [
            "Type a word or two to search the articles, case studies and topics."
        ]
        assert results(response) == []


def test_a_very_long_search_is_shortened_and_says_so(client, tree):
    ArticlePageFactory(parent=tree.topic, title="Lakehouse notes")
    query = "lakehouse " * 1000
    assert len(query) == 10_000

    response = search(client, query)

    answer = search_answer(response)
    assert "Your search was longer than 200 characters, so only its start was used." in answer
    assert result_count(response) == 1
    [field] = Document(response.content.decode()).all("input", id="search-q")
    assert 0 < len(field["value"]) <= 200


HOSTILE_QUERIES = {
    "unbalanced quote": '"unbalanced quote',
    "percent": "%",
    "hundred percent": "100%",
    "nul byte": "data\x00pipelines",
    "only a nul byte": "\x00",
    "emoji": "🚀 pipelines 🦀",
    "hebrew": "שלום עולם",
    "arabic": "مرحبا بالعالم",
    "boolean operators": "AND OR NOT",
    "star": "*",
    "open paren": "(",
    "sql": "'; DROP TABLE wagtailcore_page; --",
    "quoted phrase": '"feature store"',
    "quote inside a word": 'feature"store',
    "apostrophe": "it's",
    "tsquery operators": "&|!:*<->",
    "fts syntax": 'NEAR(a b) title:x "a" OR -b ^c',
    "backslash": "\\",
}


@pytest.mark.parametrize("name", HOSTILE_QUERIES)
def test_hostile_search_queries_get_a_clear_answer(client, tree, name):
    query = HOSTILE_QUERIES[name]

    response = search(client, query)

    [answer] = search_answer(response)
    assert (
        answer.startswith("Nothing found for “")
        or re.fullmatch(r"\d+ results? for “.*”", answer)
        or answer.startswith("Type a word or two")
    ), answer
    assert client.get(tree.home.url).status_code == 200  # the page table is still there


def test_search_never_shows_draft_or_private_articles(client, tree):
    ArticlePageFactory(parent=tree.topic, title="Narwhal public notes")
    ArticlePageFactory(parent=tree.topic, title="Narwhal draft notes", live=False)
    private = ArticlePageFactory(parent=tree.topic, title="Narwhal private notes")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    members_topic = TopicIndexPageFactory(parent=tree.writing, title="Members")
    PageViewRestriction.objects.create(
        page=members_topic, restriction_type=PageViewRestriction.LOGIN
    )
    ArticlePageFactory(parent=members_topic, title="Narwhal members notes")
    # All four are in the search index: the search page itself must leave three out.
    assert len(list(ArticlePage.objects.search("narwhal"))) == 4

    response = search(client, "narwhal")

    assert search_answer(response) == ["1 result for “narwhal”"]
    [result] = results(response)
    assert "Narwhal public notes" in visible_text(result)
    for hidden in ["draft", "private", "members"]:
        assert f"Narwhal {hidden} notes" not in response.content.decode()


def test_search_page_is_not_indexed(client, tree):
    for q in ["", "pipelines"]:
        doc = Document(search(client, q).content.decode())
        assert doc.meta("robots") == ["noindex"]


# --- 6. Topic pagination ----------------------------------------------------------------------


@pytest.fixture
def big_topic(tree):
    tree.article.delete()
    start = datetime.date(2024, 1, 1)
    tree.articles = [
        ArticlePageFactory(
            parent=tree.topic, title=f"Article {n:02}", date=start + datetime.timedelta(days=n)
        )
        for n in range(25)
    ]
    tree.articles.reverse()  # newest first
    return tree


def test_topic_pages_hold_twenty_articles_and_link_next_and_previous(client, big_topic):
    topic, articles = big_topic.topic, big_topic.articles

    first = get_document(client, topic.url)
    second = get_document(client, topic.url, page=2)

    assert linked_pages(first, articles) == articles[:20]
    assert linked_pages(second, articles) == articles[20:]
    assert [a["href"] for a in first.all("a", rel="next")] == ["?page=2"]
    assert first.all("a", rel="prev") == []
    assert [a["href"] for a in second.all("a", rel="prev")] == ["?page=1"]
    assert second.all("a", rel="next") == []


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("", 1), ("-1", 2), ("99999", 2)])
def test_topic_with_a_nonsense_page_number_shows_a_real_page(client, big_topic, page, expected):
    doc = get_document(client, big_topic.topic.url, page=page)

    shown = linked_pages(doc, big_topic.articles)
    assert shown == (big_topic.articles[:20] if expected == 1 else big_topic.articles[20:])


def test_second_topic_page_is_its_own_canonical_page(client, big_topic):
    topic = big_topic.topic

    doc = get_document(client, topic.url, page=2)

    # Google: "Don't use the first page of a paginated sequence as the canonical page."
    assert doc.links("canonical") == [f"{topic.get_full_url()}?page=2"]


# --- 7. Table of contents ---------------------------------------------------------------------


def test_long_article_has_a_table_of_contents_linking_each_heading(client, tree):
    article = ArticlePageFactory(
        parent=tree.topic,
        body=[
            heading("Why backfills fail"),
            paragraph("Because of state."),
            heading("Idempotent writes"),
            paragraph("Overwrite partitions."),
            {"type": "heading", "value": {"text": "Checks", "level": "h3", "anchor": "verify"}},
            paragraph("Count rows."),
        ],
    )

    html = client.get(article.url).content.decode()

    [toc] = regions(html, "nav", class_="toc")
    assert_in_order(
        visible_text(toc), ["On this page", "Why backfills fail", "Idempotent writes", "Checks"]
    )
    toc_links = [a["href"] for a in Document(toc).all("a")]
    assert toc_links == ["#why-backfills-fail", "#idempotent-writes", "#verify"]
    ids = Document(html).ids()
    for href in toc_links:
        assert href.removeprefix("#") in ids


def test_short_article_has_no_table_of_contents(client, tree):
    article = ArticlePageFactory(
        parent=tree.topic,
        body=[heading("One"), paragraph("Text."), heading("Two"), paragraph("More.")],
    )

    html = client.get(article.url).content.decode()

    assert regions(html, "nav", class_="toc") == []
    assert "On this page" not in visible_text(html)


def test_body_rejects_two_headings_with_the_same_anchor():
    stream_block = ArticlePage.body.field.stream_block
    value = stream_block.to_python(
        [heading("Results"), paragraph("Text."), heading("Results again", anchor="results")]
    )

    with pytest.raises(StreamBlockValidationError) as caught:
        stream_block.clean(value)

    assert 2 in caught.value.block_errors
    assert "#results" in str(caught.value.block_errors[2])
    distinct = stream_block.to_python([heading("Results"), heading("Results again")])
    assert len(stream_block.clean(distinct)) == 2


# --- 8. Error pages ---------------------------------------------------------------------------


def test_500_page_renders_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Something went wrong" in visible_text(html)
    assert Document(html).titles == ["Something went wrong"]


def test_404_page_is_branded_with_the_site_navigation(client, tree):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    doc = Document(html)
    assert "Page not found" in visible_text(html)
    assert doc.all("nav", class_="site-nav")
    assert tree.writing.url in doc.hrefs()
    assert doc.meta("robots") == ["noindex"]


# --- 9. Weight and third parties ------------------------------------------------------------


def fetch_asset(client, url):
    response = client.get(url)
    if response.status_code == 200:
        return b"".join(response.streaming_content) if response.streaming else response.content
    assert url.startswith(settings.STATIC_URL), url
    path = finders.find(url[len(settings.STATIC_URL) :])
    assert path, f"{url} is neither served nor found by the static file finders"
    with open(path, "rb") as file:
        return file.read()


def same_origin(url, allowed_hosts):
    parts = urlsplit(url)
    return not parts.netloc or parts.netloc in allowed_hosts


@pytest.fixture
def full_topic(tree, media):
    """A topic with a full first page of articles, a case study, and an article with an image."""
    case_study = tree.case_study
    case_study.topics.add(tree.topic)
    publish(case_study)
    for n in range(25):
        ArticlePageFactory(parent=tree.topic, title=f"A reasonably long article title number {n}")
    image = Image.objects.create(title="Diagram", file=get_test_image_file(size=(1600, 900)))
    tree.illustrated = ArticlePageFactory(
        parent=tree.topic, body=[paragraph("See the diagram."), image_block(image)]
    )
    return tree


def test_topic_page_with_its_css_and_js_weighs_at_most_40_kb_gzipped(client, full_topic):
    response = client.get(full_topic.topic.url)
    doc = Document(response.content.decode())
    assets = doc.links("stylesheet") + [
        attrs["src"] for attrs in doc.all("script") if attrs.get("src")
    ]
    assert assets

    sizes = {"page": len(gzip.compress(response.content))}
    for url in assets:
        sizes[url] = len(gzip.compress(fetch_asset(client, url)))

    assert sum(sizes.values()) <= 40 * 1024, sizes


@pytest.mark.parametrize("kind", ["topic", "illustrated article"])
def test_pages_load_nothing_from_other_hosts_and_no_web_fonts(client, full_topic, kind):
    page = full_topic.topic if kind == "topic" else full_topic.illustrated
    response = client.get(page.url)
    assert response.status_code == 200
    doc = Document(response.content.decode())
    own_hosts = {"testserver", urlsplit(page.get_full_url()).netloc}

    loaded = [attrs["href"] for attrs in doc.all("link") if attrs.get("href")]
    for tag in ["script", "img", "iframe", "source", "video", "audio", "embed"]:
        for attrs in doc.all(tag):
            loaded += [attrs[key] for key in ["src"] if attrs.get(key)]
            loaded += [
                candidate.split()[0]
                for candidate in attrs.get("srcset", "").split(",")
                if candidate.strip()
            ]
    loaded += doc.meta("og:image")
    assert loaded
    assert [url for url in loaded if not same_origin(url, own_hosts)] == []

    if kind == "illustrated article":
        assert doc.all("img") and doc.all("source")

    for url in doc.links("stylesheet"):
        css = fetch_asset(client, url).decode()
        assert "@font-face" not in css
        assert "@import" not in css
        css_urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
        assert [u for u in css_urls if u.startswith("//") or not same_origin(u, own_hosts)] == []
