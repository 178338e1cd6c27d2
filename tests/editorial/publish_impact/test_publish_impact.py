"""The "Publish impact" of a page (consultancy_site/publish_impact.py): what publishing it
refreshes, on the edit screen, in the approval dialog and in the "submitted for review" mail.

Every list must be the one the cache purge uses: the tests publish pages the way editors do and
compare the URLs purged with the URLs the panel listed just before.
"""

import datetime
import html
import json
import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Comment, PageViewRestriction, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from consultancy_site.delivery import page_cache
from consultancy_site.delivery.showing import urls_showing
from consultancy_site.editorial.publish_impact.impact import (
    ImpactEntry,
    ImpactGroup,
    PublishImpact,
    publish_impact,
)
from consultancy_site.editorial.publish_impact.templatetags import publish_impact_tags
from consultancy_site.editorial.publish_impact.views import PublishImpactEditView
from tests.editing import (
    article_fields,
    article_form_data,
    create_article,
    edit_article,
    edit_url,
    fresh,
    open_editor,
    review,
    workflow_action_url,
)
from tests.factories import (
    ArticlePageFactory,
    CaseStudyPageFactory,
    TopicIndexPageFactory,
)
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ROOT = "http://localhost"  # the default site's root URL in tests, used in mails


def published(parent, title, days_ago=0, **kwargs):
    page = ArticlePageFactory(
        parent=parent,
        title=title,
        date=datetime.date.today() - datetime.timedelta(days=days_ago),
        live=False,
        **kwargs,
    )
    page.save_revision().publish()
    return fresh(page)


@pytest.fixture
def scene(tree):
    """A topic with an article, two siblings, a draft sibling, a case study naming the topic and
    a page linking to the article."""
    topic = tree.topic
    article = published(topic, "The article in question", days_ago=1)
    siblings = [published(topic, f"Sibling {n}", days_ago=n + 2) for n in range(2)]
    draft_sibling = ArticlePageFactory(parent=topic, title="A sibling still in draft", live=False)
    case_study = CaseStudyPageFactory(parent=tree.case_studies, title="Names the topic")
    case_study.topics.add(topic)
    case_study.save_revision().publish()
    linking = ArticlePageFactory(
        parent=topic,
        title="An article linking to it",
        live=False,
        body=[
            {
                "type": "paragraph",
                "value": f'<p>See <a linktype="page" id="{article.pk}">this</a>.</p>',
            }
        ],
    )
    linking.save_revision().publish()
    return {
        "topic": topic,
        "article": article,
        "siblings": siblings,
        "draft_sibling": draft_sibling,
        "case_study": fresh(case_study),
        "linking": fresh(linking),
    }


