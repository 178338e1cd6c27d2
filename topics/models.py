import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.signals import page_published
from wagtail.url_routing import RouteResult

from consultancy_site.cache import CachedViewRestrictionsMixin, cached_chrome
from consultancy_site.listing import cached_listing, listed
from consultancy_site.permissions import AuthoredPageMixin, StructuralPageMixin
from consultancy_site.social_cards import SocialCardPanel

from .blocks import BodyBlock, IntroBlock, heading_anchor
from .forms import DatedPageForm
from .reading_time import reading_time_minutes


def attach_topics(articles):
    """Give each article its `topic` (the parent hub) with one query for the whole list."""
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


class WritingIndexPage(CachedViewRestrictionsMixin, StructuralPageMixin, Page):
    """/writing/: every topic hub with its article count and latest article."""

    # Only editors create hubs.
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = cached_chrome(f"writing:{self.pk}:topics", self.topics)
        return context


class TopicIndexPage(CachedViewRestrictionsMixin, RoutablePageMixin, StructuralPageMixin, Page):
    """A topic hub: an introduction in sections, every article of the topic, related work."""

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
            help_text="Pick and order case studies for this hub. If none is picked, the hub "
            "shows the case studies that name this topic.",
        ),
        PageChooserPanel("service_page", ["consultancy_site.ServicePage"]),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lede"), index.SearchField("intro")]

    parent_page_types = ["topics.WritingIndexPage"]
    subpage_types = ["topics.ArticlePage"]

    articles_per_page = 20
    route_select_related = ["service_page"]

    def articles(self):
        return (
            listed(ArticlePage.objects.child_of(self))
            .order_by("-date", "-first_published_at", "-pk")
            .defer_streamfields()
        )

    def related_case_studies(self):
        """The case studies picked for this hub, in order; if none, those that name the topic."""
        from case_studies.models import CaseStudyPage

        # Both kinds come back in one query; picked ones carry their position.
        candidates = (
            listed(CaseStudyPage.objects.filter(Q(topic_links__page=self) | Q(topics=self)))
            .annotate(position=Min("topic_links__sort_order", filter=Q(topic_links__page=self)))
            .defer_streamfields()
            .distinct()
            .order_by("-date", "-pk")
        )
        candidates = list(candidates)
        picked = sorted((c for c in candidates if c.position is not None), key=lambda c: c.position)
        return picked or candidates

    def feed_page(self):
        return self

    @property
    def preview_modes(self):
        from .preview import HUB_PREVIEW_MODES

        return HUB_PREVIEW_MODES

    def serve_preview(self, request, mode_name):
        from . import preview

        if mode_name == preview.HUB_WITH_ARTICLES_IN_REVIEW:
            return preview.serve_hub_with_articles_in_review(self, request)
        return super().serve_preview(request, mode_name)

    @path("feed/")
    def rss_feed(self, request):
        from .feeds import ArticleRssFeed

        return ArticleRssFeed()(request, topic=self)

    @path("feed/atom/")
    def atom_feed(self, request):
        from .feeds import ArticleAtomFeed

        return ArticleAtomFeed()(request, topic=self)

    @path("llms.txt/")  # <hub url>llms.txt (the routable page adds the slash)
    def llms_txt(self, request):
        from .markdown.views import hub_llms_response

        return hub_llms_response(self, request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Listings change only when something is published: kept in the chrome cache.
        articles = cached_listing(
            f"hub:{self.pk}:articles",
            self.articles(),
            request.GET.get("page"),
            self.articles_per_page,
        )
        for article in articles:
            article.__dict__["topic"] = self
        context["articles"] = articles
        context["case_studies"] = cached_chrome(
            f"hub:{self.pk}:case-studies", self.related_case_studies
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
        help_text="Shown on the article and its card; the hub lists newest first.",
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

    base_form_class = DatedPageForm

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
    # The share image comes with the routing query (consultancy_site.social_cards).
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

    def clean(self):
        super().clean()
        # Readers would see "Updated" with a day that has not come yet.
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            raise ValidationError({"last_reviewed": "A review cannot be later than today."})
        # Runs on every save and every revision, so listings never need to load a body.
        self.reading_time = reading_time_minutes(self.body.get_prep_value())

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

    def route(self, request, path_components):
        # <article url>index.md, the article as Markdown: only ever for a live article.
        if path_components == ["index.md"] and self.live:
            return RouteResult(self, kwargs={"as_markdown": True})
        return super().route(request, path_components)

    def serve(self, request, *args, as_markdown=False, **kwargs):
        if as_markdown:
            from .markdown.views import article_markdown_response

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
            .order_by("-date", "-first_published_at", "-pk")
            .defer_streamfields()[: self.more_in_topic_count]
        )
        for sibling in siblings:
            sibling.__dict__["topic"] = self.topic
        return siblings

    @property
    def preview_modes(self):
        from .preview import ARTICLE_PREVIEW_MODES

        return ARTICLE_PREVIEW_MODES

    def serve_preview(self, request, mode_name):
        from . import preview

        if mode_name == preview.ARTICLE_IN_HUB:
            return preview.serve_article_in_hub(self, request)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.topic is not None:
            context["more_in_topic"] = cached_chrome(
                f"article:{self.pk}:more-in-topic", self.more_in_topic
            )
            context["case_studies"] = cached_chrome(
                f"hub:{self.topic.pk}:case-studies", self.topic.related_case_studies
            )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="tagged_items")


@receiver(page_published, sender=ArticlePage)
def index_article_with_its_tags(sender, instance, **kwargs):
    """Saving indexes the page before modelcluster writes its tags: index it again with them,
    so the search its tag links lead to finds it."""
    index.insert_or_update_object(instance)


def latest_articles(limit):
    """The newest live, public articles of the whole site, each with its topic."""
    articles = (
        listed(ArticlePage.objects.all())
        .order_by("-date", "-first_published_at", "-pk")
        .defer_streamfields()[:limit]
    )
    return attach_topics(articles)
