"""Hostile input: what editors type and visitors post stays text, and bad uploads stay out.

Everything goes in the way people put it in: editors POST what Wagtail's admin forms post (the
page editor with its StreamField, rich text as the Draftail editor sends it, the image and
document upload forms); visitors POST the public Book a call form. Every check is on what comes
back out: public pages, feeds, the sitemap, admin pages, mails, stored rows and files.
"""

import functools
import html
import io
import json
import os
import re
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from case_studies.blocks import OutcomesBlock
from case_studies.models import CaseStudyPage
from consultancy_site.forms import HONEYPOT_FIELD, MESSAGE_MAX_LENGTH
from tests.html import visible_text
from topics.blocks import BodyBlock, IntroBlock
from topics.models import ArticlePage

pytestmark = pytest.mark.django_db

CANARIES = ['"><svg onload=alert(1)>', "<script>alert(1)</script>", "javascript:alert(1)"]
# All three in one string: every text field below carries each of them.
CANARY_TEXT = " ".join(CANARIES)
# Link targets a hostile editor pastes into the rich-text link dialog.
HOSTILE_HREFS = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    'https://example.com/"><svg onload=alert(1)>',
]
# What markup made of a canary looks like once a browser would act on it.
UNSAFE_MARKUP = {
    "<svg onload": re.compile(r"<svg\b[^>]*\bonload", re.IGNORECASE),
    "<script>alert": re.compile(r"<script\b[^>]*>\s*alert", re.IGNORECASE),
    'href="javascript:': re.compile(
        r"""\b(?:href|src|action|formaction)\s*=\s*["']?\s*(?:java\s*script|vbscript|data):""",
        re.IGNORECASE,
    ),
}


def typed(label):
    """What an editor types into the field `label`: the label, then every canary."""
    return f"{label} {CANARY_TEXT}"


def unsafe_markup(text):
    """Each canary that would act as markup in `text` (an HTML document), with its context."""
    found = []
    for canary in CANARIES[:2]:  # the third is only dangerous as a link, checked below
        start = text.find(canary)
        if start >= 0:
            found.append(f"raw {canary!r}: …{text[max(0, start - 120) : start + 80]}…")
    for name, pattern in UNSAFE_MARKUP.items():
        for match in pattern.finditer(text):
            start = match.start()
            found.append(f"{name}: …{text[max(0, start - 120) : start + 80]}…")
    return found


def assert_no_unsafe_markup(text, where):
    found = unsafe_markup(text)
    assert not found, f"{where} shows a canary as live markup:\n" + "\n".join(found)


# --- People ---------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and renditions are written under the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root, folder):
    path = media_root / folder
    return sorted(p.name for p in path.rglob("*") if p.is_file()) if path.exists() else []


# --- What the admin forms post ----------------------------------------------------------------


def hostile_rich_text(label):
    """A rich-text value as the Draftail editor posts it: canaries typed as text, then a link
    for each hostile target (the editor pasted it into the link dialog)."""
    links = " ".join(
        f'<a href="{html.escape(href)}">link {index}</a>'
        for index, href in enumerate(HOSTILE_HREFS)
    )
    return rich_text(f"<p>{html.escape(typed(label))} {links}</p>")


def form_errors(response):
    """Every error the admin form shows, for assertion messages."""
    form = (response.context or {}).get("form")
    if form is None:
        return f"status {response.status_code}: " + visible_text(response.content.decode())[:3000]
    errors = [form.errors.as_json()]
    errors += [str(formset.errors) for formset in getattr(form, "formsets", {}).values()]
    return "\n".join(errors)


def assert_redirected(response):
    assert response.status_code == 302, form_errors(response)


def hidden_value(page_html, name):
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page_html)
    assert match, f"no hidden input {name!r} in the page"
    return html.unescape(match.group(1))


def article_body(image):
    return [
        ("heading", {"text": typed("heading"), "level": "h2", "anchor": ""}),
        ("paragraph", hostile_rich_text("paragraph")),
        ("quote", {"quote": typed("quote"), "attribution": typed("attribution")}),
        ("callout", {"kind": "warning", "text": hostile_rich_text("callout")}),
        (
            "table",
            json.dumps(
                {
                    "data": [[typed("table head"), "Value"], [typed("table cell"), "42"]],
                    "table_header_choice": "row",
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": typed("table caption"),
                    "cell": [],
                    "mergeCells": [],
                }
            ),
        ),
        ("code", {"language": "python", "source": typed("code")}),
        (
            "image",
            {
                "image": {"image": str(image.pk), "alt_text": typed("alt text")},
                "caption": typed("image caption"),
            },
        ),
    ]


