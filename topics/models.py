"""The writing: topics (each a topic page at /writing/<topic>/) and their articles.

Each page type says which other pages it lists, beside the listing, with `@shows`
(consultancy_site.delivery.showing): that is what a publish purges, here and at the CDN.
"""

import datetime
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, WorkflowState
from wagtail.search import index
from wagtail.url_routing import RouteResult

from consultancy_site.delivery.chrome import cached_chrome
from consultancy_site.delivery.listing import cached_listing, listed
from consultancy_site.delivery.privacy import CachedViewRestrictionsMixin
from consultancy_site.delivery.showing import pages_of, shows
from consultancy_site.permissions import AuthoredPageMixin, StructuralPageMixin
from consultancy_site.seo.panels import SocialCardPanel
from consultancy_site.seo.social_cards import CardText, site_name

from . import preview
from .blocks import BodyBlock, IntroBlock, heading_anchor
from .feeds import ArticleAtomFeed, ArticleRssFeed
from .forms import ArticlePageForm, sub_route_slug_error
from .markdown.views import article_markdown_response, topic_llms_response
from .reading_time import reading_time_minutes

# Newest first, everywhere articles are listed.
NEWEST_FIRST = ("-date", "-first_published_at", "-pk")


def attach_topics(articles):
    """Give each article its `topic` (the parent topic page) with one query for the whole list."""
    articles = list(articles)
    parent_paths = {article.path[: -Page.steplen] for article in articles}
    topics = {
        topic.path: topic
        for topic in TopicIndexPage.objects.filter(path__in=parent_paths).only(
            "id", "path", "depth", "title", "slug", "url_path"
        )
    }
    for article in articles:
        article.__dict__["topic"] = topics.get(article.path[: -Page.steplen])
    return articles


def latest_articles(limit):
    """The newest live, public articles of the whole site, each with its topic."""
    articles = (
        listed(ArticlePage.objects.all()).order_by(*NEWEST_FIRST).defer_streamfields()[:limit]
    )
    return attach_topics(articles)


class WritingIndexPage(CachedViewRestrictionsMixin, StructuralPageMixin, Page):
    """/writing/: every topic with its article count and latest article."""

    # Only editors create topics.
    editor_only_actions = StructuralPageMixin.editor_only_actions | {"add"}

    lede = models.TextField(blank=True, help_text="One or two sentences under the title.")

    content_panels = [*Page.content_panels, FieldPanel("lede")]
    search_fields = [*Page.search_fields, index.SearchField("lede")]

    parent_page_types = ["consultancy_site.HomePage"]
    subpage_types = ["topics.TopicIndexPage"]
    max_count = 1

    def topics(self):
        articles = listed(ArticlePage.objects.filter(path__startswith=OuterRef("path")))
        latest = articles.order_by("-date", "-first_published_at").values("pk")[:1]
        # COUNT as a plain function (not an aggregate) keeps GROUP BY out of the subquery.
        count = articles.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        topics = list(
            listed(TopicIndexPage.objects.child_of(self))
            .annotate(
                latest_article_id=Subquery(latest),
                article_count=Coalesce(Subquery(count), 0),
            )
            .order_by("path")
        )
        latest_articles = ArticlePage.objects.in_bulk([t.latest_article_id for t in topics])
        for topic in topics:
            topic.latest_article = latest_articles.get(topic.latest_article_id)
        return topics

    @shows("topics.TopicIndexPage", "topics.ArticlePage", label="Writing index")
    def pages_showing(cls, page):
        """Each topic, its article count and its latest article."""
        return cls.objects.ancestor_of(page)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = cached_chrome(f"writing:{self.pk}:topics", self.topics)
        return context


