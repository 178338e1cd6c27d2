"""Markdown in and out: `import_markdown` makes draft articles submitted for review, every live
article has a Markdown twin at index.md, every topic and the site an llms.txt.

The importer is driven through its management command as a writer runs it; the text versions
are read over HTTP as a crawler or a language model reads them.
"""

import datetime
import re
import shutil
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Workflow, WorkflowState

from consultancy_site.delivery.showing import urls_showing
from consultancy_site.permissions import WORKFLOW_NAME
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

DATA = Path(__file__).parent / "markdown"
SAMPLE = DATA / "sample.md"
BAD = DATA / "bad"
Image = get_image_model()


# --- People, files and helpers -----------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return sorted(p.relative_to(media) for p in Path(media).rglob("*") if p.is_file())


def import_markdown(*paths, user="alice", **options):
    out = StringIO()
    call_command("import_markdown", *map(str, paths), user=user, stdout=out, **options)
    return out.getvalue()


def import_errors(*paths, user="alice"):
    with pytest.raises(CommandError) as raised:
        import_markdown(*paths, user=user)
    return str(raised.value)


def write(folder, name, text):
    path = Path(folder) / name
    path.write_text(text, encoding="utf-8")
    return path


def front(title="A small article", topic="data-engineering", extra=""):
    return f"---\ntitle: {title}\nsummary: One sentence about it.\ntopic: {topic}\n{extra}---\n\n"


def raw_blocks(page):
    return [{key: v for key, v in block.items() if key != "id"} for block in page.body.raw_data]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def twin(client, page):
    return client.get(page.url + "index.md")


# --- 1. Importing ------------------------------------------------------------------------------


