"""The editorial workflow, driven through Wagtail's admin the way people use it.

Authors write and submit; Editors review, approve or ask for changes, publish and unpublish.
Every step POSTs what the admin's own forms post (StreamField body included) as a real user of
the Authors or Editors group, and every check is what somebody would notice: a page a visitor
can or cannot see, a listing, a mail, a message in the admin.
"""

import datetime
import html
import json
import logging
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from consultancy_site.permissions import (
    AUTHORS,
    EDITOR_PAGE_ACTIONS,
    EDITORS,
    TASK_NAME,
    WORKFLOW_NAME,
)
from tests.editing import (
    TODAY,
    add_article_url,
    article_fields,
    article_form_data,
    create_article,
    edit_article,
    edit_url,
    fields_of,
    fresh,
    hidden_value,
    mails_to,
    messages_after,
    open_editor,
    review,
    workflow_action_url,
)
from tests.factories import ArticlePageFactory, CaseStudyPageFactory
from tests.html import assert_in_order, visible_text
from topics.models import ArticlePage

pytestmark = pytest.mark.django_db

# --- Content ---------------------------------------------------------------------------------------


@pytest.fixture
def older_articles(tree):
    """Two live articles already on the topic, older than anything written in these tests."""
    return [
        ArticlePageFactory(
            parent=tree.topic, title="Backfills without tears", date=datetime.date(2023, 5, 2)
        ),
        ArticlePageFactory(
            parent=tree.topic, title="Idempotent loads", date=datetime.date(2022, 9, 14)
        ),
    ]


# --- Admin actions, as a person does them (tests.editing has the forms) -----------------


def submitted_article(as_author, tree, title="Data contracts in practice", **kwargs):
    """An article the author has just created and submitted (the outbox starts empty)."""
    mail.outbox.clear()
    return create_article(as_author, tree.topic, article_fields(title, **kwargs))


def approved_article(as_author, as_editor, tree, title="Data contracts in practice", **kwargs):
    """An article submitted by the author and approved by an editor: live (outbox emptied)."""
    article = submitted_article(as_author, tree, title, **kwargs)
    review(as_editor, article, "approve")
    article = fresh(article)
    assert article.live
    mail.outbox.clear()
    return article


# --- What visitors see -------------------------------------------------------------------------


def card_titles(visitor, page, section_id):
    """Titles of the cards in the section labelled `section_id` of `page`, in order."""
    response = visitor.get(page.url)
    assert response.status_code == 200
    section = re.search(
        rf'<section[^>]*aria-labelledby="{section_id}".*?</section>',
        response.content.decode(),
        re.DOTALL,
    )
    if section is None:
        return []
    return [
        html.unescape(title)
        for title in re.findall(r'class="card__title"><a href="[^"]*">(.*?)</a>', section.group(0))
    ]


def topic_titles(visitor, topic):
    return card_titles(visitor, topic, "all-articles")


def more_in_topic(visitor, article):
    return card_titles(visitor, article, "more-in-topic")


# --- 1. Submitting -----------------------------------------------------------------------------


def test_author_submits_new_article_editors_are_mailed_and_nobody_sees_it_yet(
    as_author, author, editor, second_editor, tree, older_articles, visitor
):
    mail.outbox.clear()
    response = as_author.post(
        add_article_url(tree.topic),
        article_form_data(article_fields("Data contracts in practice"), "action-submit"),
    )

    assert response.status_code == 302
    assert "created and submitted for moderation" in messages_after(response, as_author)
    article = ArticlePage.objects.get(slug="data-contracts-in-practice")
    assert article.owner == author
    assert not article.live and article.live_revision is None
    assert article.get_parent().pk == tree.topic.pk
    # A saved draft: the revision holds the whole body, StreamField included.
    draft = article.get_latest_revision_as_object()
    assert [block.block_type for block in draft.body] == ["heading", "paragraph"]
    assert draft.body[0].value["text"] == "Where it breaks"
    assert "The argument of Data contracts in practice." in draft.body[1].value.source
    # ... submitted to the one workflow, waiting for the editors.
    state = article.current_workflow_state
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == author
    assert article.current_workflow_task.name == TASK_NAME

    for person in (editor, second_editor):
        (message,) = mails_to(person)
        assert "Data contracts in practice" in message.subject
        assert "submitted for approval" in message.body
        assert f"http://testserver{edit_url(article)}" in message.body
    assert mails_to(author) == []

    assert "Data contracts in practice" not in topic_titles(visitor, tree.topic)
    assert visitor.get(article.url).status_code == 404