class TopicIndexPage(CachedViewRestrictionsMixin, RoutablePageMixin, StructuralPageMixin, Page):
    """A topic page: an introduction in sections, every article of the topic, related work."""

    lede = models.TextField(help_text="The opening paragraph, shown under the title.")
    intro = StreamField(
        IntroBlock(),
        blank=True,
        help_text="Sections that walk a reader through the topic, linking its articles.",
    )
    service_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The service this topic leads to ('Want this kind of work in your shop?').",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lede"),
        FieldPanel("intro"),
        InlinePanel(
            "case_study_links",
            heading="Related case studies",
            label="Case study",
            help_text="Pick and order case studies for this topic. If none is picked, the "
            "topic page shows the case studies that name this topic.",
        ),
        PageChooserPanel("service_page", ["consultancy_site.ServicePage"]),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lede"), index.SearchField("intro")]

    parent_page_types = ["topics.WritingIndexPage"]
    subpage_types = ["topics.ArticlePage"]

    articles_per_page = 20
    route_select_related = ["service_page"]
    preview_modes = preview.TOPIC_PREVIEW_MODES

    def articles(self):
        return (
            listed(ArticlePage.objects.child_of(self)).order_by(*NEWEST_FIRST).defer_streamfields()
        )

    def newest_articles(self, limit):
        """For the topic's feeds."""
        articles = list(self.articles()[:limit])
        for article in articles:
            article.__dict__["topic"] = self
        return articles

    def listing_page_count(self):
        return pages_of(self.articles().count(), self.articles_per_page)

    def get_cached_paths(self):
        return ["/", "/feed/", "/feed/atom/", "/llms.txt"]

    @shows(
        "topics.ArticlePage",
        label="All articles in this topic",
        paths=["/", "/feed/", "/feed/atom/", "/llms.txt"],
    )
    def pages_listing_article(cls, article):
        return cls.objects.filter(path=article.path[: -article.steplen])

    def related_case_studies(self):
        """The case studies picked for this topic, in order; if none, those that name it."""
        # The case study model, through the relation case studies declare to their topics.
        case_study_model = self._meta.get_field("case_studies").related_model
        # Both kinds come back in one query; picked ones carry their position.
        candidates = (
            listed(case_study_model.objects.filter(Q(topic_links__page=self) | Q(topics=self)))
            .annotate(position=Min("topic_links__sort_order", filter=Q(topic_links__page=self)))
            .defer_streamfields()
            .distinct()
            .order_by("-date", "-pk")
        )
        candidates = list(candidates)
        picked = sorted((c for c in candidates if c.position is not None), key=lambda c: c.position)
        return picked or candidates

    @shows("case_studies.CaseStudyPage", label="Related case studies", paths=["/", "/llms.txt"])
    def pages_listing_case_study(cls, case_study):
        """Topics that picked it, or that it names (shown unless they picked others)."""
        return cls.objects.filter(
            Q(case_study_links__case_study=case_study) | Q(case_studies=case_study)
        ).distinct()

    def feed_page(self):
        return self

    def serve_preview(self, request, mode_name):
        if mode_name == preview.WITH_ARTICLES_IN_REVIEW:
            return preview.serve_topic_with_drafts(self, request, self.articles_in_review())
        return super().serve_preview(request, mode_name)

    def articles_in_review(self):
        """Its articles in a workflow in progress, each as its latest revision."""
        # Through Page: its workflow states relation is keyed by the base content type.
        in_review = (
            Page.objects.child_of(self)
            .type(ArticlePage)
            .public()
            .filter(_workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)
            .distinct()
        )
        return preview.latest_revisions(in_review)

    @path("feed/")
    def rss_feed(self, request):
        return ArticleRssFeed()(request, topic=self)

    @path("feed/atom/")
    def atom_feed(self, request):
        return ArticleAtomFeed()(request, topic=self)

    @path("llms.txt/")  # <topic url>llms.txt (the routable page adds the slash)
    def llms_txt(self, request):
        return topic_llms_response(self, request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Listings change only when something is published: kept in the chrome cache.
        articles = cached_listing(
            f"topic:{self.pk}:articles",
            self.articles(),
            request.GET.get("page"),
            self.articles_per_page,
        )
        for article in articles:
            article.__dict__["topic"] = self
        context["articles"] = articles
        context["case_studies"] = cached_chrome(
            f"topic:{self.pk}:case-studies", self.related_case_studies
        )
        return context


class TopicCaseStudyLink(Orderable):
    page = ParentalKey(TopicIndexPage, on_delete=models.CASCADE, related_name="case_study_links")
    case_study = models.ForeignKey(
        "case_studies.CaseStudyPage", on_delete=models.CASCADE, related_name="topic_links"
    )

    panels = [PageChooserPanel("case_study")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "case_study"], name="unique_case_study_per_topic"
            )
        ]