def article_form_data(image, *, body=True, action=None, **hidden):
    data = nested_form_data(
        {
            "title": typed("Hostile title"),
            "slug": "hostile-article",
            "date": "2024-03-01",
            "summary": typed("summary"),
            "body": streamfield(
                article_body(image) if body else [("paragraph", rich_text("<p>Draft.</p>"))]
            ),
            "seo_title": typed("seo title"),
            "search_description": typed("search description"),
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
        }
    )
    if action:
        data[action] = action
    data.update(hidden)
    return data


def case_study_form_data(topic, action):
    data = nested_form_data(
        {
            "title": typed("Case study title"),
            "slug": "hostile-case-study",
            "client": typed("client"),
            "sector": typed("sector"),
            "date": "2024-02-01",
            "summary": typed("case summary"),
            "problem": hostile_rich_text("problem"),
            "solution": rich_text(f"<p>{html.escape(typed('solution'))}</p>"),
            "outcomes": streamfield([("metric", {"value": "-60%", "label": typed("metric")})]),
            "body": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
        }
    )
    data["topics"] = [str(topic.pk)]
    data[action] = action
    return data


def png_bytes(size=(16, 16), mode="RGB", noise=False):
    if noise:
        image = PILImage.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = PILImage.new(mode, size, 0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(16, 16)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def image(editor):
    """An image in the library, its title and description carrying the canaries too."""
    return get_image_model().objects.create(
        title=typed("image title"),
        description=typed("image description"),
        file=ImageFile(io.BytesIO(png_bytes((1200, 800))), name="hostile.png"),
        uploaded_by_user=editor,
    )


@pytest.fixture
def hostile_content(site_tree, as_editor, as_second_editor, second_editor, image, settings):
    """An article and a case study whose every text field carries the canaries, written
    through the admin by an editor and published, plus the mails the review sent."""
    # The HTML alternative of notification mails is off by default; switched on here so a
    # deployment that turns it on is covered too.
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = True
    topic = site_tree.topic
    add_url = reverse("wagtailadmin_pages:add", args=("topics", "articlepage", topic.pk))

    # Create: a draft with the hostile title, summary and promote fields.
    assert as_editor.get(add_url).status_code == 200
    assert_redirected(as_editor.post(add_url, article_form_data(image, body=False)))
    article = ArticlePage.objects.get(slug="hostile-article")

    # Edit: the whole hostile body, submitted for moderation.
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    editor_html = as_editor.get(edit_url).content.decode()
    loaded = {
        name: hidden_value(editor_html, name)
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }
    mail.outbox.clear()
    assert_redirected(
        as_editor.post(edit_url, article_form_data(image, action="action-submit", **loaded))
    )
    submission_mails = list(mail.outbox)

    # The other editor approves from the review action: the article is published.
    task_state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
    assert task_state is not None, "the article was not submitted for review"
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk)
    )
    assert_redirected(as_second_editor.post(approve_url, {"comment": typed("comment")}))
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live, "the approved article is not live"

    # A case study, published straight from the create view.
    case_add_url = reverse(
        "wagtailadmin_pages:add",
        args=("case_studies", "casestudypage", site_tree.case_studies.pk),
    )
    assert as_editor.get(case_add_url).status_code == 200
    assert_redirected(as_editor.post(case_add_url, case_study_form_data(topic, "action-publish")))
    case_study = CaseStudyPage.objects.get(slug="hostile-case-study")
    assert case_study.live, "the case study was not published"
    return {
        "tree": site_tree,
        "article": article,
        "case_study": case_study,
        "image": image,
        "submission_mails": submission_mails,
    }


def sitemap_paths(visitor):
    index = visitor.get(reverse("sitemap"))
    assert index.status_code == 200
    paths = ["/sitemap.xml"]
    for loc in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
        paths.append(re.sub(r"^https?://[^/]+", "", html.unescape(loc)))
    return paths


