"""Site-wide page types that belong to no section, and the site settings."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from consultancy_site.cache import CachedViewRestrictionsMixin, cached_chrome
from consultancy_site.conversions import CAME_FROM_FIELD, CAME_FROM_LABEL, path_of, visitor_source
from consultancy_site.forms import ContactFormBuilder
from consultancy_site.listing import listed
from topics.blocks import BodyBlock
from topics.models import TopicIndexPage, latest_articles

logger = logging.getLogger(__name__)


class HomePage(CachedViewRestrictionsMixin, Page):
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

    def route(self, request, path_components):
        """Find the page at a URL with one query for the whole path, not two per level.

        Wagtail's route() walks down one level at a time (find the child, then its specific
        form). Here every page on the way comes back in one query by slug and depth; only the
        deepest one is fetched in its specific form, along with what its template needs
        (`route_select_related`). Anything the deepest page does not consume (a routable
        page's sub-route, or a missing page) is left to its own route().
        """
        if not path_components:
            return super().route(request, path_components)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            page, consumed = self.deepest_page(path_components)
        else:
            # A reader's request: the page at an exact page URL comes from the chrome cache,
            # which every publish, unpublish, move, rename and privacy change invalidates.
            # Sub-routes and missing pages are not kept, so made-up URLs cannot fill it.
            page, consumed = cached_chrome(
                f"route:{self.pk}:{'/'.join(path_components)}",
                lambda: self.deepest_page(path_components),
                keep=lambda found: found[1] == len(path_components),
            )
        return page.route(request, path_components[consumed:])

    def deepest_page(self, path_components):
        """The deepest page along the path, in its specific form, and how many components it
        took; Http404 when not even the first is a page."""
        # Slugs are indexed (url_path is not): every candidate page in one query, then the
        # chain is the one whose each page is the child of the one before.
        candidates = {
            (page.path[: -Page.steplen], page.slug): page
            for page in Page.objects.filter(
                slug__in=set(path_components),
                depth__gt=self.depth,
                depth__lte=self.depth + len(path_components),
                path__startswith=self.path,
            )
        }
        chain, parent_path = [], self.path
        for component in path_components:
            page = candidates.get((parent_path, component))
            if page is None:
                break
            chain.append(page)
            parent_path = page.path
        if not chain:
            raise Http404
        deepest = chain[-1]
        model = deepest.specific_class
        if model is None:
            raise Http404
        pages = model.objects.all()
        if related := getattr(model, "route_select_related", None):
            pages = pages.select_related(*related)
        page = pages.get(pk=deepest.pk)
        # The breadcrumb and JSON-LD need the ancestors: they came with the same query.
        page._seo_ancestors = [self, *chain[:-1]]
        return page, len(chain)

    def featured(self):
        from case_studies.models import CaseStudyPage

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


class HomeFeaturedCaseStudy(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_case_studies")
    case_study = models.ForeignKey(
        "case_studies.CaseStudyPage", on_delete=models.CASCADE, related_name="home_features"
    )

    panels = [FieldPanel("case_study")]


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
    """A service on offer; what the topic hubs' "Want this kind of work?" links to."""

    summary = models.TextField(max_length=500, help_text="One or two sentences under the title.")
    body = StreamField(BodyBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["consultancy_site.ServiceIndexPage"]
    subpage_types = []


class BookACallFormField(AbstractFormField):
    page = ParentalKey("BookACallPage", on_delete=models.CASCADE, related_name="form_fields")


class BookACallSubmission(AbstractFormSubmission):
    """A Book a call submission and the page the visitor came from (for the conversions report)."""

    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The article, hub or case study whose call to action led here.",
    )
    source_path = models.CharField(
        max_length=255, blank=True, help_text="The path the visitor came from, as it was then."
    )

    def get_data(self):
        # Wagtail's submissions listing and its CSV show every key of get_data_fields().
        return {**super().get_data(), CAME_FROM_FIELD: self.source_path}


class BookACallPage(CachedViewRestrictionsMixin, AbstractEmailForm):
    """The contact form: every submission is stored, then emailed to the site owner."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text="Shown after a submission."
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="Email",
        ),
    ]

    parent_page_types = ["consultancy_site.HomePage"]
    subpage_types = []
    max_count = 1

    form_builder = ContactFormBuilder
    # Submissions per address in the window before the form answers 429 Too Many Requests.
    submissions_per_address = 5
    submission_window_seconds = 600

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            key = f"book-a-call:{request.META.get('REMOTE_ADDR', '')}"
            try:
                recent = cache.get_or_set(key, 0, self.submission_window_seconds)
                cache.incr(key)
            except (ValueError, Exception):  # noqa: BLE001 (no cache: no limit, never an error)
                recent = 0
            if recent >= self.submissions_per_address:
                response = TemplateResponse(
                    request,
                    "consultancy_site/book_a_call_page_limited.html",
                    self.get_context(request),
                    status=429,
                )
                response["Retry-After"] = str(self.submission_window_seconds)
                return response
        else:
            # Kept in the form's hidden field: by the time it is posted, the Referer is this page.
            self.visitor_source = visitor_source(request, self)
        return super().serve(request, *args, **kwargs)

    def get_form_parameters(self):
        parameters = super().get_form_parameters()
        if source := getattr(self, "visitor_source", None):
            parameters["initial"] = {CAME_FROM_FIELD: source.pk}
        return parameters

    def get_data_fields(self):
        return [*super().get_data_fields(), (CAME_FROM_FIELD, CAME_FROM_LABEL)]

    def get_submission_class(self):
        return BookACallSubmission

    def process_form_submission(self, form):
        if form.is_spam():
            return None  # dropped quietly: the bot is thanked like anyone else
        # The source has columns of its own, not a place among what the visitor typed.
        source = form.cleaned_data.pop(CAME_FROM_FIELD, None)
        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data,
            page=self,
            source_page=source,
            source_path=path_of(source),
        )
        form.source_path = submission.source_path
        if self.to_address:
            self.send_mail(form)
        return submission

    def render_email(self, form):
        text = super().render_email(form)
        if source_path := getattr(form, "source_path", ""):
            text += f"\n{CAME_FROM_LABEL}: {source_path}"
        return text

    def send_mail(self, form):
        # The submission is already stored: a mail server that is down must not lose it
        # or show the visitor an error. The failure is logged for the site owner.
        try:
            super().send_mail(form)
        except Exception:
            logger.exception("Could not email the Book a call submission of page %s", self.pk)


class ChromeCachedSetting(BaseSiteSetting):
    """Site settings read from the chrome cache: no query per request once warm."""

    @classmethod
    def for_site(cls, site):
        load = super().for_site
        return cached_chrome(f"setting:{cls._meta.label_lower}:{site.pk}", lambda: load(site))

    class Meta:
        abstract = True


@register_setting(icon="calendar")
class CallToActionSettings(ChromeCachedSetting):
    """The calls to action at the foot of hubs and articles, editable without a deploy."""

    select_related = ["book_call_page"]

    service_prompt = models.CharField(
        max_length=120,
        default="Want this kind of work in your shop?",
        help_text="Shown above the link to a hub's service page.",
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


class ReviewLink(models.Model):
    """An expiring, revocable link that shows a page's latest draft to someone without an account.

    Only a hash of the token is kept: the link itself is shown once, when it is made.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="review_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    reviewer = models.CharField(
        max_length=120, help_text="Who the link is for, e.g. 'Jane at Acme (client)'."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Review link for {self.reviewer}"


class ReviewLinkView(models.Model):
    """One visit through a review link: when, and which revision the reviewer saw."""

    link = models.ForeignKey(ReviewLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.link} viewed {self.viewed_at:%Y-%m-%d %H:%M}"


class SocialCard(models.Model):
    """The Open Graph image drawn for an article or case study; redrawn when what it shows changes."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="social_card"
    )
    image = models.ImageField(upload_to="social-cards/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    # A hash of everything drawn (title, topic, reading time, design version).
    fingerprint = models.CharField(max_length=64)
    drawn_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Social card of page {self.page_id}"
