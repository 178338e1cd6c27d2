"""The editorial workflow in a real browser, the way a newcomer uses it after `make run`.

An author writes an article in Wagtail's editor (typing the date as the widget shows it), saves,
previews and submits it; an editor reviews it with the publish impact and the topic preview and
approves it; a visitor sees it on the cached topic at once. An editor shares a draft through a
review link and revokes it; the reports render. All against the demo site served by gunicorn with
production settings (tests/server.py); the accounts are made in the served site's database.
"""

import re
import secrets

import pytest
from playwright.sync_api import expect

from tests import server

TOPIC_PATH = "/writing/data-engineering/"
TOPIC_TITLE = "Data Engineering & Production Systems"
AUTHOR, EDITOR = "journey-author", "journey-editor"

ACCOUNTS = """
from django.contrib.auth.models import Group, User
for username, first_name, group in [
    (sys.argv[1], "Ada", "Authors"),
    (sys.argv[2], "Grace", "Editors"),
]:
    user = User.objects.create_user(
        username, f"{username}@example.com", sys.argv[3], first_name=first_name
    )
    user.groups.add(Group.objects.get(name=group))
"""

# A draft by the author in the Data Engineering topic; submitted for review when asked. Prints
# the draft's id and the topic's.
DRAFT = """
import datetime
from django.contrib.auth.models import User
from topics.models import ArticlePage, TopicIndexPage
author_name, title, slug, submit = sys.argv[1:5]
author = User.objects.get(username=author_name)
topic = TopicIndexPage.objects.get(slug="data-engineering")
draft = ArticlePage(
    title=title,
    slug=slug,
    summary="Rename a column upstream and the nightly job still succeeds: a contract stops it.",
    date=datetime.date.today(),
    body=[{"type": "paragraph", "value": "<p>A contract makes a rename a failed build.</p>"}],
    live=False,
    owner=author,
)
topic.add_child(instance=draft)
draft.save_revision(user=author, log_action=True)
if submit == "submit":
    draft.get_workflow().start(draft, author)
print(draft.pk, topic.pk)
"""


# The hidden input a rich text block's editor keeps its content in (what the form posts).
PARAGRAPH_STATE = 'input[type="hidden"][name$="-value"]'


@pytest.fixture(scope="module")
def password(production_server):
    password = secrets.token_urlsafe(16)
    server.run_django(production_server.env, ACCOUNTS, AUTHOR, EDITOR, password)
    return password