def edit_screen(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    return response


def panel_html(response):
    """The Publish impact side panel of an edit screen."""
    page_html = response.content.decode()
    assert 'data-side-panel="publish-impact"' in page_html, "no Publish impact panel"
    panel = page_html.split('data-side-panel="publish-impact"', 1)[1]
    return panel.split("</aside>", 1)[0]


def panel_links(response):
    """{url: link text} of the panel; each link must open the live page in a new tab."""
    links = {}
    for attributes, text in re.findall(r"<a ([^>]*)>(.*?)</a>", panel_html(response), re.DOTALL):
        assert 'target="_blank"' in attributes and "noopener" in attributes
        url = html.unescape(re.search(r'href="([^"]*)"', attributes).group(1))
        links[url] = visible_text(without_screen_reader_text(text))
    return links


def panel_paths(response):
    """The panel's links: paths, relative to the admin's site that serves the pages."""
    paths = set(panel_links(response))
    assert all(path.startswith("/") for path in paths), paths
    return paths


def toggle_count(response):
    """The number on the Publish impact toggle (None when the counter is hidden)."""
    toggle = re.search(
        r'data-side-panel-toggle="publish-impact".*?</button>',
        response.content.decode(),
        re.DOTALL,
    ).group(0)
    counter = re.search(r"data-side-panel-toggle-counter[^>]*>\s*([\d,]+)\s*<", toggle)
    if counter is None or re.search(r"data-side-panel-toggle-counter[^>]*hidden", toggle):
        return None
    return int(counter.group(1).replace(",", ""))


def groups(response):
    """{group label: count} as the panel's headings show them."""
    return {
        html.unescape(label): int(count)
        for label, count in re.findall(
            r"<h3[^>]*>([^<]*?) <span[^>]*>\((\d+)\)</span></h3>", panel_html(response)
        )
    }


def without_screen_reader_text(markup):
    return re.sub(r'<span class="w-sr-only">.*?</span>', "", markup)


def panel_text(response):
    return visible_text(without_screen_reader_text(panel_html(response)))


# --- The panel on the edit screen ----------------------------------------------------------------
def test_the_edit_screen_is_wagtails_with_the_publish_impact_panel(scene, as_editor):
    response = edit_screen(as_editor, scene["article"])
    assert isinstance(response.context["view"], PublishImpactEditView)
    page_html = response.content.decode()
    # Wagtail's own panels are all there, the new toggle beside them.
    for name in ("status", "preview", "checks", "comments", "publish-impact"):
        assert f'data-side-panel-toggle="{name}"' in page_html, name
        assert f'data-side-panel="{name}"' in page_html, name
    assert 'aria-label="Toggle publish impact"' in page_html
    assert 'id="side-panel-publish-impact-title" class="w-sr-only">Publish impact</h2>' in page_html


def test_an_articles_panel_lists_every_url_the_purge_would_purge(scene, as_editor):
    article, topic = scene["article"], scene["topic"]
    response = edit_screen(as_editor, article)

    assert panel_paths(response) == {item.path for item in urls_showing(article)}
    assert panel_paths(response) == {
        article.url,
        topic.url,
        topic.url + "feed/",
        topic.url + "feed/atom/",
        *(sibling.url for sibling in scene["siblings"]),
        scene["linking"].url,
        scene["case_study"].url,
        "/",
        "/writing/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        # The text versions: the article's Markdown twin and that of the article linking to it,
        # the topic's llms.txt (the site's lists topics, not articles).
        article.url + "index.md",
        scene["linking"].url + "index.md",
        topic.url + "llms.txt",
    }
    assert toggle_count(response) == len(panel_paths(response)) == 17
    assert groups(response) == {
        "This page": 2,  # the article and its Markdown twin
        "All articles in this topic": 4,  # the topic page, its two feeds and its llms.txt
        "More in this topic": 3,  # the article linking to it is a sibling: listed here once
        "Related articles": 1,  # the case study naming the topic
        "Writing index": 1,
        "Home page": 1,
        "Site feeds": 2,
        "Sitemap": 2,
        "Links to it": 1,  # the linking article's Markdown twin
    }
    links = panel_links(response)
    assert links[topic.url] == topic.title
    assert links[scene["case_study"].url] == scene["case_study"].title
    text = panel_text(response)
    assert "Publishing this page refreshes these 17 addresses" in text
    assert "A sibling still in draft" not in text


def test_a_topic_with_more_than_one_page_says_how_many(tree, as_editor):
    articles = [published(tree.topic, f"Article {n:02d}", days_ago=n) for n in range(21)]
    text = panel_text(edit_screen(as_editor, articles[0]))
    assert f"{tree.topic.title} {tree.topic.url} · and ?page=2 to 2" in text
    # Long groups fold away after ten entries.
    assert "10 more" in text
    assert "<details>" in panel_html(edit_screen(as_editor, articles[0]))


def test_a_group_of_thousands_lists_a_hundred_and_counts_the_rest():
    entries = [ImpactEntry(f"Sibling {n:04d}", f"/s/{n}/", f"{ROOT}/s/{n}/") for n in range(1500)]
    impact = PublishImpact(everything=False, groups=[ImpactGroup("More in this topic", entries)])
    markup = render_to_string("publish_impact/publish_impact.html", {"impact": impact})
    text = visible_text(without_screen_reader_text(markup))
    assert "More in this topic (1500)" in text
    assert "Sibling 0099" in text and "Sibling 0100" not in text
    assert "1490 more" in text and "… and 1,400 more pages of this kind, not listed here." in text


def test_a_case_studys_panel_lists_its_topics_their_articles_and_the_index(scene, as_editor):
    response = edit_screen(as_editor, scene["case_study"])
    topic = scene["topic"]
    assert panel_paths(response) == {item.path for item in urls_showing(scene["case_study"])}
    assert {topic.url, "/case-studies/", scene["article"].url, scene["case_study"].url} <= (
        panel_paths(response)
    )
    # The topic page and its llms.txt, and its four live articles, all show the panel.
    assert groups(response)["Related case studies"] == 6
    assert "Case study index" in groups(response)


def test_a_case_study_draft_that_adds_a_topic_says_so(scene, tree, as_editor):

    other = TopicIndexPageFactory(parent=tree.writing, title="MLOps", slug="mlops")
    case_study = scene["case_study"]
    case_study.topics.add(other)
    case_study.save_revision()  # a draft: the live case study names one topic

    text = panel_text(edit_screen(as_editor, case_study))
    assert "This draft also adds it to these topics" in text and "MLOps." in text


def test_a_topics_panel_lists_the_topic_its_articles_and_the_writing_index(scene, as_editor):
    topic = scene["topic"]
    response = edit_screen(as_editor, topic)
    assert panel_paths(response) == {item.path for item in urls_showing(topic)}
    assert {topic.url, topic.url + "feed/", "/writing/", scene["article"].url} <= panel_paths(
        response
    )
    assert groups(response)["Articles in this topic"] == 8  # four live articles and their twins


@pytest.mark.parametrize("name", ["home", "writing", "service", "book_a_call"])
def test_structural_pages_say_publishing_refreshes_every_page(tree, as_editor, name):
    response = edit_screen(as_editor, getattr(tree, name))
    text = panel_text(response)
    assert "Publishing this page refreshes every page of the site" in text
    assert panel_links(response) == {}
    assert toggle_count(response) is None


def test_authors_see_the_panel_with_live_urls_only(scene, as_author):
    private = published(scene["topic"], "A private sibling", days_ago=9)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = edit_screen(as_author, scene["article"])
    assert panel_paths(response) == {item.path for item in urls_showing(scene["article"])}
    text = panel_text(response)
    for hidden in ("A sibling still in draft", "A private sibling", private.url):
        assert hidden not in text
    # The panel is a list of links: no form, no button, nothing to act on.
    assert "<form" not in panel_html(response) and "<button" not in panel_html(response)
    # Authors cannot open a topic's edit screen, so they never see its panel.
    topic_edit = as_author.get(reverse("wagtailadmin_pages:edit", args=(scene["topic"].pk,)))
    assert topic_edit.status_code in (302, 403)
    assert b"publish-impact" not in topic_edit.content


# --- The panel and the purge agree ------------------------------------------------------------------
@pytest.fixture
def purges(monkeypatch):
    """What the cache purge purges: (path, pages) pairs, and "everything" for a site-wide purge."""
    recorded = set()
    keep_paths, keep_all = page_cache.purge_paths, page_cache.purge_all_pages

    def purge_paths(paths_with_pages):
        recorded.update(paths_with_pages)
        return keep_paths(paths_with_pages)

    def purge_all_pages():
        recorded.add("everything")
        return keep_all()

    monkeypatch.setattr(page_cache, "purge_paths", purge_paths)
    monkeypatch.setattr(page_cache, "purge_all_pages", purge_all_pages)
    return recorded


def listed_pairs(page):
    impact = publish_impact(page)
    if impact.everything:
        return {"everything"}
    return {(entry.path, entry.pages) for group in impact.groups for entry in group.entries}


def test_approving_a_new_article_purges_exactly_what_the_panel_listed(
    scene, as_author, as_editor, purges, django_capture_on_commit_callbacks
):
    article = create_article(
        as_author, scene["topic"], article_fields("Data contracts", date=datetime.date.today())
    )
    response = edit_screen(as_editor, article)
    listed = panel_paths(response)
    pairs = listed_pairs(article)
    assert "Data contracts /writing/data-engineering/data-contracts/ · not live yet" in (
        panel_text(response)
    )
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        review(as_editor, article, "approve")

    assert fresh(article).live
    assert {path for path, _pages in purges} == listed
    assert purges == pairs
    assert fresh(article).url in listed


def test_publishing_a_renamed_live_article_purges_its_old_and_new_urls_as_listed(
    scene, as_author, as_editor, purges, django_capture_on_commit_callbacks
):
    article = scene["article"]
    old_url = article.url
    edit_article(as_author, article, "action-submit", title="Renamed", slug="renamed")
    listed = panel_paths(edit_screen(as_editor, article))
    assert old_url in listed and scene["topic"].url + "renamed/" in listed
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        review(as_editor, article, "approve")

    assert fresh(article).url == scene["topic"].url + "renamed/"
    assert {path for path, _pages in purges} == listed


def test_publishing_a_case_study_purges_exactly_what_the_panel_listed(
    scene, as_editor, purges, django_capture_on_commit_callbacks
):
    case_study = scene["case_study"]
    listed = panel_paths(edit_screen(as_editor, case_study))
    purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_study.save_revision(user=None).publish()
    assert {path for path, _pages in purges} == listed


def test_publishing_a_structural_page_purges_everything_as_the_panel_says(
    tree, as_editor, purges, django_capture_on_commit_callbacks
):
    assert listed_pairs(tree.writing) == {"everything"}
    with django_capture_on_commit_callbacks(execute=True):
        tree.writing.save_revision().publish()
    assert "everything" in purges
    assert {item for item in purges if item != "everything"} == set()


def test_the_edit_form_still_saves_comments_and_workflow_actions(scene, as_author, as_editor):
    article = create_article(as_author, scene["topic"], article_fields("Data contracts"))
    fields, loaded, _ = open_editor(as_editor, article)
    data = article_form_data(fields, None, **loaded)
    data.update(
        nested_form_data(
            {
                "comments": inline_formset(
                    [
                        {
                            "contentpath": "title",
                            "text": "Is the title too long?",
                            "position": "",
                            "resolved": "",
                            "replies": inline_formset([]),
                        }
                    ]
                )
            }
        )
    )
    assert as_editor.post(edit_url(article), data).status_code == 302
    assert Comment.objects.filter(page=article, text="Is the title too long?").exists()

    # A workflow action from the edit screen, as its dialog sends it (the comment as extra data).
    # (Approve there saves the form first, and a changed form restarts the review: the
    # project sets WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT.)
    fields, loaded, _ = open_editor(as_editor, article)
    extra = {
        "workflow-action-name": "reject",
        "workflow-action-extra-data": json.dumps({"comment": "Shorter title, please"}),
    }
    response = as_editor.post(
        edit_url(article), article_form_data(fields, "action-workflow-action", **loaded, **extra)
    )
    assert response.status_code == 302
    workflow_state = fresh(article).current_workflow_state
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert workflow_state.current_task_state.specific.get_comment() == "Shorter title, please"


# --- At the approval step ----------------------------------------------------------------------------
def test_approve_on_the_edit_screen_opens_the_dialog_with_the_impact(scene, as_author, as_editor):
    article = create_article(as_author, scene["topic"], article_fields("Data contracts"))
    page_html = edit_screen(as_editor, article).content.decode()
    task_state = fresh(article).current_workflow_task_state
    collect_url = reverse(
        "wagtailadmin_pages:collect_workflow_action_data",
        args=(article.pk, "approve", task_state.pk),
    )
    assert (
        f'data-workflow-action-name="approve" data-workflow-action-modal-url="{collect_url}"'
        in (page_html)
    )
    assert "Approve with comment" not in page_html  # the dialog has the comment field

    dialog = as_editor.get(collect_url, headers={"x-requested-with": "XMLHttpRequest"})
    dialog_html = json.loads(dialog.content)["html"]
    text = visible_text(dialog_html)
    assert "What publishing refreshes" in text and "All articles in this topic" in text
    assert f'href="{scene["topic"].url}"' in dialog_html
    assert 'name="comment"' in dialog_html and "Approve" in text


def test_approve_on_the_dashboard_opens_the_dialog_with_the_impact(scene, as_author, as_editor):
    article = create_article(as_author, scene["topic"], article_fields("Data contracts"))
    approve_url = workflow_action_url(article, "approve")
    dashboard = as_editor.get(reverse("wagtailadmin_home")).content.decode()
    assert f'data-workflow-action-url="{approve_url}" data-launch-modal>Approve<' in dashboard
    assert "Approve with comment" not in dashboard

    dialog = as_editor.get(approve_url, headers={"x-requested-with": "XMLHttpRequest"})
    dialog_html = json.loads(dialog.content)["html"]
    assert "What publishing refreshes" in visible_text(dialog_html)
    assert f'href="{scene["article"].url}"' in dialog_html  # a sibling's panel changes

    # Approving from the dialog, with or without a comment, publishes the article.
    approved = as_editor.post(
        approve_url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert json.loads(approved.content)["step"] == "success"
    assert fresh(article).live


def test_request_changes_dialog_has_no_impact(scene, as_author, as_editor):
    article = create_article(as_author, scene["topic"], article_fields("Data contracts"))
    dialog = as_editor.get(
        workflow_action_url(article, "reject"), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert "What publishing refreshes" not in json.loads(dialog.content)["html"]


def test_the_submitted_for_review_mail_says_what_publishing_refreshes(
    scene, as_author, editor, settings
):
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = True
    mail.outbox.clear()
    article = create_article(as_author, scene["topic"], article_fields("Data contracts"))

    (message,) = [message for message in mail.outbox if editor.email in message.to]
    count = len(publish_impact(article).paths)
    assert f"Publishing it refreshes {count} addresses:" in message.body
    assert f"- All articles in this topic (4): {ROOT}{scene['topic'].url}, " in message.body
    assert f"- This page (2): {ROOT}{scene['topic'].url}data-contracts/, " in message.body
    assert "You can preview the page here:" in message.body  # Wagtail's mail is all there
    ((html_part, _mimetype),) = message.alternatives
    assert f'<a href="{ROOT}{scene["topic"].url}">' in html_part


def test_a_mail_whose_impact_cannot_be_listed_is_still_sent(
    scene, as_author, editor, monkeypatch, caplog
):

    def broken(page):
        raise RuntimeError("the reference index is away")

    monkeypatch.setattr(publish_impact_tags, "publish_impact", broken)
    mail.outbox.clear()
    article = create_article(as_author, scene["topic"], article_fields("Data contracts"))
    (message,) = [message for message in mail.outbox if editor.email in message.to]
    assert "submitted for approval" in message.body
    assert "Publishing it refreshes" not in message.body
    assert fresh(article).current_workflow_task_state is not None
    assert "Could not list what publishing page" in caplog.text