# --- 2. Approving --------------------------------------------------------------------------------


def test_editor_approves_with_comment_article_goes_live_first_on_topic_and_author_reads_comment(
    as_author, as_editor, author, editor, tree, older_articles, visitor
):
    article = submitted_article(as_author, tree)
    mail.outbox.clear()

    response = review(as_editor, article, "approve", comment="Lovely piece, tightened the lede.")

    assert response.url == edit_url(article)
    article = fresh(article)
    assert article.live and not article.has_unpublished_changes
    assert article.current_workflow_state is None
    assert visitor.get(article.url).status_code == 200
    assert topic_titles(visitor, tree.topic) == [
        "Data contracts in practice",
        "Backfills without tears",
        "Idempotent loads",
    ]
    assert_in_order(
        visible_text(visitor.get(tree.topic.url).content.decode()),
        [
            "All articles in this topic",
            f"{TODAY.day} {TODAY:%b %Y}",
            "Data contracts in practice",
            "What data contracts in practice is about, in one sentence.",
            "Backfills without tears",
        ],
    )
    for sibling in older_articles:
        assert more_in_topic(visitor, sibling)[0] == "Data contracts in practice"

    (message,) = mails_to(author)
    assert "Data contracts in practice" in message.subject
    assert "approved" in message.body
    assert '"Lovely piece, tightened the lede."' in message.body
    assert f"http://testserver{edit_url(article)}" in message.body
    assert "Approved by Edna Editor." in message.body
    # The editor who approved is not mailed about their own approval.
    assert mails_to(editor) == []


# --- 3. Requesting changes -----------------------------------------------------------------------


def test_changes_requested_article_stays_draft_author_fixes_resubmits_and_editor_approves(
    as_author, as_editor, author, editor, second_editor, tree, older_articles, visitor
):
    article = submitted_article(as_author, tree)
    mail.outbox.clear()

    review(as_editor, article, "reject", comment="Cite the incident report in section one.")

    article = fresh(article)
    assert not article.live
    assert article.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "Data contracts in practice" not in topic_titles(visitor, tree.topic)
    assert visitor.get(article.url).status_code == 404
    (message,) = mails_to(author)
    assert "rejected" in message.body
    assert '"Cite the incident report in section one."' in message.body
    assert f"http://testserver{edit_url(article)}" in message.body

    # The author sees the request in the editor, fixes the text and submits again.
    _, _, editor_page = open_editor(as_author, article)
    assert "Changes requested" in visible_text(editor_page)
    mail.outbox.clear()
    edit_article(
        as_author,
        article,
        "action-submit",
        body=[
            ("heading", {"text": "Where it breaks", "level": "h2", "anchor": ""}),
            ("paragraph", "<p>As the incident report shows, the rename broke training.</p>"),
        ],
    )
    article = fresh(article)
    assert not article.live
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert {m.to[0] for m in mail.outbox} == {editor.email, second_editor.email}
    assert "Data contracts in practice" not in topic_titles(visitor, tree.topic)

    mail.outbox.clear()
    review(as_editor, article, "approve")

    article = fresh(article)
    assert article.live
    assert topic_titles(visitor, tree.topic)[0] == "Data contracts in practice"
    page_text = visible_text(visitor.get(article.url).content.decode())
    assert "As the incident report shows, the rename broke training." in page_text
    (approval,) = mails_to(author)
    assert "has been approved" in approval.body
    assert "Cite the incident report" not in approval.body, "the old request is not repeated"


# --- 4. What authors cannot do -----------------------------------------------------------------


def assert_refused(client, response):
    """Wagtail's admin sends a refused user back to the dashboard with an error message."""
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("wagtailadmin_home")
    assert "Sorry, you do not have permission to access this area." in messages_after(
        response, client
    )