def test_import_makes_a_draft_with_every_block_kind_submitted_for_review(
    site_tree, author, editor, media, client
):
    mail.outbox.clear()
    output = import_markdown(SAMPLE)

    article = ArticlePage.objects.get()
    assert output.strip() == (
        f'Created "{article.title}" in {site_tree.topic.title} (submitted to {WORKFLOW_NAME}): '
        f"http://testserver/admin/pages/{article.pk}/edit/"
    )
    assert article.title == "Backfills Without Tears: Idempotent Loads in Practice"
    assert article.slug == "backfills-without-tears-idempotent-loads-in-practice"
    assert article.get_parent().pk == site_tree.topic.pk
    assert article.date == datetime.date(2024, 3, 12)
    assert article.summary.startswith("How to make a daily load safe to run twice")
    assert article.applies_to == "PostgreSQL 16, Airflow 2.9"
    assert article.last_reviewed == datetime.date(2024, 5, 2)
    assert sorted(article.tags.names()) == ["backfills", "idempotency", "sql"]
    assert article.owner == author
    assert article.latest_revision.user == author

    # A draft in moderation: nobody outside the admin sees it, editors are told.
    assert not article.live and article.live_revision is None
    state = article.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == author
    assert [m.to for m in mail.outbox if "submitted for approval" in m.body] == [[editor.email]]
    assert client.get(article.url).status_code == 404

    blocks = raw_blocks(article)
    assert [b["type"] for b in blocks] == [
        "paragraph",
        "heading",
        "paragraph",
        "heading",
        "paragraph",
        "code",
        "image",
        "heading",
        "table",
        "quote",
        "callout",
        "callout",
        "divider",
        "paragraph",
        "code",
        "image",
    ]
    intro = blocks[0]["value"]
    assert "A load that is <b>idempotent</b> gives" in intro
    assert "and <i>that</i> is what" in intro
    assert "use <code>MERGE</code> and" in intro
    assert '<a href="https://www.postgresql.org/docs/16/sql-merge.html">PostgreSQL' in intro
    # A link to a page of the site is a page link: it follows the page when it moves.
    assert f'<a linktype="page" id="{site_tree.topic.pk}">data engineering topic</a>' in intro
    assert blocks[1]["value"] == {
        "text": "Why re-runs break things",
        "level": "h2",
        "anchor": "why-reruns-break",
    }
    assert blocks[2]["value"] == (
        "<p>Three habits cause most double counts:</p><ul>"
        "<li>appending instead of overwriting</li>"
        "<li>keys that are not unique<ul><li>surrogate keys made at load time</li>"
        "<li>natural keys with trailing spaces</li></ul></li>"
        "<li>running two loads of the same day at once</li></ul>"
    )
    assert blocks[3]["value"] == {"text": "The partition overwrite", "level": "h3", "anchor": ""}
    assert blocks[4]["value"] == (
        "<ol><li>Write the day to a staging table.</li>"
        "<li>Swap it in <b>in one transaction</b>.</li></ol>"
    )
    assert blocks[5]["value"]["language"] == "sql"
    assert blocks[5]["value"]["source"].startswith("BEGIN;\nDELETE FROM orders")
    assert blocks[14]["value"]["language"] == "python"
    # A link to a section of the article itself.
    assert 'runs <a href="#checking-the-result">the checks</a> at the end' in blocks[13]["value"]

    chart = Image.objects.get(pk=blocks[6]["value"]["image"]["image"])
    assert blocks[6]["value"] == {
        "image": {
            "image": chart.pk,
            "decorative": False,
            "alt_text": "A load writing one day's partition into the orders table",
        },
        "caption": "One partition, replaced whole",
    }
    assert chart.collection.name == "Imported from Markdown"
    assert chart.uploaded_by_user == author
    assert chart.description == "A load writing one day's partition into the orders table"
    assert (chart.width, chart.height) == (64, 32)
    assert chart.file_hash and chart.file_size == (DATA / "images/pipeline.png").stat().st_size
    # An image with no alt text is decorative, as in HTML.
    assert blocks[15]["value"]["image"]["decorative"] is True
    assert Image.objects.count() == 2
    assert len(stored_files(media)) == 2

    assert blocks[8]["value"] == {
        "data": [
            ["Check", "Query", "Fails when"],
            ["Row count", "count(*) per day", "a day is half loaded"],
            ["Unique keys", "GROUP BY key HAVING count(*) > 1", "a key appears twice"],
        ],
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_header_choice": "row",
        "table_caption": "The checks every backfill runs before it is published",
    }
    assert blocks[9]["value"] == {
        "quote": "Make it work, make it right, make it fast.",
        "attribution": "Kent Beck",
    }
    assert blocks[10]["value"]["kind"] == "note"
    assert "<code>catchup</code> runs every missed interval" in blocks[10]["value"]["text"]
    assert blocks[11]["value"]["kind"] == "warning"
    assert article.reading_time >= 1

    # Editors see it like any submitted draft; once approved, it renders block by block.
    publish(article)
    html = client.get(article.url).content.decode()
    assert '<h2 id="why-reruns-break"' in html
    assert "<figcaption>One partition, replaced whole</figcaption>" in html
    assert "— Kent Beck" in html


def test_the_author_must_exist_and_be_allowed_to_add_articles(site_tree, media, django_user_model):
    assert "No active user is named 'nobody'" in import_errors(SAMPLE, user="nobody")
    django_user_model.objects.create_user("reader", "reader@example.com", "pw")
    errors = import_errors(SAMPLE, user="reader")
    assert f"{SAMPLE}:7: reader may not add articles to Data Engineering" in errors
    assert ArticlePage.objects.count() == 0


