"""Counting Book a call submissions by the page they came from and by week or month, and the
geometry of the chart (`consultancy_site.visitor_source` records where each came from)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from wagtail.models import Page

from case_studies.models import CaseStudyPage
from consultancy_site.delivery.site_paths import relative_url
from topics.models import ArticlePage, TopicIndexPage

ARTICLE, TOPIC, CASE_STUDY, OTHER, UNKNOWN = (
    "Article",
    "Topic",
    "Case study",
    "Other page",
    "Unknown",
)


# --- Counting ----------------------------------------------------------------------------------


def kind_of(page):
    """What sort of page a source is, as the conversions report names it."""
    if page is None:
        return UNKNOWN
    model = page.specific_class
    if model is None:
        return OTHER
    for page_type, kind in (
        (ArticlePage, ARTICLE),
        (TopicIndexPage, TOPIC),
        (CaseStudyPage, CASE_STUDY),
    ):
        if issubclass(model, page_type):
            return kind
    return OTHER


@dataclass
class SourceRow:
    """One line of the report: a source page (or an unknown source) and its submissions."""

    label: str
    kind: str
    path: str
    count: int
    share: str = ""
    page: Page | None = None

    @property
    def page_id(self):
        return self.page.pk if self.page else None


def counts_by_source(submissions):
    """SourceRows for `submissions`, most submissions first.

    Submissions whose page has since been deleted are counted under the path they came from;
    those without any source under one "Unknown" line.
    """
    grouped = submissions.values("source_page_id", "source_path").annotate(count=Count("pk"))
    by_page, by_path = {}, {}
    for row in grouped:
        if row["source_page_id"] is not None:
            by_page[row["source_page_id"]] = by_page.get(row["source_page_id"], 0) + row["count"]
        else:
            path = row["source_path"]
            by_path[path] = by_path.get(path, 0) + row["count"]
    pages = Page.objects.in_bulk(list(by_page))
    rows = []
    for pk, count in by_page.items():
        page = pages.get(pk)
        path = (relative_url(page.url_path) or "") if page else ""
        rows.append(SourceRow(page.title, kind_of(page), path, count, page=page))
    for path, count in by_path.items():
        label = f"Deleted page ({path})" if path else "No source recorded"
        rows.append(SourceRow(label, UNKNOWN, path, count))
    total = sum(row.count for row in rows)
    for row in rows:
        row.share = f"{round(100 * row.count / total)}%"
    return sorted(rows, key=lambda row: (-row.count, row.kind == UNKNOWN, row.label.lower()))


@dataclass
class Period:
    start: datetime.date
    label: str
    count: int


def period_starts(since, today, by):
    """The first day of every week (Monday) or month from the one holding `since` to today's."""
    if by == "week":
        start = since - datetime.timedelta(days=since.weekday())
        while start <= today:
            yield start
            start += datetime.timedelta(days=7)
    else:
        start = since.replace(day=1)
        while start <= today:
            yield start
            start = (start + datetime.timedelta(days=32)).replace(day=1)


def period_label(start, by):
    return f"Week of {start.day} {start:%b %Y}" if by == "week" else f"{start:%B %Y}"


def counts_by_period(submissions, since, by, now=None):
    """Submissions per week or month from `since` to now, empty periods included (as 0)."""
    now = now or timezone.now()
    truncate = TruncWeek if by == "week" else TruncMonth
    counted = {
        timezone.localtime(row["period"]).date(): row["count"]
        for row in submissions.annotate(period=truncate("submit_time"))
        .values("period")
        .annotate(count=Count("pk"))
        .order_by("period")
    }
    return [
        Period(start, period_label(start, by), counted.get(start, 0))
        for start in period_starts(timezone.localdate(since), timezone.localdate(now), by)
    ]


# --- The chart ---------------------------------------------------------------------------------


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    period: Period
    show_label: bool
    label_x: float  # the middle of the bar
    count_y: float  # just above the bar


CHART_WIDTH = 720
CHART_HEIGHT = 240
PLOT_TOP = 16
PLOT_BOTTOM = 200  # below: the period labels
PLOT_LEFT = 40  # left: the scale
MAX_LABELS = 14  # period labels under the bars; with more bars, every second, third...


def bars(periods):
    """Geometry for an SVG bar per period, scaled to the busiest one."""
    if not periods:
        return [], 0
    highest = max(period.count for period in periods)
    slot = (CHART_WIDTH - PLOT_LEFT) / len(periods)
    label_every = -(-len(periods) // MAX_LABELS)  # ceiling division
    plot_height = PLOT_BOTTOM - PLOT_TOP
    drawn = []
    for index, period in enumerate(periods):
        height = plot_height * period.count / highest if highest else 0
        x = PLOT_LEFT + index * slot + slot * 0.15
        drawn.append(
            Bar(
                x=round(x, 1),
                y=round(PLOT_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                period=period,
                show_label=index % label_every == 0,
                label_x=round(x + slot * 0.35, 1),
                count_y=round(PLOT_BOTTOM - height - 4, 1),
            )
        )
    return drawn, highest