def test_author_pressing_publish_on_a_new_article_gets_only_a_draft(
    as_author, tree, older_articles, visitor
):
    article = create_article(
        as_author, tree.topic, article_fields("Publishing shortcut"), action="action-publish"
    )

    assert not article.live
    assert article.live_revision is None
    assert article.latest_revision is not None  # saved as a draft, nothing more
    assert article.current_workflow_state is None
    assert mail.outbox == []
    assert "Publishing shortcut" not in topic_titles(visitor, tree.topic)
    assert visitor.get(article.url).status_code == 404


def test_author_pressing_publish_in_the_editor_gets_only_a_draft(
    as_author, as_editor, tree, older_articles, visitor
):
    article = approved_article(as_author, as_editor, tree, title="Publishing shortcut")

    edit_article(as_author, article, "action-publish", title="Publishing shortcut, revised")

    article = fresh(article)
    assert article.live and article.title == "Publishing shortcut"
    assert article.has_unpublished_changes
    assert article.get_latest_revision_as_object().title == "Publishing shortcut, revised"
    assert "Publishing shortcut, revised" not in topic_titles(visitor, tree.topic)
    assert "Publishing shortcut" in topic_titles(visitor, tree.topic)


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_author_cannot_approve_or_reject_a_review(as_author, tree, action, visitor):
    article = submitted_article(as_author, tree)
    task_state = fresh(article).current_workflow_task_state
    author_dashboard = as_author.get(reverse("wagtailadmin_home")).content.decode()
    assert workflow_action_url(article, action) not in author_dashboard

    response = as_author.post(workflow_action_url(article, action), {"comment": "Fine by me"})

    assert_refused(as_author, response)
    # Nor through the editor's workflow menu: while in review the page is locked for authors.
    fields, loaded, _ = open_editor(as_author, article)
    extra = {
        "workflow-action-name": action,
        "workflow-action-extra-data": json.dumps({"comment": "Fine by me"}),
    }
    response = as_author.post(
        edit_url(article), article_form_data(fields, "action-workflow-action", **loaded, **extra)
    )
    assert response.status_code == 200
    assert "The page could not be saved as it is locked." in visible_text(response.content.decode())
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert task_state.finished_by is None
    article = fresh(article)
    assert not article.live
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert visitor.get(article.url).status_code == 404


def test_author_cannot_unpublish_or_delete_a_live_article_even_their_own(
    as_author, as_editor, author, tree, visitor
):
    article = approved_article(as_author, as_editor, tree)
    assert article.owner == author

    for view in ("unpublish", "delete"):
        url = reverse(f"wagtailadmin_pages:{view}", args=(article.pk,))
        assert_refused(as_author, as_author.get(url))
        assert_refused(as_author, as_author.post(url))

    article = fresh(article)
    assert article.live
    assert visitor.get(article.url).status_code == 200
    assert "Data contracts in practice" in topic_titles(visitor, tree.topic)


def test_author_cannot_edit_the_topic(as_author, tree, visitor):
    topic = tree.topic
    title, revisions = topic.title, topic.revisions.count()

    assert_refused(as_author, as_author.get(edit_url(topic)))
    response = as_author.post(
        edit_url(topic),
        nested_form_data(
            {
                "title": "Hijacked topic",
                "slug": topic.slug,
                "lede": "Rewritten by an author.",
                "intro": streamfield([]),
                "case_study_links": inline_formset([]),
                "service_page": "",
                "comments": inline_formset([]),
                "action-publish": "action-publish",
            }
        ),
    )

    assert_refused(as_author, response)
    topic = fresh(topic)
    assert topic.title == title and topic.lede != "Rewritten by an author."
    assert topic.revisions.count() == revisions
    assert "Hijacked topic" not in visible_text(visitor.get(topic.url).content.decode())


# --- 5. Edits to a live article go through review again -----------------------------------------