# --- 1. Canaries typed by an editor -------------------------------------------------------------


def test_canaries_are_text_on_every_public_page_feed_and_sitemap(hostile_content):
    tree, article, case_study = (
        hostile_content["tree"],
        hostile_content["article"],
        hostile_content["case_study"],
    )
    visitor = Client()
    paths = [
        article.url,
        case_study.url,
        tree.topic.url,
        tree.home.url,
        tree.writing.url,
        tree.case_studies.url,
        ("/search/", {"q": "hostile"}),
        *(("/search/", {"q": canary}) for canary in CANARIES),
        reverse("feed_rss"),
        reverse("feed_atom"),
        f"{tree.topic.url}feed/",
        f"{tree.topic.url}feed/atom/",
        *sitemap_paths(visitor),
    ]
    for path in paths:
        path, query = path if isinstance(path, tuple) else (path, None)
        response = visitor.get(path, query)
        where = f"{path} {query or ''}"
        assert response.status_code == 200, f"{where} answered {response.status_code}"
        assert_no_unsafe_markup(response.content.decode(), where)


def test_canaries_show_as_the_text_the_editor_typed(hostile_content):
    article = hostile_content["article"]
    visitor = Client()
    page = visitor.get(article.url).content.decode()
    text = visible_text(page)
    for label in (
        "Hostile title",
        "summary",
        "heading",
        "paragraph",
        "quote",
        "attribution",
        "callout",
        "table head",
        "table cell",
        "table caption",
        "image caption",
    ):
        assert typed(label) in text, f"the {label} is not shown as the text typed"
    # The code block shows the code as code, highlighted but as text.
    code = re.search(r'<pre class="highlight".*?</pre>', page, re.DOTALL)
    assert code, "no code block on the page"
    assert typed("code") in visible_text(code.group(0))
    # The alt text is an attribute value, escaped, exactly as typed.
    assert f'alt="{html.escape(typed("alt text"))}"' in page
    # The promote tab's fields reach the head as text.
    assert f"<title>{html.escape(typed('seo title'))}" in page
    assert f'content="{html.escape(typed("search description"))}"' in page
    # Every hostile link lost its target; the safe one kept it, escaped inside the attribute.
    assert 'href="https://example.com/&quot;&gt;&lt;svg onload=alert(1)&gt;"' in page

    case_page = visitor.get(hostile_content["case_study"].url).content.decode()
    case_text = visible_text(case_page)
    for label in ("Case study title", "client", "sector", "case summary", "problem", "metric"):
        assert typed(label) in case_text, f"the case study's {label} is not shown as typed"

    search = visible_text(visitor.get("/search/", {"q": "hostile"}).content.decode())
    assert typed("Hostile title") in search and typed("summary") in search


def test_feeds_escape_summaries_they_declare_as_html(hostile_content):
    """RSS <description> and Atom <summary type="html"> hold HTML: a plain-text summary must be
    escaped as HTML before it goes in, or a feed reader runs the canary."""
    tree = hostile_content["tree"]
    visitor = Client()
    problems = []
    for path in (
        reverse("feed_rss"),
        reverse("feed_atom"),
        f"{tree.topic.url}feed/",
        f"{tree.topic.url}feed/atom/",
    ):
        root = ElementTree.fromstring(visitor.get(path).content)
        atom = "{http://www.w3.org/2005/Atom}"
        html_parts = [item.findtext("description") or "" for item in root.iter("item")]
        html_parts += [
            summary.text or ""
            for summary in root.iter(f"{atom}summary")
            if summary.get("type") == "html"
        ]
        assert html_parts, f"{path} has no item"
        for part in html_parts:
            found = unsafe_markup(part)
            if found:
                problems.append(f"{path}: {found}")
    assert not problems, (
        "APP BUG (topics/feeds.py, ArticleRssFeed.item_description): the plain-text summary "
        'goes into RSS <description> / Atom <summary type="html"> unescaped, so a feed reader '
        "renders it as HTML. Return django.utils.html.escape(article.summary).\n"
        + "\n".join(problems)
    )


