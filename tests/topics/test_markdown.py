"""Markdown out: every live article has a Markdown twin at index.md that imports back to the
same blocks, every topic and the site an llms.txt.

The text versions are read over HTTP as a crawler or a language model reads them; the importer
(tests/editorial/markdown_import/) is driven through its management command as a writer runs it.
"""

import datetime
import re
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from consultancy_site.delivery.showing import urls_showing
from tests.editorial.markdown_import.markdown_files import (
    SAMPLE,
    import_markdown,
    publish,
    raw_blocks,
    write,
)
from tests.factories import (
    ArticlePageFactory,
    CaseStudyPageFactory,
    TopicIndexPageFactory,
)
from tests.html import visible_text
from topics.markdown.links import SiteLinks
from topics.markdown.parse import BodyParser
from topics.markdown.render import RichTextMarkdown
from topics.models import ArticlePage

pytestmark = pytest.mark.django_db

Image = get_image_model()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def twin(client, page):
    return client.get(page.url + "index.md")


# --- 1. The Markdown twin ----------------------------------------------------------------------


def test_a_demo_article_has_a_markdown_twin_that_imports_back_to_the_same_blocks(
    client, media, django_user_model, tmp_path
):
    call_command("load_demo_content", stdout=StringIO())
    article = ArticlePage.objects.get(slug="sql-for-data-scientists")

    response = twin(client, article)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    url = article.get_full_url()
    assert response["Link"] == f'<{url}>; rel="canonical"'
    text = response.content.decode()
    head, body = text.split("\n---\n", 1)
    assert head.splitlines() == [
        "---",
        'title: "SQL for Data Scientists: The Patterns That Actually Matter"',
        "slug: sql-for-data-scientists",
        "date: 2024-02-18",
        f'summary: "{article.summary}"',
        "topic: data-engineering",
        "tags: []",
        f"canonical_url: {url}",
        f"reading_time: {article.reading_time}",
        # The demo marks this article reviewed, against the versions it names.
        f"updated: {article.last_reviewed.isoformat()}",
        'applies_to: "PostgreSQL 16, BigQuery, DuckDB 1.1"',
    ]
    assert "\n## CTEs: write queries like functions\n" in body
    assert "\n```sql\nWITH active_customers AS (\n" in body
    assert "| Pattern | Typical use | Watch out for |" in body
    assert "Table: The patterns in this article and where they bite" in body
    # Links to other articles are absolute, to their pages.
    other = ArticlePage.objects.get(slug="bigquery-vs-tensorflow-transform")
    assert f"]({other.get_full_url()})" in body

    # Every demo article exported and imported again (into a topic of copies, in one run) gives
    # the blocks it was made of (paragraph blocks in a row become one, as the importer writes).
    copies = TopicIndexPageFactory(parent=article.get_parent().get_parent(), slug="copies")
    originals = list(ArticlePage.objects.live())
    paths = []
    for original in originals:
        text = twin(client, original).content.decode()
        text = re.sub(r"(?m)^topic: .*$", "topic: copies", text, count=1)
        paths.append(write(tmp_path, f"{original.slug}.md", text))
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    import_markdown(*paths, user=admin.username)
    for original in originals:
        copy = ArticlePage.objects.child_of(copies).get(slug=original.slug)
        assert raw_blocks(copy) == merged_paragraphs(raw_blocks(original)), original.slug
        assert (copy.title, copy.summary, copy.date) == (
            original.title,
            original.summary,
            original.date,
        )


def merged_paragraphs(blocks):
    merged = []
    for block in blocks:
        if block["type"] == "table":
            block["value"].setdefault(
                "table_header_choice", "both" if block["value"]["first_col_is_header"] else "row"
            )
        if block["type"] == "paragraph" and merged and merged[-1]["type"] == "paragraph":
            merged[-1] = {"type": "paragraph", "value": merged[-1]["value"] + block["value"]}
        else:
            merged.append(block)
    return merged


