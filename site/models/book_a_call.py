"""Book a call: the contact form, its submissions, and the page each visitor came from."""

import logging

from django.core.cache import cache
from django.db import models
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from consultancy_site.delivery.privacy import CachedViewRestrictionsMixin
from consultancy_site.forms import ContactFormBuilder
from consultancy_site.visitor_source import (
    CAME_FROM_FIELD,
    CAME_FROM_LABEL,
    path_of,
    visitor_source,
)

logger = logging.getLogger(__name__)


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
        help_text="The article, topic or case study whose call to action led here.",
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