def test_canaries_are_text_on_admin_pages(hostile_content, as_editor):
    tree, article, case_study, image = (
        hostile_content["tree"],
        hostile_content["article"],
        hostile_content["case_study"],
        hostile_content["image"],
    )
    paths = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        reverse("wagtailadmin_pages:edit", args=(case_study.pk,)),
        reverse("wagtailadmin_explore", args=(tree.topic.pk,)),
        reverse("wagtailadmin_explore", args=(tree.case_studies.pk,)),
        reverse("wagtailadmin_pages:history", args=(article.pk,)),
        reverse("wagtailadmin_pages:revisions_compare", args=(article.pk, "earliest", "latest")),
        reverse("wagtailadmin_pages:search") + "?q=hostile",
        reverse("wagtailimages:index"),
        reverse("wagtailimages:edit", args=(image.pk,)),
    ]
    for path in paths:
        response = as_editor.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        assert_no_unsafe_markup(response.content.decode(), path)
    # The editor shows the hostile title as text in the title field.
    editor_page = as_editor.get(paths[1]).content.decode()
    assert f'value="{html.escape(typed("Hostile title"))}"' in editor_page


def test_moderation_mails_carry_no_live_canary(hostile_content, second_editor):
    mails = hostile_content["submission_mails"]
    to_reviewer = [message for message in mails if second_editor.email in message.to]
    assert to_reviewer, "the other editor was not told of the submission"
    for message in mails:
        # The plain-text part and the subject carry the title as typed ...
        assert typed("Hostile title") in message.subject
        assert typed("Hostile title") in message.body
        # ... and the HTML part carries it escaped, never as markup.
        for content, mimetype in getattr(message, "alternatives", []):
            assert mimetype == "text/html"
            assert_no_unsafe_markup(content, f"HTML mail to {message.to}")
            assert html.escape(typed("Hostile title")) in content
    assert any(getattr(message, "alternatives", []) for message in mails), (
        "no HTML alternative was sent although WAGTAILADMIN_NOTIFICATION_USE_HTML is on"
    )


# --- 2. Canaries posted to the Book a call form --------------------------------------------------

# A valid address whose quoted local part carries the canary.
CANARY_EMAILS = {
    CANARIES[0]: '"\\"><svg\\ onload=alert(1)>"@example.com',
    CANARIES[1]: '"<script>alert(1)</script>"@example.com',
    CANARIES[2]: '"javascript:alert(1)"@example.com',
}


@pytest.mark.parametrize("canary", CANARIES)
def test_book_a_call_keeps_canaries_as_plain_text(client, site_tree, as_editor, canary):
    page = site_tree.book_a_call
    typed_in = {
        "name": f"Name {canary}",
        "email": CANARY_EMAILS[canary],
        "company": f"Company {canary}",
        "message": f"Message {canary}\nSecond line {canary}",
    }
    response = client.post(page.url, typed_in)

    assert response.status_code == 200
    thanks = response.content.decode()
    assert "Thank you" in visible_text(thanks), visible_text(thanks)[:1000]
    assert_no_unsafe_markup(thanks, "the thank-you page")
    # Stored exactly as typed.
    submission = page.get_submission_class().objects.get(page=page)
    data = submission.get_data()
    for name, value in typed_in.items():
        assert data[name] == value, f"{name} was stored as {data[name]!r}"
    # The site owner's mail is plain text with the text as typed.
    (message,) = mail.outbox
    assert message.content_subtype == "plain"
    assert getattr(message, "alternatives", []) == [], "the enquiry mail has an HTML part"
    for label, name in (("Name", "name"), ("Email", "email"), ("Company", "company")):
        assert f"{label}: {typed_in[name]}" in message.body
    assert f"Message: {typed_in['message']}" in message.body
    assert "&lt;" not in message.body and "&quot;" not in message.body
    # The admin's list of submissions shows the text, escaped.
    listing = as_editor.get(reverse("wagtailforms:list_submissions", args=(page.pk,)))
    assert listing.status_code == 200
    listing_html = listing.content.decode()
    assert_no_unsafe_markup(listing_html, "the admin submissions listing")
    listing_text = visible_text(listing_html)
    assert typed_in["name"] in listing_text and typed_in["company"] in listing_text


# --- 3. No raw HTML anywhere in the editors' blocks ----------------------------------------------


