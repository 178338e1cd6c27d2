import datetime

from django import forms
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from consultancy_site.delivery.chrome import cached_chrome
from consultancy_site.delivery.listing import cached_listing, listed
from consultancy_site.delivery.privacy import CachedViewRestrictionsMixin
from consultancy_site.delivery.showing import pages_of, shows
from consultancy_site.permissions import AuthoredPageMixin, StructuralPageMixin
from consultancy_site.seo.panels import SocialCardPanel
from consultancy_site.seo.social_cards import CardText, site_name
from topics.blocks import BodyBlock
from topics.forms import DatedPageForm
from topics.models import NEWEST_FIRST, ArticlePage, TopicIndexPage, attach_topics

from .blocks import OutcomesBlock


class CaseStudyIndexPage(CachedViewRestrictionsMixin, StructuralPageMixin, Page):
    """/case-studies/: every case study, newest first."""

    lede = models.TextField(blank=True, help_text="One or two sentences under the title.")

    content_panels = [*Page.content_panels, FieldPanel("lede")]
    search_fields = [*Page.search_fields, index.SearchField("lede")]

    parent_page_types = ["consultancy_site.HomePage"]
    subpage_types = ["case_studies.CaseStudyPage"]
    max_count = 1

    case_studies_per_page = 20

    def case_studies(self):
        return (
            listed(CaseStudyPage.objects.child_of(self))
            .order_by("-date", "-pk")
            .defer_streamfields()
        )

    def listing_page_count(self):
        return pages_of(self.case_studies().count(), self.case_studies_per_page)

    @shows("case_studies.CaseStudyPage", label="Case study index")
    def pages_listing_case_study(cls, case_study):
        return cls.objects.filter(path=case_study.path[: -case_study.steplen])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["case_studies"] = cached_listing(
            f"case-study-index:{self.pk}",
            self.case_studies(),
            request.GET.get("page"),
            self.case_studies_per_page,
        )
        return context


class CaseStudyPage(CachedViewRestrictionsMixin, AuthoredPageMixin, Page):
    date = models.DateField(
        default=datetime.date.today, help_text="When the engagement ended; lists are newest first."
    )
    client = models.CharField(
        max_length=200,
        blank=True,
        help_text='Who the work was for. Anonymous is fine: "A European retail bank".',
    )
    sector = models.CharField(max_length=100, blank=True, help_text="E.g. Banking, Retail.")
    summary = models.TextField(
        max_length=500, help_text="One or two sentences shown on cards and in search results."
    )
    problem = RichTextField(features=["bold", "italic", "link", "ul", "ol"])
    solution = RichTextField(
        "What was built", features=["bold", "italic", "link", "ul", "ol", "code"]
    )
    outcomes = StreamField(
        OutcomesBlock(),
        blank=True,
        help_text="Outcome figures: a value and what it measures.",
    )
    body = StreamField(BodyBlock(), blank=True)
    topics = ParentalManyToManyField(
        TopicIndexPage,
        blank=True,
        related_name="case_studies",
        help_text="Topics this work belongs to; they list it unless they pick their own.",
    )

    base_form_class = DatedPageForm

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("client"), FieldPanel("sector"), FieldPanel("date")], heading="Engagement"
        ),
        FieldPanel("summary"),
        FieldPanel("problem"),
        FieldPanel("solution"),
        FieldPanel("outcomes"),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]
    promote_panels = [*Page.promote_panels, SocialCardPanel()]
    # The share image comes with the routing query (consultancy_site.seo).
    route_select_related = ["social_card"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("client"),
        index.SearchField("sector"),
        index.SearchField("problem"),
        index.SearchField("solution"),
        index.SearchField("body"),
    ]

    parent_page_types = ["case_studies.CaseStudyIndexPage"]
    subpage_types = []

    related_article_count = 3

    def live_topics(self):
        return list(listed(self.topics.all()).select_related("service_page"))

    def related_articles(self, topics):
        """The newest articles of the topics this case study names."""
        if not topics:
            return []
        articles = ArticlePage.objects.none()
        for topic in topics:
            articles |= ArticlePage.objects.child_of(topic)
        return attach_topics(
            listed(articles)
            .order_by(*NEWEST_FIRST)
            .defer_streamfields()[: self.related_article_count]
        )

    @shows("topics.ArticlePage", label="Related articles")
    def pages_listing_article(cls, article):
        """Case studies list the newest articles of the topics they name."""
        return cls.objects.filter(topics__path=article.path[: -article.steplen])

    @shows("topics.TopicIndexPage", label="Case studies in this topic")
    def pages_showing_topic(cls, topic):
        """Case studies name their topics."""
        return cls.objects.filter(topics=topic)

    def social_card_text(self):
        topic = (
            listed(TopicIndexPage.objects.filter(case_studies__pk=self.pk))
            .order_by("path")
            .values_list("title", flat=True)
            .first()
        )
        meta = f"Case study · {self.sector}" if self.sector else "Case study"
        return CardText(self.title, topic or self.client or "Case study", meta, site_name(self))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topics, related = cached_chrome(
            f"case-study:{self.pk}:related",
            lambda: (topics := self.live_topics(), self.related_articles(topics)),
        )
        context["topics"] = topics
        context["related_articles"] = related
        return context
