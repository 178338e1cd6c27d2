"""Site settings editors change without a deploy; each is read from the chrome cache."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import register_setting

from consultancy_site.delivery.site_settings import ChromeCachedSetting


@register_setting(icon="calendar")
class CallToActionSettings(ChromeCachedSetting):
    """The calls to action at the foot of topic pages and articles, editable without a deploy."""

    select_related = ["book_call_page"]

    service_prompt = models.CharField(
        max_length=120,
        default="Want this kind of work in your shop?",
        help_text="Shown above the link to a topic's service page.",
    )
    book_call_heading = models.CharField(max_length=120, default="Have a problem worth solving?")
    book_call_text = models.TextField(max_length=600, blank=True)
    book_call_link_text = models.CharField(max_length=60, default="Book a call")
    book_call_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where 'Book a call' leads; usually the Book a call form page.",
    )

    panels = [
        FieldPanel("service_prompt"),
        MultiFieldPanel(
            [
                FieldPanel("book_call_heading"),
                FieldPanel("book_call_text"),
                FieldPanel("book_call_link_text"),
                FieldPanel("book_call_page"),
            ],
            heading="Book a call",
        ),
    ]

    class Meta:
        verbose_name = "Calls to action"


@register_setting(icon="user")
class SiteIdentitySettings(ChromeCachedSetting):
    """Who writes here, as search engines and social networks are told."""

    select_related = ["default_share_image"]

    author_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="The consultant's name, credited as author of every article.",
    )
    default_share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when a page without images of its own is shared (1200×630 works best).",
    )

    panels = [FieldPanel("author_name"), FieldPanel("default_share_image")]

    class Meta:
        verbose_name = "Site identity"