def walk_blocks(block, path=()):
    yield path, block
    for name, child in (getattr(block, "child_blocks", None) or {}).items():
        yield from walk_blocks(child, (*path, name))
    child_block = getattr(block, "child_block", None)  # a ListBlock's item
    if child_block is not None:
        yield from walk_blocks(child_block, (*path, "item"))


@pytest.mark.parametrize("stream_block", [BodyBlock, IntroBlock, OutcomesBlock])
def test_no_block_takes_raw_html(stream_block):
    walked = dict(walk_blocks(stream_block()))
    assert len(walked) > 3, "the walk did not reach the child blocks"
    raw = [
        ".".join(path) for path, block in walked.items() if isinstance(block, blocks.RawHTMLBlock)
    ]
    assert raw == [], f"{stream_block.__name__} has raw HTML blocks: {raw}"


def test_no_stream_field_of_the_site_takes_raw_html():
    fields = [
        (model, field)
        for app_label in ("consultancy_site", "topics", "case_studies")
        for model in apps.get_app_config(app_label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    ]
    assert len(fields) >= 4, fields
    for model, field in fields:
        raw = [
            ".".join(path)
            for path, block in walk_blocks(field.stream_block)
            if isinstance(block, blocks.RawHTMLBlock)
        ]
        assert raw == [], f"{model.__name__}.{field.name} takes raw HTML at {raw}"


# --- 4. The contact form under abuse --------------------------------------------------------------

VALID = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "company": "Analytical Engines Ltd",
    "message": "Our nightly feature pipeline misses its window.",
}


def submissions(page):
    return page.get_submission_class().objects.filter(page=page)


def shown_errors(response):
    form = response.context["form"]
    return {name: list(errors) for name, errors in form.errors.items()}


def test_honeypot_filled_is_thanked_like_anyone_and_dropped(client, site_tree):
    page = site_tree.book_a_call
    response = client.post(page.url, {**VALID, HONEYPOT_FIELD: "https://spam.example.com"})

    assert response.status_code == 200
    assert "Thank you" in visible_text(response.content.decode())
    assert not submissions(page).exists()
    assert mail.outbox == []


def test_honeypot_is_in_the_form_and_hidden_from_people(client, site_tree):
    page_html = client.get(site_tree.book_a_call.url).content.decode()
    field = re.search(
        rf'<div class="honeypot" aria-hidden="true">.*?name="{HONEYPOT_FIELD}"',
        page_html,
        re.DOTALL,
    )
    assert field, "no hidden honeypot field in the form"


def test_sixth_post_from_one_address_is_refused_and_another_address_still_gets_through(
    client, site_tree
):
    page = site_tree.book_a_call
    for attempt in range(5):
        response = client.post(page.url, VALID, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 200, f"POST {attempt + 1} answered {response.status_code}"
    assert submissions(page).count() == 5

    response = client.post(page.url, VALID, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    text = visible_text(response.content.decode())
    assert "Too many messages" in text and "wait ten minutes" in text
    assert submissions(page).count() == 5
    assert len(mail.outbox) == 5

    other = client.post(page.url, VALID, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200
    assert "Thank you" in visible_text(other.content.decode())
    assert submissions(page).count() == 6


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "Ada\r\nBcc: victim@example.com", "Use a single line here."),
        ("name", "Ada\nBcc: victim@example.com", "Use a single line here."),
        ("company", "Acme\r\nBcc: victim@example.com", "Use a single line here."),
        ("email", "ada@example.com\r\nBcc: victim@example.com", "Enter a valid email address."),
        ("email", "ada@example.com\nBcc: victim@example.com", "Enter a valid email address."),
    ],
)
def test_header_injection_in_one_line_fields_is_refused(client, site_tree, field, value, error):
    page = site_tree.book_a_call
    response = client.post(page.url, {**VALID, field: value})

    assert response.status_code == 200
    assert shown_errors(response) == {field: [error]}
    page_text = visible_text(response.content.decode())
    assert "Please correct the 1 field below" in page_text and error in page_text
    assert not submissions(page).exists()
    assert mail.outbox == []