@pytest.fixture
def sign_in(browser, site_url, password):
    """sign_in(username): a fresh browser window signed in to the admin, on the dashboard."""
    contexts = []

    def sign_in(username):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(site_url + "/admin/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(site_url + "/admin/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def make_draft(production_server, title, slug, submit=False):
    output = server.run_django(
        production_server.env, DRAFT, AUTHOR, title, slug, "submit" if submit else "draft"
    )
    draft_id, topic_id = output.split()
    return int(draft_id), int(topic_id)


def admin_message(page, text):
    """Wagtail's message bar (role status) saying `text`."""
    return page.get_by_role("status").filter(has_text=text)


def preview_frame(page):
    # Wagtail loads each preview into a fresh iframe, which takes this id once it has loaded.
    return page.frame_locator("#w-preview-iframe")


def screenshot(page, artifacts, name, **options):
    # Side panels slide in: finished transitions, so the picture shows what a person sees.
    target = artifacts / "screenshots" / f"{name}.png"
    page.screenshot(path=str(target), animations="disabled", **options)


def card(page_or_frame, title):
    return page_or_frame.locator("article.card").filter(has_text=title)


def test_author_writes_and_submits_an_article_an_editor_approves_it_and_the_topic_lists_it(
    sign_in, page, site_url, artifacts
):
    title = "Backfills Without Tears"
    visitor = page

    # --- The author writes the article in the editor -------------------------------------------
    author = sign_in(AUTHOR)
    author.goto(site_url + "/admin/pages/")
    author.get_by_role("link", name="Explore child pages of 'Writing'").click()
    author.get_by_role("link", name=f"Explore child pages of '{TOPIC_TITLE}'").click()
    author.get_by_role("link", name="Add child page").click()  # the topic takes articles only
    expect(author.get_by_role("heading", name="New: Article page")).to_be_attached()

    author.get_by_role("textbox", name="Title*", exact=True).fill(title)
    date = author.get_by_role("textbox", name="Publication date")
    # The widget shows today as "27 Nov 2026"; a person selects it and types another date.
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", date.input_value())
    date.click()
    date.press("Control+a")
    date.press_sequentially("15 Feb 2024")
    date.press("Tab")
    author.get_by_role("textbox", name="Summary").fill(
        "How to rerun a year of a pipeline without double-counting a single order."
    )
    body = author.locator("#body-root")
    body.get_by_role("button", name="Insert a block").click()
    author.get_by_role("option", name="Heading").click()
    body.get_by_role("textbox", name="Text").fill("Partition first")
    body.get_by_role("button", name="Insert a block").last.click()
    author.get_by_role("option", name="Paragraph").click()
    paragraph = body.get_by_role("textbox").nth(2)  # the paragraph's rich text editor
    paragraph.click()
    # Keys pressed before the editor has focus would go nowhere (and a draft may be saved empty).
    expect(paragraph).to_be_focused()
    paragraph.press_sequentially("Rerun one day at a time, and make each day idempotent.")
    # The editor writes what was typed into the form's hidden input a moment later (Draftail's
    # save interval), later still under load: the draft is saved only once it is there.
    expect(body.locator(PARAGRAPH_STATE)).to_have_value(re.compile("make each day idempotent"))
    body.get_by_role("button", name="Insert a block").last.click()
    author.get_by_role("option", name="Code").click()
    body.get_by_label("Language").select_option(label="SQL")
    body.get_by_role("textbox", name="Source").fill(
        "DELETE FROM orders WHERE day = :day;\n"
        "INSERT INTO orders SELECT * FROM staging_orders WHERE day = :day;"
    )
    # Wagtail autosaves a new page a moment after the last change, which creates it and turns the
    # form into the page's edit form: Save draft once it has, or the click would post the
    # create form a second time (under load, the autosave can still be in flight).
    expect(author).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"), timeout=15_000)
    expect(body.locator(PARAGRAPH_STATE)).to_have_value(re.compile("make each day idempotent"))
    with author.expect_navigation():
        author.get_by_role("button", name="Save draft").click()

    # Saved, with the typed date read back (an earlier bug refused every date typed in the admin).
    expect(author).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(admin_message(author, title)).to_contain_text(re.compile("created|updated"))
    expect(author.get_by_text("Enter a valid date")).to_have_count(0)
    expect(author.get_by_text("could not be")).to_have_count(0)
    expect(author.get_by_role("textbox", name="Publication date")).to_have_value("15 Feb 2024")
    # The saved draft holds the paragraph: the edit screen is rendered from it.
    expect(author.locator("#body-root").locator(PARAGRAPH_STATE)).to_have_value(
        re.compile("make each day idempotent")
    )
    edit_url = author.url

    # The preview panel shows the article (an earlier bug blanked it: CSP frame-ancestors).
    author.get_by_role("button", name="Toggle preview").click()
    expect(preview_frame(author).get_by_role("heading", level=1)).to_have_text(title)
    # The topic preview shows drafts, so it is for editors; the author is told so.
    author.get_by_label("Preview mode").select_option(
        label="Topic page, with this article published"
    )
    expect(preview_frame(author).get_by_role("heading", level=1)).to_have_text(
        "This preview is for editors"
    )

    # Authors submit; they cannot publish.
    author.get_by_role("button", name="More actions").click()
    expect(author.get_by_role("button", name="Submit to Editorial review")).to_be_visible()
    expect(author.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    with author.expect_navigation():
        author.get_by_role("button", name="Submit to Editorial review").click()
    expect(admin_message(author, title)).to_contain_text("submitted for moderation")

    # A visitor has the topic cached, without the article.
    visitor.goto(site_url + TOPIC_PATH)
    cached = visitor.goto(site_url + TOPIC_PATH)
    assert cached.headers.get("x-cache") == "HIT"
    expect(card(visitor, title)).to_have_count(0)

    # --- The editor reviews it ----------------------------------------------------------------
    editor = sign_in(EDITOR)
    awaiting = editor.get_by_role("region", name="Awaiting your review")
    awaiting.get_by_role("link", name=title).click()
    expect(editor).to_have_url(edit_url)

    # The Publish impact panel (globe) lists the topic among what publishing refreshes.
    editor.get_by_role("button", name="Toggle publish impact").click()
    impact = editor.locator("[data-side-panel='publish-impact']")
    expect(impact.get_by_role("heading", name="What publishing refreshes")).to_be_visible()
    expect(impact.locator(f'a[href="{TOPIC_PATH}"]')).to_contain_text(TOPIC_TITLE)
    expect(impact).to_contain_text(TOPIC_PATH)
    screenshot(editor, artifacts, "editorial-publish-impact")

    # The topic as it will look once the article is published, with its card marked Draft.
    editor.get_by_role("button", name="Toggle preview").click()
    expect(preview_frame(editor).get_by_role("heading", level=1)).to_have_text(title)
    editor.get_by_label("Preview mode").select_option(
        label="Topic page, with this article published"
    )
    topic_preview = preview_frame(editor)
    expect(topic_preview.get_by_role("heading", level=1)).to_have_text(TOPIC_TITLE)
    draft_card = card(topic_preview, title)
    expect(draft_card).to_contain_text("Draft")
    expect(draft_card).to_contain_text("15 Feb 2024")
    expect(card(topic_preview, "SQL for Data Scientists")).not_to_contain_text("Draft")
    draft_card.scroll_into_view_if_needed()
    screenshot(editor, artifacts, "editorial-topic-preview")

    # Approve opens a dialog listing the impact, with an optional comment.
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Approve", exact=True).click()
    dialog = editor.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="What publishing refreshes")).to_be_visible()
    expect(dialog.locator(f'a[href="{TOPIC_PATH}"]')).to_contain_text(TOPIC_TITLE)
    dialog.get_by_label("Comment").fill("Clear and useful: publishing it.")
    with editor.expect_navigation():
        dialog.get_by_role("button", name="Approve").click()
    expect(admin_message(editor, title)).to_be_visible()

    # --- Live: the visitor's cached topic lists it at once ---------------------------------------
    # Approve on the edit screen saves the form first: an unchanged form must not count as an
    # edit, or the review restarts (topics.forms.DatedPageForm).
    visitor.goto(site_url + TOPIC_PATH)
    listed = card(visitor, title)
    assert listed.count() == 1, (
        "approved on the edit screen, yet the article is not on the topic: the approval restarted "
        "the review instead of publishing it"
    )
    expect(listed).to_contain_text(re.compile(r"\b\d+ min read\b"))
    expect(listed).to_contain_text("15 Feb 2024")
    listed.get_by_role("link", name=re.compile(r"^Read\b")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.get_by_role("heading", name="Partition first")).to_be_visible()
    expect(visitor.get_by_text("DELETE FROM orders WHERE day = :day;")).to_be_visible()


