import datetime

from django import forms
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from consultancy_site.cache import CachedViewRestrictionsMixin, cached_chrome
from consultancy_site.listing import cached_listing, listed
from consultancy_site.permissions import AuthoredPageMixin, StructuralPageMixin
from consultancy_site.social_cards import SocialCardPanel
from topics.blocks import BodyBlock
from topics.forms import DatedPageForm
from topics.models import ArticlePage, TopicIndexPage, attach_topics

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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["case_studies"] = cached_listing(
            f"case-study-index:{self.pk}",
            listed(CaseStudyPage.objects.child_of(self))
            .order_by("-date", "-pk")
            .defer_streamfields(),
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
        help_text="Topic hubs this work belongs to; they list it unless they pick their own.",
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
    # The share image comes with the routing query (consultancy_site.social_cards).
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
            .order_by("-date", "-first_published_at", "-pk")
            .defer_streamfields()[: self.related_article_count]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topics, related = cached_chrome(
            f"case-study:{self.pk}:related",
            lambda: (topics := self.live_topics(), self.related_articles(topics)),
        )
        context["topics"] = topics
        context["related_articles"] = related
        return context