def test_message_of_5000_characters_is_taken_5001_is_refused(client, site_tree):
    page = site_tree.book_a_call
    too_long = client.post(page.url, {**VALID, "message": "m" * (MESSAGE_MAX_LENGTH + 1)})
    assert too_long.status_code == 200
    assert shown_errors(too_long) == {
        "message": ["Ensure this value has at most 5000 characters (it has 5001)."]
    }
    assert not submissions(page).exists() and mail.outbox == []

    longest = client.post(page.url, {**VALID, "message": "m" * MESSAGE_MAX_LENGTH})
    assert longest.status_code == 200
    assert "Thank you" in visible_text(longest.content.decode())
    assert submissions(page).get().get_data()["message"] == "m" * MESSAGE_MAX_LENGTH
    assert len(mail.outbox) == 1


def test_name_of_256_characters_is_refused_255_is_taken(client, site_tree):
    page = site_tree.book_a_call
    too_long = client.post(page.url, {**VALID, "name": "n" * 256})
    assert too_long.status_code == 200
    assert shown_errors(too_long) == {
        "name": ["Ensure this value has at most 255 characters (it has 256)."]
    }
    assert not submissions(page).exists() and mail.outbox == []

    longest = client.post(page.url, {**VALID, "name": "n" * 255})
    assert "Thank you" in visible_text(longest.content.decode())
    assert submissions(page).count() == 1


def email_of_length(length):
    """A well-formed address of exactly `length` characters (labels within their limits)."""
    local, labels = "a" * 64, ["b" * 63, "c" * 63]
    last = length - len(local) - 1 - sum(len(label) + 1 for label in labels) - len(".com")
    address = f"{local}@{'.'.join(labels)}.{'d' * last}.com"
    assert len(address) == length
    return address


def test_email_of_255_characters_is_refused_254_is_taken(client, site_tree):
    page = site_tree.book_a_call
    too_long = client.post(page.url, {**VALID, "email": email_of_length(255)})
    assert too_long.status_code == 200
    assert "email" in shown_errors(too_long)
    assert not submissions(page).exists() and mail.outbox == []

    longest = client.post(page.url, {**VALID, "email": email_of_length(254)})
    assert "Thank you" in visible_text(longest.content.decode())
    assert submissions(page).get().get_data()["email"] == email_of_length(254)


# --- 5. Uploads through the admin -----------------------------------------------------------------


@functools.cache
def huge_png():
    """20,000 × 20,000 pixels (400 million), 1-bit: about 50 KB on disk."""
    return png_bytes((20_000, 20_000), mode="1")


def image_form_data(name, content, content_type="image/png"):
    return {
        "title": f"Upload {name}",
        "file": SimpleUploadedFile(name, content, content_type=content_type),
        "description": "",
        "collection": str(Collection.get_first_root_node().pk),
        "tags": "",
        "focal_point_x": "",
        "focal_point_y": "",
        "focal_point_width": "",
        "focal_point_height": "",
    }


def document_form_data(name, content, content_type="application/octet-stream"):
    return {
        "title": f"Upload {name}",
        "file": SimpleUploadedFile(name, content, content_type=content_type),
        "collection": str(Collection.get_first_root_node().pk),
        "tags": "",
    }


def assert_upload_refused(response, error, model, count_before, media_root, folder):
    assert response.status_code == 200, (
        f"the upload was not refused (status {response.status_code}, "
        f"{response.get('Location', '')})"
    )
    errors = response.context["form"].errors.get("file", [])
    assert any(error in message for message in errors), f"file errors: {errors}"
    assert error in visible_text(response.content.decode()), "the error is not shown in the form"
    assert model.objects.count() == count_before
    assert stored_files(media_root, folder) == []


def test_valid_image_upload_is_stored(site_tree, as_editor, media_root):
    Image = get_image_model()
    response = as_editor.post(reverse("wagtailimages:add"), image_form_data("ok.png", png_bytes()))
    assert_redirected(response)
    assert Image.objects.get().title == "Upload ok.png"
    assert stored_files(media_root, "original_images") != []


def test_image_over_the_upload_size_is_refused(site_tree, as_editor, settings, media_root):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2_000
    content = png_bytes((64, 64), noise=True)
    assert len(content) > 2_000
    before = get_image_model().objects.count()

    response = as_editor.post(reverse("wagtailimages:add"), image_form_data("big.png", content))

    assert_upload_refused(
        response, "This file is too big", get_image_model(), before, media_root, "original_images"
    )