def test_author_edit_to_a_live_article_waits_for_approval_before_visitors_see_it(
    as_author, as_editor, editor, tree, older_articles, visitor
):
    article = approved_article(as_author, as_editor, tree)
    live_revision = article.live_revision

    edit_article(
        as_author,
        article,
        "action-submit",
        title="Data contracts, a year on",
        summary="What changed after a year of contracts.",
    )

    article = fresh(article)
    assert article.live and article.live_revision == live_revision
    assert article.has_unpublished_changes
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert mails_to(editor), "editors are asked to review the edit"
    assert topic_titles(visitor, tree.topic)[0] == "Data contracts in practice"
    page_text = visible_text(visitor.get(article.url).content.decode())
    assert "Data contracts in practice" in page_text
    assert "What changed after a year of contracts." not in page_text
    for sibling in older_articles:
        assert "Data contracts, a year on" not in more_in_topic(visitor, sibling)

    review(as_editor, article, "approve")

    article = fresh(article)
    assert article.live_revision != live_revision and not article.has_unpublished_changes
    assert topic_titles(visitor, tree.topic)[0] == "Data contracts, a year on"
    assert "What changed after a year of contracts." in visible_text(
        visitor.get(article.url).content.decode()
    )


# --- 6. Scheduled publishing -------------------------------------------------------------------


def test_approved_article_with_future_go_live_appears_on_topic_only_when_scheduler_runs(
    as_author, as_editor, author, tree, older_articles, visitor
):
    article = create_article(
        as_author, tree.topic, article_fields("Scheduled for Monday"), action=None
    )
    assert not article.live and article.current_workflow_state is None  # a plain draft
    go_live_at = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    edit_article(as_author, article, "action-submit", go_live_at=go_live_at)
    mail.outbox.clear()

    review(as_editor, article, "approve", comment="Scheduled as agreed.")

    article = fresh(article)
    assert not article.live
    scheduled = article.scheduled_revision
    assert scheduled is not None and scheduled.approved_go_live_at == go_live_at
    assert "Scheduled for Monday" not in topic_titles(visitor, tree.topic)
    assert visitor.get(article.url).status_code == 404
    (message,) = mails_to(author)
    assert '"Scheduled as agreed."' in message.body
    assert "It is scheduled to go live at" in message.body

    call_command("publish_scheduled")  # nothing is due yet
    assert not fresh(article).live

    # Time passes. Without a fake clock, move the schedule instead: the approved go-live time
    # and the go_live_at the revision carries (publishing re-reads it, and would re-schedule a
    # revision that still says "in three days").
    past = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")

    article = fresh(article)
    assert article.live and article.scheduled_revision is None
    assert topic_titles(visitor, tree.topic)[0] == "Scheduled for Monday"
    assert visitor.get(article.url).status_code == 200


def test_approved_change_to_a_live_article_scheduled_for_later_is_announced_as_scheduled(
    as_author, as_editor, author, tree, visitor
):
    article = approved_article(as_author, as_editor, tree)
    live_revision = article.live_revision
    go_live_at = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    edit_article(
        as_author, article, "action-submit", title="Data contracts, revised", go_live_at=go_live_at
    )
    mail.outbox.clear()

    review(as_editor, article, "approve", comment="Good, goes out on Monday.")

    # Visitors keep the approved live version until the scheduled time ...
    article = fresh(article)
    assert article.live_revision == live_revision
    assert article.scheduled_revision.approved_go_live_at == go_live_at
    assert topic_titles(visitor, tree.topic) == ["Data contracts in practice"]
    # ... and the author's mail should say so, not send them to a page without their change.
    (message,) = mails_to(author)
    assert '"Good, goes out on Monday."' in message.body
    assert "It is scheduled to go live at" in message.body, (
        "APP BUG (templates/wagtailadmin/notifications/workflow_state_approved.txt, line 9): "
        "for a live page the approval mail says 'You can view the page here' (the old live "
        "version) and never that the approved change is scheduled; it tests page.live and "
        "page.go_live_at, not the scheduled revision. Mail sent:\n" + message.body
    )


# --- 7. Unpublishing ---------------------------------------------------------------------------