def test_editor_approves_from_the_dashboard_and_the_cached_topic_lists_the_article_at_once(
    production_server, sign_in, page, site_url
):
    title = "Data Contracts Before Dashboards"
    make_draft(production_server, title, "data-contracts-before-dashboards", submit=True)
    visitor = page
    visitor.goto(site_url + TOPIC_PATH)
    assert visitor.goto(site_url + TOPIC_PATH).headers.get("x-cache") == "HIT"
    expect(card(visitor, title)).to_have_count(0)

    editor = sign_in(EDITOR)
    awaiting = editor.get_by_role("region", name="Awaiting your review")
    row = awaiting.get_by_role("row").filter(has=editor.get_by_role("link", name=title))
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    dialog = editor.get_by_role("dialog")
    expect(dialog.locator(f'a[href="{TOPIC_PATH}"]')).to_contain_text(TOPIC_TITLE)
    expect(dialog.get_by_label("Comment")).to_have_value("")  # optional: left empty
    with editor.expect_navigation():
        dialog.get_by_role("button", name="Approve").click()
    expect(awaiting.get_by_role("link", name=title)).to_have_count(0)

    response = visitor.goto(site_url + TOPIC_PATH)
    assert response.headers.get("x-cache") != "HIT"  # purged when it was published
    expect(card(visitor, title)).to_contain_text(re.compile(r"\b\d+ min read\b"))


