"""Previews in context: a topic page as it will look once drafts go live.

- An article's "Topic page, with this article published": its topic page, rendered by its own
  template, with the draft's card where its date puts it (in place of its live card, if any).
- A topic page's "With articles in review": the topic page with its articles that are in
  moderation, each from its latest revision.

Draft cards are marked "Draft". Only people who may publish see drafts this way; anybody else
gets a page saying so. Previews are never cached: Wagtail's preview request is marked as one
(`is_dummy`, `is_preview`), which the page cache and the fragment and stream tags skip, and the
listing here is built afresh, never read from or written to the chrome cache.
"""

import datetime

from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Revision

from consultancy_site.delivery.listing import paginate

ARTICLE_IN_TOPIC = "topic"
WITH_ARTICLES_IN_REVIEW = "in-review"

ARTICLE_PREVIEW_MODES = [
    ("", "Article"),
    (ARTICLE_IN_TOPIC, "Topic page, with this article published"),
]
TOPIC_PREVIEW_MODES = [("", "Topic page"), (WITH_ARTICLES_IN_REVIEW, "With articles in review")]


def serve_article_in_topic(article, topic, request):
    if topic is None:
        return editors_only(
            request, "This article is not in a topic.", "No topic page to show", status=404
        )
    if article.pk:
        may_publish = article.permissions_for_user(request.user).can_publish()
    else:  # not created yet: whoever may publish in the topic may publish it
        may_publish = topic.permissions_for_user(request.user).can_publish_subpage()
    if not may_publish:
        return editors_only(
            request,
            "This preview shows the topic page as it will look once the article is published, "
            "with drafts in it, so it is for editors, who publish. Choose the “Article” "
            "preview to see the article itself; an editor will see it on the topic page when "
            "reviewing it.",
        )
    draft = as_draft_card(article, topic)
    return render_topic(
        request,
        topic,
        [draft],
        f"“{topic.title}” as it will look once “{draft.title}” is published.",
    )


def serve_topic_with_drafts(topic, request, articles_in_review):
    if not topic.permissions_for_user(request.user).can_publish():
        return editors_only(
            request,
            "This preview shows articles that are in review, before they are published, "
            "so it is for editors, who publish them.",
        )
    drafts = [as_draft_card(article, topic) for article in articles_in_review]
    if drafts:
        note = f"“{topic.title}” with the {len(drafts)} article(s) in review published."
    else:
        note = f"No article of “{topic.title}” is in review: this is the topic page as it is."
    return render_topic(request, topic, drafts, note)


def latest_revisions(pages):
    """Each of `pages` as its latest revision."""
    pages = list(pages.specific())
    revisions = Revision.objects.in_bulk([page.latest_revision_id for page in pages])
    return [
        page.with_content_json(revisions[page.latest_revision_id].content)
        if page.latest_revision_id in revisions
        else page
        for page in pages
    ]


def as_draft_card(article, topic):
    """The draft as its card will show it (its reading time was derived when it was cleaned):
    in its topic, marked Draft."""
    article.__dict__["topic"] = topic
    article.preview_draft = True
    return article


def render_topic(request, topic, drafts, note):
    context = topic.get_context(request)
    listing = ArticlesWithDrafts(topic.articles(), drafts)
    shown = listing.page_of_first_draft(topic.articles_per_page)
    context["articles"] = paginate(listing, shown, topic.articles_per_page)
    for article in context["articles"]:
        article.__dict__["topic"] = topic
    context["preview_note"] = note
    context["drafts_elsewhere"] = [
        (draft, number)
        for draft, number in listing.draft_pages(topic.articles_per_page)
        if number != shown
    ]
    return TemplateResponse(request, "topics/topic_preview.html", context)


def editors_only(request, explanation, heading="This preview is for editors", status=403):
    context = {"heading": heading, "explanation": explanation}
    return TemplateResponse(request, "topics/preview_for_editors.html", context, status=status)


class ArticlesWithDrafts:
    """A topic's live articles with drafts where its order (newest date first) puts them,
    each replacing its live version. Django's Paginator pages through it like a queryset: a page
    queries only the live articles it shows."""

    def __init__(self, live, drafts):
        self.live = live.exclude(pk__in=[draft.pk for draft in drafts if draft.pk])
        self.drafts = sorted(drafts, key=order_key, reverse=True)
        # A draft's place: the live articles listed before it, and the drafts before it.
        self.positions = [
            self.live_before(draft) + index for index, draft in enumerate(self.drafts)
        ]
        self.total = self.live.count() + len(self.drafts)

    def live_before(self, draft):
        date = order_key(draft)[0]
        before = Q(date__gt=date)
        if draft.first_published_at is not None:  # else it goes live now: first of its date
            published = draft.first_published_at
            before |= Q(date=date, first_published_at__gt=published)
            before |= Q(date=date, first_published_at=published, pk__gt=draft.pk)
        return self.live.filter(before).count()

    def drafts_before(self, index):
        return sum(1 for position in self.positions if position < index)

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, window):
        start, stop, _step = window.indices(self.total)
        rows = list(self.live[start - self.drafts_before(start) : stop - self.drafts_before(stop)])
        for position, draft in zip(self.positions, self.drafts, strict=True):
            if start <= position < stop:
                rows.insert(position - start, draft)
        return rows

    def draft_pages(self, per_page):
        return [
            (draft, position // per_page + 1)
            for draft, position in zip(self.drafts, self.positions, strict=True)
        ]

    def page_of_first_draft(self, per_page):
        return self.positions[0] // per_page + 1 if self.positions else 1


def order_key(article):
    """The topic's order (-date, -first_published_at, -pk) for a draft: a page published for the
    first time is published now, and a new page gets the highest id."""
    return (
        article.date or datetime.date.today(),
        article.first_published_at or timezone.now(),
        article.pk or float("inf"),
    )
