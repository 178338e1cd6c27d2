"""The services on offer, which topic pages lead to."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from consultancy_site.delivery.listing import listed
from consultancy_site.delivery.privacy import CachedViewRestrictionsMixin
from topics.blocks import BodyBlock


class ServiceIndexPage(CachedViewRestrictionsMixin, Page):
    """/services/: the services on offer."""

    lede = models.TextField(blank=True, help_text="One or two sentences under the title.")

    content_panels = [*Page.content_panels, FieldPanel("lede")]

    parent_page_types = ["consultancy_site.HomePage"]
    subpage_types = ["consultancy_site.ServicePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = listed(ServicePage.objects.child_of(self)).defer_streamfields()
        return context


class ServicePage(CachedViewRestrictionsMixin, Page):
    """A service on offer; what topic pages' "Want this kind of work?" links to."""

    summary = models.TextField(max_length=500, help_text="One or two sentences under the title.")
    body = StreamField(BodyBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["consultancy_site.ServiceIndexPage"]
    subpage_types = []