def test_an_imported_article_exported_and_imported_again_has_the_same_blocks_and_fields(
    site_tree, author, editor, media, client, tmp_path
):
    import_markdown(SAMPLE)
    article = publish(ArticlePage.objects.get())
    exported = twin(client, article).content.decode()
    assert (
        "![A load writing one day's partition into the orders table](http://localhost/media/"
        in (exported)
    )
    assert "> [!WARNING]\n> Never backfill into a table that readers query *without*" in exported
    assert "updated: 2024-05-02" in exported
    assert f"[the checks]({article.get_full_url()}#checking-the-result)" in exported
    assert 'applies_to: "PostgreSQL 16, Airflow 2.9"' in exported
    assert 'tags: ["backfills", "sql", "idempotency"]' in exported
    before = raw_blocks(article)
    fields = (article.title, article.slug, article.date, article.summary, article.applies_to)
    fields += (article.last_reviewed, sorted(article.tags.names()))
    images = Image.objects.count()

    article.delete()
    import_markdown(write(tmp_path, "again.md", exported))

    again = ArticlePage.objects.get()
    assert raw_blocks(again) == before
    assert (again.title, again.slug, again.date, again.summary, again.applies_to) + (
        again.last_reviewed,
        sorted(again.tags.names()),
    ) == fields
    assert Image.objects.count() == images  # the rendition URLs led back to the same images


TRICKY_RICH_TEXT = [
    "<p>Use *args and **kwargs, snake_case_names, _private and a_b_ names.</p>",
    "<p># not a heading</p><p>1. not a list</p><p>- not a bullet</p><p>+ plus</p>",
    "<p>&gt; not a quote, 2024. a year, === not a setext line, | a | pipe |</p>",
    "<p>Brackets [like this](not a link), &lt;b&gt;tags&lt;/b&gt;, &amp;amp; and &amp;.</p>",
    "<p>Backslash \\ and `backtick` and ~~tilde~~ and !bang.</p>",
    "<p><code>a `tick` b</code> and <code>*x*</code> and <code>&lt;tag&gt;</code></p>",
    "<p>Line one<br/>- line two</p>",
    "<ul><li>one</li></ul><ul><li>two</li></ul><ol><li>a</li></ol><ol><li>b</li></ol>",
    '<p><b>bold</b> <i>italic</i> <a href="https://example.org/a_(b)?x=1&amp;y=2">link</a></p>',
    "<p>“Quotes”, ✓ and a non-breaking\xa0space.</p>",
]


@pytest.mark.parametrize("html", TRICKY_RICH_TEXT)
def test_text_that_looks_like_markdown_survives_the_round_trip(site_tree, html):
    markdown = RichTextMarkdown("http://localhost/writing/x/").convert(html)
    problems = []
    parsed = BodyParser(lambda line, message: problems.append(message), 1, SiteLinks(), None).parse(
        markdown
    )
    assert problems == []
    assert [(block.type, block.value) for block in parsed] == [("paragraph", html)], markdown


def test_a_private_or_draft_article_has_no_public_twin(site_tree, client, django_user_model):
    private = publish(ArticlePageFactory(parent=site_tree.topic, title="Private notes", live=False))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response = twin(client, private)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"]
    assert "Private notes" not in response.content.decode()

    reader = django_user_model.objects.create_user("reader", "reader@example.com", "pw")
    client.force_login(reader)
    assert twin(client, private).status_code == 200
    client.logout()

    secret = publish(ArticlePageFactory(parent=site_tree.topic, title="Behind a password"))
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="pw")
    response = twin(client, secret)
    assert response["Content-Type"].startswith("text/html")
    assert "Behind a password" not in response.content.decode()

    draft = ArticlePageFactory(parent=site_tree.topic, title="Not yet", live=False)
    assert twin(client, draft).status_code == 404

    # A live article with a newer draft shows what is live, never the draft.
    live = publish(ArticlePageFactory(parent=site_tree.topic, title="As published", live=False))
    live.title = "Unpublished rewrite"
    live.save_revision()
    text = twin(client, live).content.decode()
    assert 'title: "As published"' in text
    assert "Unpublished rewrite" not in text

    # Only a path ending in index.md is a twin.
    assert client.get(live.url + "index.md/").status_code == 404
    assert client.get(live.url + "other.md").status_code == 404
    assert client.post(live.url + "index.md").status_code == 405


