"""The "Book a call conversions" report (who may read form submissions, nobody else)."""

import datetime

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.forms.utils import get_forms_for_user

from consultancy_site.editorial.reports import RestrictedReportMixin
from consultancy_site.models import BookACallPage, BookACallSubmission

from .counting import (
    CHART_HEIGHT,
    CHART_WIDTH,
    PLOT_BOTTOM,
    PLOT_LEFT,
    PLOT_TOP,
    bars,
    counts_by_period,
    counts_by_source,
)

PERIODS = [("30", "Last 30 days"), ("90", "Last 90 days"), ("365", "Last 365 days")]
GROUPINGS = [("week", "By week"), ("month", "By month")]
DEFAULTS = {"period": "90", "by": "week"}


def book_a_call_pages_for(user):
    """The Book a call pages whose submissions `user` may read (as Wagtail's forms area decides)."""
    return get_forms_for_user(user).type(BookACallPage)


class ConversionsFilterSet(WagtailFilterSet):
    # Both shape the whole report, so the view reads them; they filter nothing themselves.
    period = django_filters.ChoiceFilter(
        label="Period",
        choices=PERIODS,
        method="leave_to_view",
        empty_label=None,
        initial=DEFAULTS["period"],
    )
    by = django_filters.ChoiceFilter(
        label="Chart",
        choices=GROUPINGS,
        method="leave_to_view",
        empty_label=None,
        initial=DEFAULTS["by"],
    )

    class Meta:
        model = BookACallSubmission
        fields = []

    def leave_to_view(self, queryset, name, value):
        return queryset


def edit_url(row):
    return reverse("wagtailadmin_pages:edit", args=[row.page_id]) if row.page_id else None


class ConversionsReportView(RestrictedReportMixin, ReportView):
    refused_message = "Conversions are for those who may read Book a call submissions: editors."
    page_title = "Book a call conversions"
    header_icon = "form"
    results_template_name = "conversions/conversions_results.html"
    index_url_name = "book_a_call_conversions"
    index_results_url_name = "book_a_call_conversions_results"
    filterset_class = ConversionsFilterSet
    model = BookACallSubmission
    columns = [
        TitleColumn("label", label="Source page", get_url=edit_url),
        Column("kind", label="Page type"),
        Column("path", label="Path"),
        NumberColumn("count", label="Submissions"),
        Column("share", label="Share"),
    ]
    list_export = ["label", "kind", "path", "count", "share"]
    export_headings = {
        "label": "Source page",
        "kind": "Page type",
        "path": "Path",
        "count": "Submissions",
        "share": "Share",
    }

    def user_may_view(self, user):
        return book_a_call_pages_for(user).exists()

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        data = kwargs["data"].copy()
        for name, default in DEFAULTS.items():
            if not data.get(name):
                data[name] = default
        kwargs["data"] = data
        return kwargs

    def choice(self, name):
        """The value asked for, or the default when it is not one of the choices."""
        self.filters.is_valid()
        return self.filters.form.cleaned_data.get(name) or DEFAULTS[name]

    @cached_property
    def is_filtering(self):
        # The filters choose what the report covers, they do not narrow a list down to "matches".
        return False

    @cached_property
    def days(self):
        return int(self.choice("period"))

    @cached_property
    def by(self):
        return self.choice("by")

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def since(self):
        return self.now - datetime.timedelta(days=self.days)

    @cached_property
    def submissions(self):
        return BookACallSubmission.objects.filter(
            page__in=book_a_call_pages_for(self.request.user).values("pk"),
            submit_time__gte=self.since,
            submit_time__lte=self.now,
        )

    def get_queryset(self):
        # Rows per source page, most submissions first: a list, already in its final order.
        return counts_by_source(self.submissions)

    def get_filtered_queryset(self):
        return self.get_queryset()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        periods = counts_by_period(self.submissions, self.since, self.by, now=self.now)
        drawn, highest = bars(periods)
        busiest = max(periods, key=lambda period: period.count, default=None)
        unit = "week" if self.by == "week" else "month"
        context.update(
            {
                "periods": periods,
                "bars": drawn,
                "highest": highest,
                "busiest": busiest if highest else None,
                "total": sum(period.count for period in periods),
                "unit": unit,
                "period_label": dict(PERIODS)[str(self.days)].lower(),
                "errors": [
                    f"{self.filters.form.fields[name].label}: {errors[0]}"
                    for name, errors in self.filters.form.errors.items()
                ],
                "chart": {
                    "width": CHART_WIDTH,
                    "height": CHART_HEIGHT,
                    "top": PLOT_TOP,
                    "bottom": PLOT_BOTTOM,
                    "left": PLOT_LEFT,
                    "label_y": PLOT_BOTTOM + 18,
                },
            }
        )
        return context

    def get_filename(self):
        return f"book-a-call-conversions-last-{self.days}-days"
