"""Hub-aware previews: a topic hub as it will look once drafts go live.

- An article's "Topic hub, with this article published": its hub, rendered by the hub's own
  template, with the draft's card where its date puts it (in place of its live card, if any).
- A hub's "With articles in review": the hub with its articles that are in moderation, each
  from its latest revision.

Draft cards are marked "Draft". Only people who may publish see drafts this way; anybody else
gets a page saying so. Previews are never cached: Wagtail's preview request is marked as one
(`is_dummy`, `is_preview`), which the page cache and the fragment and stream tags skip, and the
listing here is built afresh, never read from or written to the chrome cache.
"""

import datetime

from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page, Revision, WorkflowState

from consultancy_site.listing import paginate

from .models import ArticlePage, TopicIndexPage
from .reading_time import reading_time_minutes

ARTICLE_IN_HUB = "hub"
HUB_WITH_ARTICLES_IN_REVIEW = "in-review"

ARTICLE_PREVIEW_MODES = [
    ("", "Article"),
    (ARTICLE_IN_HUB, "Topic hub, with this article published"),
]
HUB_PREVIEW_MODES = [("", "Topic hub"), (HUB_WITH_ARTICLES_IN_REVIEW, "With articles in review")]


def serve_article_in_hub(article, request):
    hub = TopicIndexPage.objects.filter(path=article.path[: -Page.steplen]).first()
    if hub is None:
        return editors_only(
            request, "This article is not in a topic hub.", "No topic hub to show", status=404
        )
    if article.pk:
        may_publish = article.permissions_for_user(request.user).can_publish()
    else:  # not created yet: whoever may publish in the hub may publish it
        may_publish = hub.permissions_for_user(request.user).can_publish_subpage()
    if not may_publish:
        return editors_only(
            request,
            "This preview shows the topic hub as it will look once the article is published, "
            "with drafts in it, so it is for editors, who publish. Choose the “Article” "
            "preview to see the article itself; an editor will see it in the hub when "
            "reviewing it.",
        )
    draft = as_draft_card(article, hub)
    return render_hub(
        request,
        hub,
        [draft],
        f"“{hub.title}” as it will look once “{draft.title}” is published.",
    )


def serve_hub_with_articles_in_review(hub, request):
    if not hub.permissions_for_user(request.user).can_publish():
        return editors_only(
            request,
            "This preview shows articles that are in review, before they are published, "
            "so it is for editors, who publish them.",
        )
    drafts = [as_draft_card(article, hub) for article in articles_in_review(hub)]
    if drafts:
        note = f"“{hub.title}” with the {len(drafts)} article(s) in review published."
    else:
        note = f"No article of “{hub.title}” is in review: this is the hub as it is."
    return render_hub(request, hub, drafts, note)


def articles_in_review(hub):
    """The hub's articles in a workflow in progress, each as its latest revision."""
    in_review = (
        Page.objects.child_of(hub)
        .type(ArticlePage)
        .public()
        .filter(_workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)
        .distinct()
        .specific()
    )
    pages = list(in_review)
    revisions = Revision.objects.in_bulk([page.latest_revision_id for page in pages])
    return [
        page.with_content_json(revisions[page.latest_revision_id].content)
        if page.latest_revision_id in revisions
        else page
        for page in pages
    ]


def as_draft_card(article, hub):
    """The draft as its card will show it: its own reading time, its hub, marked Draft."""
    article.reading_time = reading_time_minutes(article.body.get_prep_value())
    article.__dict__["topic"] = hub
    article.preview_draft = True
    return article


def render_hub(request, hub, drafts, note):
    context = hub.get_context(request)
    listing = ArticlesWithDrafts(hub.articles(), drafts)
    shown = listing.page_of_first_draft(hub.articles_per_page)
    context["articles"] = paginate(listing, shown, hub.articles_per_page)
    for article in context["articles"]:
        article.__dict__["topic"] = hub
    context["preview_note"] = note
    context["drafts_elsewhere"] = [
        (draft, number)
        for draft, number in listing.draft_pages(hub.articles_per_page)
        if number != shown
    ]
    return TemplateResponse(request, "topics/hub_preview.html", context)


def editors_only(request, explanation, heading="This preview is for editors", status=403):
    context = {"heading": heading, "explanation": explanation}
    return TemplateResponse(request, "topics/preview_for_editors.html", context, status=status)


class ArticlesWithDrafts:
    """A hub's live articles with drafts where the hub's order (newest date first) puts them,
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
    """The hub's order (-date, -first_published_at, -pk) for a draft: a page published for the
    first time is published now, and a new page gets the highest id."""
    return (
        article.date or datetime.date.today(),
        article.first_published_at or timezone.now(),
        article.pk or float("inf"),
    )