def test_the_article_page_links_its_twin_and_shows_its_tags(site_tree, client):
    article = ArticlePageFactory(parent=site_tree.topic, title="Tagged", live=False)
    article.tags.add("idempotency", "data quality")
    publish(article)
    html = client.get(article.url).content.decode()
    assert (
        f'<link rel="alternate" type="text/markdown" title="Tagged (Markdown)" '
        f'href="{article.get_full_url()}index.md">'
    ) in html
    tags = re.search(r'<ul class="tag-list article__tags" aria-label="Tags">(.*?)</ul>', html, re.S)
    assert tags is not None
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', tags.group(1)) == [
        ("/search/?q=data%20quality", "#data quality"),
        ("/search/?q=idempotency", "#idempotency"),
    ]
    # Following a tag finds the article (its tags are indexed for search).
    results = visible_text(client.get("/search/?q=idempotency").content.decode())
    assert "Tagged" in results

    untagged = publish(ArticlePageFactory(parent=site_tree.topic, title="Untagged", live=False))
    assert "article__tags" not in client.get(untagged.url).content.decode()


def test_twin_and_llms_txt_take_two_queries_once_warm(
    site_tree, client, django_assert_max_num_queries
):
    article = publish(ArticlePageFactory(parent=site_tree.topic, live=False))
    for url in (article.url + "index.md", site_tree.topic.url + "llms.txt", "/llms.txt"):
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(2):
            assert client.get(url).status_code == 200


# --- 2. llms.txt -------------------------------------------------------------------------------


