"""Driving Wagtail's page editor the way a person does: what its forms post (StreamField body
included), the buttons pressed, the messages and mails that come back."""

import datetime
import html
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.html import visible_text
from topics.models import ArticlePage

TODAY = datetime.date.today()


def article_fields(title, *, date=TODAY, summary=None, text=None, go_live_at=None):
    """What an author types into the article form."""
    return {
        "title": title,
        "slug": slugify(title),
        "date": date,
        "summary": summary or f"What {title.lower()} is about, in one sentence.",
        "body": [
            ("heading", {"text": "Where it breaks", "level": "h2", "anchor": ""}),
            ("paragraph", f"<p>{text or f'The argument of {title}.'}</p>"),
        ],
        "go_live_at": go_live_at,
    }


def fields_of(article):
    """The article form as the admin fills it in from a page or revision object."""
    body = []
    for block in article.body:
        if block.block_type == "heading":
            body.append(("heading", dict(block.value)))
        elif block.block_type == "paragraph":
            body.append(("paragraph", block.value.source))
        else:  # pragma: no cover - these tests only write headings and paragraphs
            raise AssertionError(f"unexpected block {block.block_type}")
    return {
        "title": article.title,
        "slug": article.slug,
        "date": article.date,
        "summary": article.summary,
        "body": body,
        "go_live_at": article.go_live_at,
    }


def local_datetime(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def article_form_data(fields, action=None, **hidden):
    """The POST body of Wagtail's page form for an article (content, promote, settings tabs)."""
    body = [
        (block_type, rich_text(value) if block_type == "paragraph" else value)
        for block_type, value in fields["body"]
    ]
    data = nested_form_data(
        {
            "title": fields["title"],
            "slug": fields["slug"],
            "date": fields["date"].isoformat(),
            "summary": fields["summary"],
            "body": streamfield(body),
            "seo_title": "",
            "search_description": "",
            "go_live_at": local_datetime(fields["go_live_at"]),
            "expire_at": "",
            "comments": inline_formset([]),
        }
    )
    if action:
        data[action] = action
    data.update(hidden)
    return data


def hidden_value(page_html, name):
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page_html)
    assert match, f"no hidden input {name!r} in the page"
    return html.unescape(match.group(1))


def add_article_url(topic):
    return reverse("wagtailadmin_pages:add", args=("topics", "articlepage", topic.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def fresh(page):
    return type(page).objects.get(pk=page.pk)


def create_article(client, topic, fields, action="action-submit"):
    """Fill in the new-article form under the topic and press the button `action`."""
    assert client.get(add_article_url(topic)).status_code == 200
    response = client.post(add_article_url(topic), article_form_data(fields, action))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ArticlePage.objects.get(slug=fields["slug"])


def open_editor(client, page):
    """Load the edit form: the fields it shows and the revision it was loaded from."""
    response = client.get(edit_url(page))
    assert response.status_code == 200
    page_html = response.content.decode()
    fields = fields_of(fresh(page).get_latest_revision_as_object())
    loaded = {
        name: hidden_value(page_html, name)
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }
    return fields, loaded, page_html


def edit_article(client, page, action=None, **changes):
    """Open the editor, change some fields, press `action` (None: Save draft)."""
    fields, loaded, _ = open_editor(client, page)
    fields.update(changes)
    response = client.post(edit_url(page), article_form_data(fields, action, **loaded))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def workflow_action_url(page, action):
    task_state = fresh(page).current_workflow_task_state
    assert task_state is not None, "the page is not in review"
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))


def review_url_on_dashboard(client, page, action):
    """An editor's dashboard lists the page under review with its Approve / Request changes."""
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    url = workflow_action_url(page, action)
    assert f'data-workflow-action-url="{url}"' in dashboard, "not awaiting this user's review"
    return url


def review(client, page, action, comment=""):
    """Approve ("approve") or request changes ("reject") from the editor's dashboard."""
    url = review_url_on_dashboard(client, page, action)
    response = client.post(url, {"comment": comment})
    assert response.status_code == 302
    return response


def messages_after(response, client):
    """The admin messages shown on the page a redirect leads to."""
    return visible_text(client.get(response.url).content.decode())


def mails_to(user):
    return [message for message in mail.outbox if user.email in message.to]