def test_editor_unpublishes_article_and_it_leaves_every_listing(
    as_author, as_editor, tree, older_articles, visitor
):
    case_study = CaseStudyPageFactory(parent=tree.case_studies, title="Pipeline rescue")
    case_study.topics.add(tree.topic)
    case_study.save_revision().publish()
    article = approved_article(as_author, as_editor, tree)
    title = article.title
    # Everywhere a visitor meets it while it is live:
    assert topic_titles(visitor, tree.topic)[0] == title
    assert all(more_in_topic(visitor, sibling)[0] == title for sibling in older_articles)
    assert card_titles(visitor, fresh(case_study), "related-articles")[0] == title
    assert card_titles(visitor, tree.home, "latest-heading")[0] == title
    assert title in visitor.get(reverse("feed_rss")).content.decode()

    unpublish_url = reverse("wagtailadmin_pages:unpublish", args=(article.pk,))
    assert as_editor.get(unpublish_url).status_code == 200  # the confirmation page
    response = as_editor.post(unpublish_url)

    assert response.status_code == 302
    assert f"Page '{title}' unpublished." in messages_after(response, as_editor)
    assert not fresh(article).live
    assert visitor.get(article.url).status_code == 404
    assert title not in topic_titles(visitor, tree.topic)
    for sibling in older_articles:
        assert title not in more_in_topic(visitor, sibling)
    assert title not in card_titles(visitor, fresh(case_study), "related-articles")
    assert title not in card_titles(visitor, tree.home, "latest-heading")
    assert title not in visitor.get(reverse("feed_rss")).content.decode()
    # The others are still there.
    assert topic_titles(visitor, tree.topic) == [a.title for a in older_articles]
    assert card_titles(visitor, tree.home, "latest-heading") == [a.title for a in older_articles]


# --- 8. Two editors, one page ------------------------------------------------------------------


def editing_session_ping(client, editor_page_html):
    """What the editor page's session widget asks the server every few seconds."""
    ping_url = re.search(r'data-w-swap-src-value="([^"]+)"', editor_page_html).group(1)
    response = client.post(
        html.unescape(ping_url),
        {
            "revision_id": hidden_value(editor_page_html, "revision_id"),
            "revision_created_at": hidden_value(editor_page_html, "revision_created_at"),
        },
    )
    assert response.status_code == 200
    return response.json()


def test_second_editor_saving_over_a_newer_version_is_warned_and_history_keeps_every_version(
    as_author, as_editor, as_second_editor, editor, second_editor, tree, visitor
):
    article = approved_article(as_author, as_editor, tree)
    live_revision = article.live_revision
    # Both editors open the same page.
    edna_fields, edna_loaded, _ = open_editor(as_editor, article)
    eric_fields, eric_loaded, eric_page = open_editor(as_second_editor, article)
    assert edna_loaded == eric_loaded

    edna_fields["title"] = "Data contracts, Edna's cut"
    response = as_editor.post(edit_url(article), article_form_data(edna_fields, **edna_loaded))
    assert response.status_code == 302
    ednas_revision = fresh(article).latest_revision
    assert ednas_revision.user == editor

    # Eric's editor learns of Edna's version ...
    ping = editing_session_ping(as_second_editor, eric_page)
    assert [(s["user"], s["revision_id"]) for s in ping["other_sessions"]] == [
        ("Edna Editor", ednas_revision.pk)
    ]
    assert "Edna Editor saved a new version" in visible_text(ping["html"])
    # ... and saving his stale form in the background is refused, with the reason shown.
    eric_fields["title"] = "Data contracts, Eric's cut"
    stale_save = as_second_editor.post(
        edit_url(article),
        article_form_data(eric_fields, **eric_loaded),
        headers={"Accept": "application/json"},
    )
    assert stale_save.status_code == 400
    assert stale_save.json() == {
        "success": False,
        "error_code": "invalid_revision",
        "error_message": "Saving will overwrite a newer version.",
    }
    assert fresh(article).latest_revision == ednas_revision
    assert fresh(article).get_latest_revision_as_object().title == "Data contracts, Edna's cut"

    # Eric confirms ("Continue") and saves anyway: a new revision on top, Edna's is kept.
    response = as_second_editor.post(
        edit_url(article), article_form_data(eric_fields, **eric_loaded)
    )
    assert response.status_code == 302
    erics_revision = fresh(article).latest_revision
    assert erics_revision.user == second_editor
    assert erics_revision.pk != ednas_revision.pk
    history = {r.pk: r.content["title"] for r in fresh(article).revisions.all()}
    assert history[ednas_revision.pk] == "Data contracts, Edna's cut"
    assert history[erics_revision.pk] == "Data contracts, Eric's cut"

    # Edna reverts to her version with the History → Revert flow.
    revert_url = reverse(
        "wagtailadmin_pages:revisions_revert", args=(article.pk, ednas_revision.pk)
    )
    revert_page = as_editor.get(revert_url)
    assert revert_page.status_code == 200
    revert_html = revert_page.content.decode()
    assert "You are viewing a previous version of this page" in visible_text(revert_html)
    assert f'action="{revert_url}"' in revert_html
    old_fields = fields_of(ednas_revision.as_object())
    loaded = {
        name: hidden_value(revert_html, name)
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }
    assert loaded["loaded_revision_id"] == str(erics_revision.pk)
    response = as_editor.post(revert_url, article_form_data(old_fields, **loaded))

    assert response.status_code == 302
    assert "has been replaced with version from" in messages_after(response, as_editor)
    article = fresh(article)
    reverted = article.latest_revision
    assert reverted.pk not in history, "a revert is a new revision"
    assert reverted.content["title"] == "Data contracts, Edna's cut"
    assert {r.pk: r.content["title"] for r in article.revisions.all()} == {
        **history,
        reverted.pk: "Data contracts, Edna's cut",
    }
    # None of this was published: visitors still read the approved version.
    assert article.live_revision == live_revision
    assert topic_titles(visitor, tree.topic) == ["Data contracts in practice"]