def test_topic_llms_txt_lists_live_public_articles_newest_first_and_case_studies(site_tree, client):
    site_tree.topic.lede = "Pipelines that survive\nreruns and late data."
    site_tree.topic.save()
    older = publish(
        ArticlePageFactory(
            parent=site_tree.topic,
            title="Older [draft] notes",
            summary="What came first.",
            date=datetime.date(2023, 1, 5),
            live=False,
        )
    )
    newer = publish(
        ArticlePageFactory(
            parent=site_tree.topic,
            title="Newer",
            summary="What came next.",
            date=datetime.date(2024, 6, 1),
            live=False,
        )
    )
    ArticlePageFactory(parent=site_tree.topic, title="Still a draft", live=False)
    private = publish(ArticlePageFactory(parent=site_tree.topic, title="Private one", live=False))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    gone = publish(ArticlePageFactory(parent=site_tree.topic, title="Unpublished one", live=False))
    gone.unpublish()
    other_topic = TopicIndexPageFactory(parent=site_tree.writing, title="Forecasting")
    publish(ArticlePageFactory(parent=other_topic, title="Elsewhere", live=False))
    case_study = CaseStudyPageFactory(
        parent=site_tree.case_studies, title="Bank month-end", summary="Eight days to two."
    )
    case_study.topics.add(site_tree.topic)
    publish(case_study)

    response = client.get(site_tree.topic.url + "llms.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    topic_url = site_tree.topic.get_full_url()
    assert response.content.decode().splitlines() == [
        "# Data Engineering",
        "",
        "> Pipelines that survive reruns and late data.",
        "",
        f"Articles and case studies on Data Engineering. Each article is linked as Markdown "
        f"(its web page is the same URL without index.md); the topic page is {topic_url}.",
        "",
        "## Articles",
        "",
        f"- [Newer]({newer.get_full_url()}index.md): What came next.",
        f"- [Older \\[draft\\] notes]({older.get_full_url()}index.md): What came first.",
        "",
        "## Case studies",
        "",
        f"- [Bank month-end]({case_study.get_full_url()}): Eight days to two.",
        "",
        "## Optional",
        "",
        f"- [Atom feed]({topic_url}feed/atom/): the newest articles of this topic",
        f"- [RSS feed]({topic_url}feed/): the same, as RSS",
        "- [All topics](http://localhost/llms.txt): every topic",
    ]


def test_site_llms_txt_lists_the_public_topics_with_their_llms_txt(site_tree, client):
    site_tree.home.intro = "Independent consulting in production ML."
    site_tree.home.save()
    hidden = TopicIndexPageFactory(parent=site_tree.writing, title="Hidden topic")
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")

    response = client.get("/llms.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:3] == ["# Home", "", "> Independent consulting in production ML."]
    assert (
        f"- [Data Engineering]({site_tree.topic.get_full_url()}llms.txt): {site_tree.topic.lede}"
        in lines
    )
    assert not any("Hidden topic" in line for line in lines)
    assert "- [Sitemap](http://localhost/sitemap.xml): every page of the site" in lines
    assert client.post("/llms.txt").status_code == 405


def test_site_llms_txt_is_as_private_as_the_home_page(site_tree, client):
    PageViewRestriction.objects.create(page=site_tree.home, restriction_type="login")
    response = client.get("/llms.txt")
    assert response.status_code == 302
    assert "Data Engineering" not in response.content.decode()


# --- 3. Caching ------------------------------------------------------------------------------


@contextmanager
def committed(capture):
    with capture(execute=True):
        yield


def test_twin_and_llms_txt_are_cached_and_purged_when_what_they_show_is_published(
    site_tree, client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    with committed(django_capture_on_commit_callbacks):
        article = publish(
            ArticlePageFactory(parent=site_tree.topic, title="First title", live=False)
        )
    urls = [article.url + "index.md", site_tree.topic.url + "llms.txt", "/llms.txt"]
    topic_llms_txt = urls[1]
    for url in urls:
        assert client.get(url)["X-Cache"] == "MISS"
        hit = client.get(url)
        assert hit["X-Cache"] == "HIT", url
    assert hit["Content-Type"] == "text/plain; charset=utf-8"
    assert client.get(urls[0])["Link"] == f'<{article.get_full_url()}>; rel="canonical"'

    with committed(django_capture_on_commit_callbacks):
        article.title = "Second title"
        publish(article)

    # The site's llms.txt lists topics, not articles: it stays cached.
    for url in urls[:2]:
        assert client.get(url)["X-Cache"] == "MISS", url
    assert client.get("/llms.txt")["X-Cache"] == "HIT"
    assert 'title: "Second title"' in client.get(urls[0]).content.decode()
    assert "[Second title]" in client.get(urls[1]).content.decode()

    with committed(django_capture_on_commit_callbacks):
        publish(ArticlePageFactory(parent=site_tree.topic, title="Brand new", live=False))
    assert "[Brand new]" in client.get(urls[1]).content.decode()

    with committed(django_capture_on_commit_callbacks):
        article.unpublish()
    assert client.get(urls[0]).status_code == 404
    assert "Second title" not in client.get(urls[1]).content.decode()

    # A topic's new title shows in the site's llms.txt at once.
    with committed(django_capture_on_commit_callbacks):
        site_tree.topic.title = "Data Platforms"
        publish(site_tree.topic)
    assert client.get("/llms.txt")["X-Cache"] == "MISS"
    assert "[Data Platforms]" in client.get("/llms.txt").content.decode()
    assert client.get(topic_llms_txt).content.decode().startswith("# Data Platforms")


def test_what_shows_an_article_includes_its_twin_and_the_llms_txt_files(site_tree):
    article = publish(ArticlePageFactory(parent=site_tree.topic, slug="piece", live=False))
    linking = ArticlePageFactory(
        parent=site_tree.topic,
        slug="linking",
        live=False,
        body=[
            {
                "type": "paragraph",
                "value": f'<p><a linktype="page" id="{article.pk}">the piece</a></p>',
            }
        ],
    )
    publish(linking)
    paths = {shown.path for shown in urls_showing(article)}
    assert {
        "/writing/data-engineering/piece/index.md",
        "/writing/data-engineering/llms.txt",
        "/writing/data-engineering/linking/index.md",
    } <= paths
    assert "/llms.txt" not in paths  # it lists topics and case studies, not articles

    case_study = CaseStudyPageFactory(parent=site_tree.case_studies)
    case_study.topics.add(site_tree.topic)
    publish(case_study)
    assert {"/writing/data-engineering/llms.txt", "/llms.txt"} <= {
        shown.path for shown in urls_showing(case_study)
    }
    assert {"/writing/data-engineering/llms.txt", "/llms.txt"} <= {
        shown.path for shown in urls_showing(site_tree.topic)
    }