def test_image_of_400_million_pixels_is_refused(site_tree, as_editor, media_root):
    content = huge_png()
    assert len(content) < 200_000, "the test image should be small on disk"
    before = get_image_model().objects.count()

    response = as_editor.post(reverse("wagtailimages:add"), image_form_data("huge.png", content))

    assert_upload_refused(
        response, "too many pixels", get_image_model(), before, media_root, "original_images"
    )


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        (
            "disguised.png",
            jpeg_bytes(),
            "Not a valid .png image. The extension does not match the file format (jpeg)",
        ),
        ("notes.png", b"Just some text, not an image.\n" * 20, "Upload a valid image."),
        (
            "hostile.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(1)</script></svg>",
            "Not a supported image format.",
        ),
    ],
    ids=["jpeg-named-png", "text-named-png", "svg-with-script"],
)
def test_image_that_is_not_what_it_claims_is_refused(
    site_tree, as_editor, media_root, name, content, error
):
    before = get_image_model().objects.count()
    response = as_editor.post(reverse("wagtailimages:add"), image_form_data(name, content))
    assert_upload_refused(response, error, get_image_model(), before, media_root, "original_images")


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

REFUSED_DOCUMENTS = [
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120, "is not allowed"),
    ("page.html", b"<html><script>alert(1)</script></html>", "is not allowed"),
    (
        "drawing.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "is not allowed",
    ),
    ("report.pdf", b"This is not a PDF, only text.\n", "This file is named .pdf but contains"),
    ("notes.txt", png_bytes(), "This .txt file does not contain plain text"),
    (
        "data.csv",
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120,
        "This .csv file does not contain plain text",
    ),
]
REFUSED_IDS = ["exe", "html", "svg", "text-named-pdf", "png-named-txt", "exe-named-csv"]

SNIFFING_BUG = (
    "APP BUG (site/settings/base.py): WAGTAILDOCS_DOCUMENT_FORM_CLASS is not a Wagtail setting, so "
    "consultancy_site.uploads.CheckedDocumentForm is never used and no document is sniffed. "
    "Wagtail 8 reads WAGTAILDOCS_DOCUMENT_FORM_BASE (wagtail/documents/forms.py, "
    "get_document_base_form). Rename the setting."
)


@pytest.mark.parametrize(("name", "content", "error"), REFUSED_DOCUMENTS, ids=REFUSED_IDS)
def test_document_that_is_not_allowed_or_not_what_it_claims_is_refused(
    site_tree, as_editor, media_root, name, content, error
):
    Document = get_document_model()
    before = Document.objects.count()
    response = as_editor.post(reverse("wagtaildocs:add"), document_form_data(name, content))
    if response.status_code == 302 and "is not allowed" not in error:
        pytest.fail(f"{name} was stored. {SNIFFING_BUG}")
    assert_upload_refused(response, error, Document, before, media_root, "documents")


@pytest.mark.parametrize(("name", "content", "error"), REFUSED_DOCUMENTS, ids=REFUSED_IDS)
def test_document_refused_by_the_multiple_uploader_too(
    site_tree, as_editor, media_root, name, content, error
):
    """The admin's "Add a document" button leads to the multiple uploader: same rules."""
    Document = get_document_model()
    before = Document.objects.count()
    response = as_editor.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "files[]": SimpleUploadedFile(name, content),
            "collection": str(Collection.get_first_root_node().pk),
        },
    )
    assert response.status_code == 200
    result = response.json()
    if result.get("success") and "is not allowed" not in error:
        pytest.fail(f"{name} was stored by the multiple uploader. {SNIFFING_BUG}")
    assert result["success"] is False
    assert error in result["error_message"]
    assert Document.objects.count() == before
    assert stored_files(media_root, "documents") == []


@pytest.mark.parametrize(
    ("name", "content"),
    [("brief.pdf", MINIMAL_PDF), ("notes.txt", "Plain notes, with an accent: café.\n".encode())],
)
def test_valid_document_is_stored(site_tree, as_editor, media_root, name, content):
    Document = get_document_model()
    response = as_editor.post(reverse("wagtaildocs:add"), document_form_data(name, content))
    assert_redirected(response)
    document = Document.objects.get()
    assert document.title == f"Upload {name}"
    with document.file.open("rb") as stored:
        assert stored.read() == content