# --- 9. Mail trouble ---------------------------------------------------------------------------


def test_mail_server_down_does_not_undo_an_approval(
    as_author, as_editor, author, tree, older_articles, visitor, settings, caplog
):
    article = submitted_article(as_author, tree)
    mail.outbox.clear()
    settings.MAILERS = {"default": {"BACKEND": "tests.site.broken_mail.BrokenBackend"}}

    with caplog.at_level(logging.ERROR):
        response = review(as_editor, article, "approve", comment="Ship it.")

    assert response.url == edit_url(article)
    article = fresh(article)
    assert article.live
    assert article.current_workflow_state is None
    assert topic_titles(visitor, tree.topic)[0] == "Data contracts in practice"
    assert mail.outbox == []
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures, "the failed approval mail is not logged"
    assert any(
        author.email in r.getMessage() and "Data contracts in practice" in r.getMessage()
        for r in failures
    ), [r.getMessage() for r in failures]


# --- 10. What the data migration set up --------------------------------------------------------


def test_migration_leaves_authors_editors_and_one_editorial_review_workflow_on_the_root():
    assert sorted(Group.objects.values_list("name", flat=True)) == [AUTHORS, EDITORS]

    assert list(Workflow.objects.values_list("name", "active")) == [(WORKFLOW_NAME, True)]
    workflow = Workflow.objects.get()
    tasks = [task.specific for task in workflow.tasks]
    assert [(type(task), task.name, task.active) for task in tasks] == [
        (GroupApprovalTask, TASK_NAME, True)
    ]
    assert list(tasks[0].groups.values_list("name", flat=True)) == [EDITORS]
    assert list(Task.objects.values_list("name", flat=True)) == [TASK_NAME]
    root = Page.get_first_root_node()
    assert list(WorkflowPage.objects.values_list("page_id", "workflow_id")) == [
        (root.pk, workflow.pk)
    ]

    editors = Group.objects.get(name=EDITORS)
    assert sorted(
        GroupPagePermission.objects.filter(group=editors).values_list(
            "page_id", "permission__codename"
        )
    ) == sorted((root.pk, f"{action}_page") for action in EDITOR_PAGE_ACTIONS)
    for group in Group.objects.all():
        assert group.permissions.filter(codename="access_admin").exists()


def test_every_page_of_the_site_is_reviewed_by_the_editorial_workflow(tree):
    for page in (tree.home, tree.writing, tree.topic, tree.case_studies, tree.service):
        assert page.get_workflow().name == WORKFLOW_NAME
    article = ArticlePageFactory(parent=tree.topic)
    assert article.get_workflow().name == WORKFLOW_NAME