def test_bad_files_are_reported_by_file_and_line_and_nothing_is_imported(site_tree, author, media):
    pages, images = Page.objects.count(), Image.objects.count()
    bad = sorted(BAD.glob("*.md"))

    # The good sample comes first: it is checked, but nothing of it is written either.
    errors = import_errors(SAMPLE, *bad)

    lines = errors.splitlines()
    assert lines[0] == f"Nothing was imported ({len(lines) - 1} problems):"
    assert set(lines[1:]) == {
        f"{BAD}/bad-date.md:3: date must be a date written YYYY-MM-DD, not '12/03/2024'",
        f"{BAD}/bad-yaml.md:5: the front matter is not valid YAML: found unexpected end of stream",
        f"{BAD}/missing-image.md:9: image not found: images/missing-chart.png (looked for "
        f"{BAD / 'images/missing-chart.png'})",
        f"{BAD}/missing-title.md:1: the front matter has no title",
        f"{BAD}/unknown-language.md:9: unknown code language 'rust': use one of python, sql, "
        "bash, yaml, json, toml, dockerfile, text (or 'text' for plain text)",
        f"{BAD}/unknown-topic.md:4: unknown topic 'quantum-baking': the topics are "
        "data-engineering (Data Engineering)",
    }
    assert Page.objects.count() == pages
    assert Image.objects.count() == images
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("# A title in the body\n", 7, "the title comes from the front matter"),
        ("#### Too deep\n", 7, "'##' sections and '###' subsections only"),
        ("Text\n\n<div>raw</div>\n", 9, "raw HTML is not imported"),
        ("One line\nand <span>inline HTML</span>\n", 8, "raw HTML (<span>) is not imported"),
        ("See [the other file](other.md).\n", 7, "the relative link other.md would break"),
        ("A [bad link](javascript:alert(1)) here.\n", 7, "not javascript:alert(1)"),
        ("Text ![inline](images/pipeline.png) in a sentence.\n", 7, "must stand alone"),
        ("![remote](https://example.org/chart.png)\n", 7, "is not a file: save it beside"),
        ("- item\n\n  ```python\n  x = 1\n  ```\n", 9, "a list item holds text and nested"),
        ("> [!TIP]\n> fine\n\n> [!DANGER]\n> no\n", 10, "unknown alert [!DANGER]"),
        ("## Same\n\ntext\n\n## Same\n", 11, 'Another heading already links as "#same"'),
        ("## Main {#main}\n", 7, '"#main" is already used by the page'),
        ("## " + "x" * 201 + "\n", 7, "text: Ensure this value has at most 200 characters"),
        ("", 5, "the article has no body"),
    ],
    ids=[
        "h1",
        "h4",
        "html-block",
        "html-inline",
        "relative-link",
        "javascript-link",
        "inline-image",
        "remote-image",
        "code-in-list",
        "unknown-alert",
        "duplicate-anchor",
        "reserved-anchor",
        "long-heading",
        "empty",
    ],
)
def test_body_problems_name_their_line(site_tree, author, media, tmp_path, body, line, message):
    shutil.copytree(DATA / "images", tmp_path / "images")
    path = write(tmp_path, "article.md", front() + body)
    errors = import_errors(path)
    assert f"{path}:{line}: " in errors
    problem = next(e for e in errors.splitlines() if e.startswith(f"{path}:{line}: "))
    assert message in problem
    assert ArticlePage.objects.count() == 0


@pytest.mark.parametrize(
    ("head", "line", "message"),
    [
        ("", 1, "no front matter: the file must start with a line '---'"),
        ("---\ntitle: x\n", 1, "never closed"),
        ("---\n- a list\n---\n", 2, "must be 'key: value' lines"),
        ("---\ntitle: T\nsumary: typo\ntopic: data-engineering\n---\n", 3, "unknown front"),
        ("---\ntitle: T\ntopic: data-engineering\n---\n", 1, "the front matter has no summary"),
        (
            "---\ntitle: T\nsummary: S\ntopic: data-engineering\ntags: {a: 1}\n---\n",
            5,
            "tags must be a list",
        ),
        (
            "---\ntitle: T\nsummary: S\ntopic: data-engineering\nslug: not a slug\n---\n",
            5,
            "the slug 'not a slug' may hold only",
        ),
        (
            "---\ntitle: T\nsummary: S\ntopic: data-engineering\nlast_reviewed: soon\n---\n",
            5,
            "last_reviewed must be a date",
        ),
        ("---\ntitle: T\nsummary: " + "s" * 501 + "\ntopic: data-engineering\n---\n", 3, "501"),
    ],
    ids=[
        "no-front-matter",
        "unclosed",
        "not-a-mapping",
        "unknown-key",
        "no-summary",
        "bad-tags",
        "bad-slug",
        "bad-review-date",
        "long-summary",
    ],
)
def test_front_matter_problems_name_their_line(
    site_tree, author, media, tmp_path, head, line, message
):
    path = write(tmp_path, "article.md", head + "\nSome text.\n")
    errors = import_errors(path)
    problem = next((e for e in errors.splitlines() if e.startswith(f"{path}:{line}: ")), errors)
    assert message in problem