class ArticlePage(CachedViewRestrictionsMixin, AuthoredPageMixin, Page):
    date = models.DateField(
        "Publication date",
        default=datetime.date.today,
        db_index=True,
        help_text="Shown on the article and its card; the topic page lists newest first.",
    )
    summary = models.TextField(
        max_length=500,
        help_text="One or two sentences shown on cards, in search results and feeds.",
    )
    body = StreamField(BodyBlock())
    reading_time = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="Minutes, computed from the body when saved."
    )
    tags = ClusterTaggableManager(through="topics.ArticlePageTag", blank=True)
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the article was last checked to still be right; readers see 'Updated'.",
    )
    applies_to = models.CharField(
        max_length=200,
        blank=True,
        help_text='The versions the advice was checked against, e.g. "PostgreSQL 16, Spark 3.5".',
    )

    base_form_class = ArticlePageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("last_reviewed"), FieldPanel("applies_to")], heading="Freshness"
        ),
        FieldPanel("tags"),
    ]
    promote_panels = [*Page.promote_panels, SocialCardPanel()]
    # The share image comes with the routing query (consultancy_site.seo).
    route_select_related = ["social_card"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        # The article page links each tag to a search for it.
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
    ]

    parent_page_types = ["topics.TopicIndexPage"]
    subpage_types = []

    more_in_topic_count = 3
    table_of_contents_threshold = 3
    preview_modes = preview.ARTICLE_PREVIEW_MODES

    def full_clean(self, *args, **kwargs):
        # Derived before validation, as Wagtail's Page.full_clean derives the slug: every save,
        # revision and preview goes through here, so listings never need to load a body.
        self.reading_time = reading_time_minutes(self.body.get_prep_value())
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        # Readers would see "Updated" with a day that has not come yet.
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = "A review cannot be later than today."
        # A page being created in the admin has no place yet: its form checks the slug.
        if self.path and (error := sub_route_slug_error(self.get_parent(), self.slug)):
            errors["slug"] = error
        if errors:
            raise ValidationError(errors)

    def get_cached_paths(self):
        return ["/", "/index.md"]

    @property
    def updated_on(self):
        """The last review, when it came after publication: readers see "Updated" with it."""
        if self.last_reviewed and self.date and self.last_reviewed > self.date:
            return self.last_reviewed
        return None

    @cached_property
    def topic(self):
        parent_path = self.path[: -self.steplen]
        return cached_chrome(
            f"topic-at:{parent_path}",
            lambda: (
                TopicIndexPage.objects.select_related("service_page")
                .filter(path=parent_path)
                .first()
            ),
        )

    def feed_page(self):
        return self.topic

    def social_card_text(self):
        topic = (
            TopicIndexPage.objects.filter(path=self.path[: -self.steplen])
            .values_list("title", flat=True)
            .first()
        )
        return CardText(self.title, topic or "", f"{self.reading_time} min read", site_name(self))

    @shows("topics.TopicIndexPage", label="Articles in this topic", paths=["/", "/index.md"])
    def pages_showing_topic(cls, topic):
        """Each article names its topic (breadcrumb, topic tag, its Markdown twin)."""
        return cls.objects.child_of(topic)

    def route(self, request, path_components):
        # <article url>index.md, the article as Markdown: only ever for a live article.
        if path_components == ["index.md"] and self.live:
            return RouteResult(self, kwargs={"as_markdown": True})
        return super().route(request, path_components)

    def serve(self, request, *args, as_markdown=False, **kwargs):
        if as_markdown:
            return article_markdown_response(self, request)
        return super().serve(request, *args, **kwargs)

    def table_of_contents(self):
        """Sections (h2) with their subsections (h3), for articles with three or more headings."""
        sections, count = [], 0
        for block in self.body:
            if block.block_type != "heading":
                continue
            count += 1
            entry = {
                "text": block.value["text"],
                "anchor": heading_anchor(block.value),
                "children": [],
            }
            if block.value["level"] == "h3" and sections:
                sections[-1]["children"].append(entry)
            else:
                sections.append(entry)
        return sections if count >= self.table_of_contents_threshold else []

    def more_in_topic(self):
        siblings = list(
            listed(ArticlePage.objects.sibling_of(self, inclusive=False))
            .order_by(*NEWEST_FIRST)
            .defer_streamfields()[: self.more_in_topic_count]
        )
        for sibling in siblings:
            sibling.__dict__["topic"] = self.topic
        return siblings

    @shows("topics.ArticlePage", label="More in this topic")
    def pages_listing_sibling(cls, article):
        """Its siblings, when it is among the newest of the topic: each lists the newest
        `more_in_topic_count` others, so fewer than that many newer ones means it is shown."""
        siblings = listed(cls.objects.sibling_of(article, inclusive=False))
        if siblings.filter(newer_than(article)).count() > cls.more_in_topic_count:
            return cls.objects.none()
        return siblings

    @shows("case_studies.CaseStudyPage", label="Related case studies")
    def pages_listing_case_study(cls, case_study):
        """Every article of a topic that lists it shows that topic's related case studies."""
        topics = TopicIndexPage.pages_listing_case_study(case_study).only("path", "depth")
        children = [Q(path__startswith=topic.path, depth=topic.depth + 1) for topic in topics]
        return cls.objects.filter(reduce(or_, children)) if children else cls.objects.none()

    def serve_preview(self, request, mode_name):
        if mode_name == preview.ARTICLE_IN_TOPIC:
            # Read afresh, never from the chrome cache (previews keep nothing).
            topic = TopicIndexPage.objects.filter(path=self.path[: -self.steplen]).first()
            return preview.serve_article_in_topic(self, topic, request)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.topic is not None:
            context["more_in_topic"] = cached_chrome(
                f"article:{self.pk}:more-in-topic", self.more_in_topic
            )
            context["case_studies"] = cached_chrome(
                f"topic:{self.topic.pk}:case-studies", self.topic.related_case_studies
            )
        return context


def newer_than(article):
    """Articles listed before `article` in newest-first order. An article never published goes
    live now: only a later date comes before it."""
    newer = Q(date__gt=article.date)
    if article.first_published_at is not None:
        newer |= Q(date=article.date, first_published_at__gt=article.first_published_at)
        newer |= Q(
            date=article.date, first_published_at=article.first_published_at, pk__gt=article.pk
        )
    return newer


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="tagged_items")
