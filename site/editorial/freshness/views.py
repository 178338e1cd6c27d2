"""The "Articles due for review" report and its dashboard panel (editors only)."""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn, UserColumn
from wagtail.admin.views.reports import ReportView

from consultancy_site.editorial.reports import RestrictedReportMixin
from consultancy_site.permissions import is_editor
from topics.models import ArticlePage, TopicIndexPage, attach_topics

from .due import DEFAULT_MONTHS, MAX_MONTHS, due_for_review


class MonthsFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def topic_choices():
    topics = TopicIndexPage.objects.order_by("title").values_list("pk", "title")
    return [(str(pk), title) for pk, title in topics]


class ArticlesDueForReviewFilterSet(WagtailFilterSet):
    # Applied by the view (it decides which articles are due at all), not as a filter.
    months = MonthsFilter(
        label="Not reviewed for (months)",
        method="leave_to_view",
        min_value=1,
        max_value=MAX_MONTHS,
        initial=DEFAULT_MONTHS,
        help_text=f"Between 1 and {MAX_MONTHS}; articles never reviewed count from publication.",
    )
    # Choices, not a model lookup: a value that is no topic's id never reaches the database.
    topic = django_filters.ChoiceFilter(
        label="Topic", choices=topic_choices, method="filter_topic", empty_label="All topics"
    )

    class Meta:
        model = ArticlePage
        fields = []

    def leave_to_view(self, queryset, name, value):
        return queryset

    def filter_topic(self, queryset, name, value):
        topic = TopicIndexPage.objects.get(pk=value)  # one of the choices
        return queryset.child_of(topic)


def last_reviewed_text(article):
    if article.last_reviewed:
        return date_format(article.last_reviewed, "j M Y")
    return f"Never (published {date_format(article.date, 'j M Y')})"


class ArticlesDueForReviewView(RestrictedReportMixin, ReportView):
    refused_message = "Articles due for review is a report for editors."
    page_title = "Articles due for review"
    header_icon = "calendar-check"
    results_template_name = "freshness/articles_due_for_review_results.html"
    index_url_name = "articles_due_for_review"
    index_results_url_name = "articles_due_for_review_results"
    filterset_class = ArticlesDueForReviewFilterSet
    model = ArticlePage
    default_ordering = "reviewed_on"
    columns = [
        TitleColumn("title", label="Title", url_name="wagtailadmin_pages:edit", sort_key="title"),
        Column("topic", label="Topic", accessor="topic_title"),
        Column(
            "last_reviewed",
            label="Last reviewed",
            accessor=last_reviewed_text,
            sort_key="reviewed_on",
        ),
        Column("applies_to", label="Applies to"),
        UserColumn("owner", label="Author", blank_display_name="—"),
    ]
    list_export = [
        "title",
        "topic_title",
        "last_reviewed",
        "date",
        "applies_to",
        "author",
        "live_url",
    ]
    export_headings = {
        "title": "Title",
        "topic_title": "Topic",
        "last_reviewed": "Last reviewed",
        "date": "Published",
        "applies_to": "Applies to",
        "author": "Author",
        "live_url": "URL",
    }

    def user_may_view(self, user):
        return is_editor(user)

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        data = kwargs["data"].copy()
        if not data.get("months"):
            data["months"] = str(DEFAULT_MONTHS)
        kwargs["data"] = data
        return kwargs

    @cached_property
    def months(self):
        """The months asked for, or the default when the value is not a valid number."""
        self.filters.is_valid()
        return self.filters.form.cleaned_data.get("months") or DEFAULT_MONTHS

    @cached_property
    def months_error(self):
        self.filters.is_valid()
        errors = self.filters.form.errors.get("months")
        return errors[0] if errors else ""

    def get_base_queryset(self):
        return due_for_review(self.months).select_related("owner")

    def order_queryset(self, queryset):
        ordered = super().order_queryset(queryset)
        return ordered.order_by(*ordered.query.order_by, "title", "pk")

    def filter_queryset(self, queryset):
        # Fields with valid values are applied even when another one is not (the default for
        # months, the topic as chosen): a mistake in one never lists every article.
        self.filters.is_valid()
        return self.filters.filter_queryset(queryset)

    def decorate_paginated_queryset(self, object_list):
        articles = attach_topics(object_list)
        for article in articles:
            article.topic_title = article.topic.title if article.topic else ""
            owner = article.owner
            article.author = (owner.get_full_name() or owner.get_username()) if owner else ""
            article.live_url = article.full_url or ""
        return articles

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["months"] = self.months
        context["months_error"] = self.months_error
        return context

    def get_filename(self):
        return f"articles-due-for-review-{self.months}-months"


def articles_due_count():
    return due_for_review(DEFAULT_MONTHS).count()


class ArticlesDueForReviewPanel(Component):
    """On the dashboard: how many articles wait for a review, and the way to the report."""

    name = "articles_due_for_review"
    template_name = "freshness/articles_due_for_review_panel.html"
    order = 240  # after the pages awaiting review, before recent edits

    def get_context_data(self, parent_context):
        return {
            "count": articles_due_count(),
            "months": DEFAULT_MONTHS,
            "report_url": reverse("articles_due_for_review"),
        }