def test_a_slug_already_taken_in_the_topic_or_in_the_same_run_is_an_error(
    site_tree, author, media, tmp_path
):
    ArticlePageFactory(parent=site_tree.topic, title="Taken", slug="a-small-article")
    path = write(tmp_path, "one.md", front() + "Text.\n")
    assert (
        f"{path}:2: Data Engineering already has a page at 'a-small-article' (Taken)"
        in import_errors(path)
    )

    first = write(tmp_path, "first.md", front(extra="slug: shared\n") + "Text.\n")
    second = write(tmp_path, "second.md", front(extra="slug: shared\n") + "Text.\n")
    errors = import_errors(first, second)
    assert f"{second}:5: {first} already imports an article at 'shared'" in errors
    assert ArticlePage.objects.count() == 1


def test_a_failure_while_writing_rolls_everything_back_including_image_files(
    site_tree, author, media, monkeypatch
):

    def broken(self, page, user):
        raise RuntimeError("the workflow engine fell over")

    monkeypatch.setattr(Workflow, "start", broken)
    pages, images = Page.objects.count(), Image.objects.count()
    with pytest.raises(RuntimeError):
        import_markdown(SAMPLE)
    assert Page.objects.count() == pages
    assert Image.objects.count() == images
    assert stored_files(media) == []


def test_several_files_import_together_and_share_images(site_tree, author, media, tmp_path):
    shutil.copytree(DATA / "images", tmp_path / "images")
    one = write(
        tmp_path,
        "one.md",
        front("First one", topic="data engineering") + "![A chart](images/pipeline.png)\n",
    )
    two = write(tmp_path, "two.md", front("Second one") + "![Same chart](images/pipeline.png)\n")
    output = import_markdown(one, two, "--dry-run")
    assert output.strip() == "2 file(s) checked, no problem found; nothing written."
    assert ArticlePage.objects.count() == 0

    output = import_markdown(one, two)
    assert output.count("Created ") == 2
    assert Image.objects.count() == 1
    # Importing the same image again later reuses it.
    three = write(tmp_path, "three.md", front("Third one") + "![Again](images/pipeline.png)\n")
    import_markdown(three)
    assert Image.objects.count() == 1


def test_an_oversized_or_fake_image_is_refused_with_the_sites_upload_rules(
    site_tree, author, media, tmp_path, settings
):
    write(tmp_path, "fake.png", "this is not a picture")
    path = write(tmp_path, "a.md", front() + "Text.\n\n![A fake](fake.png)\n")
    assert f"{path}:9: the image fake.png cannot be used: " in import_errors(path)

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 50
    shutil.copytree(DATA / "images", tmp_path / "images")
    path = write(tmp_path, "b.md", front("Big") + "![Too big](images/pipeline.png)\n")
    assert f"{path}:7: the image images/pipeline.png is larger than 50" in import_errors(path)
    assert Image.objects.count() == 0


# --- 2. The Markdown twin ----------------------------------------------------------------------


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


# --- 3. llms.txt -------------------------------------------------------------------------------


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


# --- 4. Caching ------------------------------------------------------------------------------


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
