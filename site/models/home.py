"""The home page: who writes here, the topics, the latest articles and featured case studies."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from case_studies.models import CaseStudyPage
from consultancy_site.delivery.chrome import cached_chrome
from consultancy_site.delivery.listing import listed
from consultancy_site.delivery.privacy import CachedViewRestrictionsMixin
from consultancy_site.delivery.routing import CachedRoutingMixin
from consultancy_site.delivery.showing import shows
from topics.models import TopicIndexPage, latest_articles


class HomePage(CachedRoutingMixin, CachedViewRestrictionsMixin, Page):
    headline = models.CharField(max_length=120, help_text="The big line at the top of the site.")
    intro = models.TextField(
        max_length=400, help_text="Who you are and what you do, in a sentence."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("headline"),
        FieldPanel("intro"),
        InlinePanel(
            "featured_case_studies",
            heading="Featured case studies",
            label="Case study",
            help_text="Shown on the home page in this order; none picked shows the latest two.",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "topics.WritingIndexPage",
        "case_studies.CaseStudyIndexPage",
        "consultancy_site.ServiceIndexPage",
        "consultancy_site.BookACallPage",
    ]
    max_count = 1

    latest_article_count = 5

    def newest_articles(self, limit):
        """For the site's feeds."""
        return latest_articles(limit)

    def featured(self):
        case_studies = listed(CaseStudyPage.objects.all()).defer_streamfields()
        picked = list(
            case_studies.filter(home_features__page=self).order_by("home_features__sort_order")
        )
        return picked or list(case_studies.order_by("-date")[:2])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = cached_chrome(
            "home:topics", lambda: list(listed(TopicIndexPage.objects.all()).order_by("path"))
        )
        context["latest_articles"] = cached_chrome(
            "home:latest", lambda: latest_articles(self.latest_article_count)
        )
        context["featured_case_studies"] = cached_chrome("home:featured", self.featured)
        return context

    @shows(
        "topics.TopicIndexPage",
        "topics.ArticlePage",
        "case_studies.CaseStudyPage",
        label="Home page",
    )
    def pages_showing(cls, page):
        """The home page of its site lists the topics, the latest articles and case studies."""
        return cls.objects.ancestor_of(page)


class HomeFeaturedCaseStudy(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_case_studies")
    case_study = models.ForeignKey(
        "case_studies.CaseStudyPage", on_delete=models.CASCADE, related_name="home_features"
    )

    panels = [FieldPanel("case_study")]