def test_editor_shares_a_draft_through_a_review_link_then_revokes_it(
    production_server, sign_in, page, site_url, artifacts
):
    title = "Schema Evolution Without Downtime"
    _draft_id, topic_id = make_draft(production_server, title, "schema-evolution-without-downtime")
    reviewer = "Jane at Acme (client)"

    editor = sign_in(EDITOR)
    editor.goto(site_url + f"/admin/pages/{topic_id}/")
    editor.get_by_role("link", name=title, exact=True).click()
    editor.get_by_role("button", name="Actions", exact=True).click()  # the header's "…" menu
    editor.get_by_role("link", name="Review links").click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Review links")
    editor.get_by_label("Who is it for").fill(reviewer)
    with editor.expect_navigation():
        editor.get_by_role("button", name="Make link").click()
    link = editor.get_by_role("textbox", name=f"Review link for {reviewer}")
    review_url = link.input_value()
    assert re.fullmatch(re.escape(site_url) + r"/review/[A-Za-z0-9_-]{43}/", review_url)

    # Someone without an account opens it: the draft, with the banner.
    visitor = page
    response = visitor.goto(review_url)
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    banner = visitor.get_by_role("region", name="Draft for review")
    expect(banner).to_contain_text(f"Draft shared for review with {reviewer}")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    screenshot(visitor, artifacts, "editorial-review-link")

    editor.get_by_role("button", name="Revoke").click()
    dialog = editor.get_by_role("dialog", name=f"Revoke the link for {reviewer}?")
    with editor.expect_navigation():
        dialog.get_by_role("button", name="Yes, revoke").click()
    expect(admin_message(editor, reviewer)).to_contain_text("revoked")
    links = editor.get_by_role("table").filter(has_text="Who it is for")
    row = links.get_by_role("row", name=re.compile("^" + re.escape(reviewer)))
    expect(row).to_contain_text("Revoked")

    response = visitor.goto(review_url)
    assert response.status == 410
    expect(visitor.get_by_role("heading", level=1)).to_have_text("This review link was revoked")
    expect(visitor.get_by_role("region", name="Draft for review")).to_have_count(0)
    expect(visitor.get_by_text(title)).to_have_count(0)


def test_editor_opens_the_freshness_and_conversions_reports(sign_in, artifacts):
    editor = sign_in(EDITOR)

    editor.get_by_role("button", name="Reports").click()
    with editor.expect_navigation() as navigation:
        editor.get_by_role("link", name="Articles due for review").click()
    assert navigation.value.status == 200
    expect(editor.get_by_role("heading", level=1)).to_have_text("Articles due for review")
    due = editor.get_by_role("table")
    expect(due.get_by_role("columnheader", name="Last reviewed")).to_be_visible()
    # A demo article published in February 2023 and never reviewed since.
    expect(
        due.get_by_role("row").filter(has_text="Distributed Training in TensorFlow")
    ).to_contain_text("Never (published 10 Feb 2023)")
    expect(editor.get_by_role("alert")).to_have_count(0)

    editor.get_by_role("button", name="Reports").click()
    with editor.expect_navigation() as navigation:
        editor.get_by_role("link", name="Book a call conversions").click()
    assert navigation.value.status == 200
    expect(editor.get_by_role("heading", level=1)).to_have_text("Book a call conversions")
    expect(
        editor.get_by_role("heading", name=re.compile(r"^\d+ submissions? in the"))
    ).to_be_visible()
    chart = editor.get_by_role("img", name=re.compile("^Book a call submissions per week"))
    expect(chart).to_be_visible()
    assert chart.evaluate("svg => svg.tagName") == "svg"
    assert chart.locator("rect").count() >= 12  # a bar a week over the last 90 days
    sources = editor.get_by_role("table").filter(has_text="Source page")
    expect(sources.get_by_role("row").filter(has_text="Topic").first).to_be_visible()
    expect(editor.get_by_role("alert")).to_have_count(0)
    screenshot(editor, artifacts, "editorial-conversions", full_page=True)


def test_the_admin_shows_no_image_its_own_csp_blocks(sign_in):
    # Avatars from gravatar.com would be blocked by the admin's CSP (img-src 'self' data: blob:).
    editor = sign_in(EDITOR)
    blocked = []
    editor.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    editor.reload()
    editor.wait_for_load_state("load")
    broken = editor.eval_on_selector_all(
        "img", "images => images.filter(i => i.complete && !i.naturalWidth).map(i => i.src)"
    )
    assert broken == [], f"broken images on the dashboard: {broken}"
    assert blocked == [], f"blocked by the admin's CSP: {blocked}"
