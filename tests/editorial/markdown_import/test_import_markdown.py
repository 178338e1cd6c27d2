"""`import_markdown` makes draft articles submitted for review, all or nothing, every problem
reported as FILE:LINE: message. Driven through the command, as a writer runs it."""

import datetime
import shutil

import pytest
from django.core import mail
from wagtail.images import get_image_model
from wagtail.models import Page, Workflow, WorkflowState

from consultancy_site.permissions import WORKFLOW_NAME
from tests.factories import ArticlePageFactory
from topics.models import ArticlePage

from .markdown_files import (
    BAD,
    DATA,
    SAMPLE,
    front,
    import_errors,
    import_markdown,
    publish,
    raw_blocks,
    stored_files,
    write,
)

pytestmark = pytest.mark.django_db

Image = get_image_model()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
