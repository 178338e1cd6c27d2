"""Book a call conversions: every submission records the page the visitor came from (links carry
?from=<page id>, else a same-host Referer), hostile values are dropped, never an error, and the
"Book a call conversions" report counts submissions per source page and per period, for those
who may read submissions only."""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Page, Site

from consultancy_site.models import BookACallSubmission
from tests.factories import (
    ArticlePageFactory,
    CaseStudyPageFactory,
    logged_in,
)
from tests.html import visible_text

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/book-a-call-conversions/"
RESULTS = "/admin/reports/book-a-call-conversions/results/"
VALID = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "company": "Analytical Engines Ltd",
    "message": "Our nightly feature pipeline misses its window.",
}


@pytest.fixture
def pages(site_tree):
    # As on the demo site: Book a call is in the main navigation.
    site_tree.book_a_call.show_in_menus = True
    site_tree.book_a_call.save_revision().publish()
    article = ArticlePageFactory(parent=site_tree.topic, title="Feature pipelines")
    case_study = CaseStudyPageFactory(parent=site_tree.case_studies, title="Bank automation")
    case_study.topics.add(site_tree.topic)
    case_study.save_revision().publish()
    return {"article": article, "case_study": case_study, "topic": site_tree.topic}


def book_a_call_links(html, form_url):
    return re.findall(rf'href="({re.escape(form_url)}[^"]*)"', html)


def hidden_source(html):
    match = re.search(r'<input type="hidden" name="came_from"(?: value="([^"]*)")?', html)
    assert match, "the form has no hidden came_from field"
    return match.group(1) or ""


def submit(client, page, came_from, address="192.0.2.1", **headers):
    # Each test visitor from an address of their own: the form allows 5 per address.
    data = {**VALID, "came_from": came_from}
    response = client.post(page.url, data, headers=headers, REMOTE_ADDR=address)
    assert response.status_code == 200
    assert "Thank you" in visible_text(response.content.decode())
    return BookACallSubmission.objects.latest("pk")


# --- Links carry their page ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["article", "topic", "case_study"])
def test_every_link_to_book_a_call_on_the_page_carries_its_id(client, site_tree, pages, name):
    page = pages[name]
    links = book_a_call_links(client.get(page.url).content.decode(), site_tree.book_a_call.url)

    # The call to action, and the Book a call item of the main navigation.
    assert len(links) == 2
    assert set(links) == {f"{site_tree.book_a_call.url}?from={page.pk}"}


def test_submission_from_an_articles_call_to_action_records_the_article(client, site_tree, pages):
    article = pages["article"]
    html = client.get(article.url).content.decode()
    cta = re.search(r'class="cta cta--book".*?href="([^"]+)"', html, re.S).group(1)

    form_html = client.get(cta).content.decode()
    assert hidden_source(form_html) == str(article.pk)
    assert "Came from" not in visible_text(form_html)  # hidden, no label shown

    submission = submit(client, site_tree.book_a_call, hidden_source(form_html))

    assert submission.source_page_id == article.pk
    assert submission.source_path == article.url
    assert "came_from" not in submission.form_data  # what the visitor typed stays apart
    assert f"Came from: {article.url}" in mail.outbox[-1].body


def test_a_case_study_id_is_recorded_as_that_case_study(client, site_tree, pages):
    case_study = pages["case_study"]
    submission = submit(client, site_tree.book_a_call, str(case_study.pk))
    assert submission.source_page_id == case_study.pk
    assert submission.source_path == case_study.url


@pytest.fixture
def hostile(site_tree, pages):
    """Values a visitor could put in ?from= or the hidden field, none naming a page to record."""
    unpublished = ArticlePageFactory(parent=site_tree.topic, title="Unpublished")
    unpublished.unpublish()
    draft = ArticlePageFactory(parent=site_tree.topic, title="Draft", live=False)
    other_root = Page.get_first_root_node().add_child(
        instance=Page(title="Other site", slug="other-site")
    )
    Site.objects.create(hostname="other.example", root_page=other_root)
    other_page = other_root.add_child(instance=Page(title="Other page", slug="other-page"))
    return [
        "",
        "abc",
        "<script>alert(1)</script>",
        '" onmouseover="alert(1)',
        "-1",
        "0",
        "1.5",
        "1e3",
        "٣",  # a digit, but not an ASCII one
        "99999999999999999999",
        str(2**31),
        "9" * 5000,
        str(unpublished.pk),
        str(draft.pk),
        str(other_page.pk),
        str(site_tree.book_a_call.pk),  # the form itself is no source
        str(Page.get_first_root_node().pk),  # nor the tree's root, on no site
    ]


def test_hostile_from_values_are_ignored_when_the_form_is_shown(client, site_tree, hostile):
    for value in hostile:
        response = client.get(site_tree.book_a_call.url, {"from": value})
        assert response.status_code == 200, value
        html = response.content.decode()
        assert hidden_source(html) == "", value
        assert "alert(1)" not in html


def test_hostile_posted_sources_are_ignored_and_the_submission_kept(client, site_tree, hostile):
    for number, value in enumerate(hostile):
        submission = submit(client, site_tree.book_a_call, value, address=f"192.0.2.{number}")
        assert submission.source_page is None, value
        assert submission.source_path == "", value
        assert submission.form_data["email"] == VALID["email"]
    assert BookACallSubmission.objects.count() == len(hostile)


def test_without_from_a_same_host_referer_names_the_source(client, site_tree, pages):
    article = pages["article"]
    response = client.get(
        site_tree.book_a_call.url, headers={"referer": f"http://testserver{article.url}?page=2"}
    )
    assert hidden_source(response.content.decode()) == str(article.pk)

    home = client.get(site_tree.book_a_call.url, headers={"referer": "http://testserver/"})
    assert hidden_source(home.content.decode()) == str(site_tree.home.pk)


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/writing/data-engineering/",
        "http://testserver.evil.example/writing/data-engineering/",
        "http://testserver/no-such-page/",
        "http://testserver/writing/data-engineering/../data-engineering/",
        "http://testserver/book-a-call/",
        "http://[::1/writing/",
        "not a url at all",
        "//testserver/writing/data-engineering/" + "x/" * 2000,
    ],
)
def test_other_hosts_and_unknown_referers_name_no_source(client, site_tree, pages, referer):
    response = client.get(site_tree.book_a_call.url, headers={"referer": referer})
    assert response.status_code == 200
    assert hidden_source(response.content.decode()) == ""


def test_from_wins_over_the_referer(client, site_tree, pages):
    response = client.get(
        site_tree.book_a_call.url,
        {"from": pages["case_study"].pk},
        headers={"referer": f"http://testserver{pages['article'].url}"},
    )
    assert hidden_source(response.content.decode()) == str(pages["case_study"].pk)


def test_a_page_deleted_after_the_submission_keeps_its_path(client, site_tree, pages):
    article = pages["article"]
    submission = submit(client, site_tree.book_a_call, str(article.pk))
    article.delete()
    submission.refresh_from_db()
    assert submission.source_page is None
    assert submission.source_path == f"/writing/data-engineering/{article.slug}/"


# --- Wagtail's own submissions listing ----------------------------------------------------------


def test_wagtails_submission_listing_and_csv_show_the_source(client, site_tree, pages, editor):
    submit(client, site_tree.book_a_call, str(pages["article"].pk))
    submit(client, site_tree.book_a_call, "")
    url = f"/admin/forms/submissions/{site_tree.book_a_call.pk}/"
    admin = logged_in(editor)

    listing = admin.get(url)
    assert listing.status_code == 200
    text = visible_text(listing.content.decode())
    for heading in ["Submission date", "Name", "Email", "Company", "Message", "Came from"]:
        assert heading in text
    assert pages["article"].url in text and "ada@example.com" in text

    export = admin.get(url, {"export": "csv"})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == ["Submission date", "Name", "Email", "Company", "Message", "Came from"]
    assert [row[-1] for row in rows[1:]] == [pages["article"].url, ""]  # oldest first
    assert rows[1][2] == "ada@example.com"

    assert admin.get(url, {"export": "xlsx"}).status_code == 200


# --- The report ---------------------------------------------------------------------------------


def record(page, source, days_ago, now):
    submission = BookACallSubmission.objects.create(
        page=page,
        form_data={"name": "Test", "email": "test@example.com"},
        source_page=source,
        source_path=source.url if source else "",
    )
    submit_time = now - datetime.timedelta(days=days_ago)
    BookACallSubmission.objects.filter(pk=submission.pk).update(submit_time=submit_time)
    return submit_time


@pytest.fixture
def recorded(site_tree, pages):
    """Twelve submissions over the last year, from five kinds of source (one page now deleted)."""
    now = timezone.now()
    form = site_tree.book_a_call
    gone = ArticlePageFactory(parent=site_tree.topic, title="Gone article", slug="gone-article")
    plan = [
        (pages["article"], [1, 3, 12, 40]),
        (pages["topic"], [2, 60]),
        (pages["case_study"], [5, 200]),
        (site_tree.home, [20]),
        (None, [8, 300]),
        (gone, [15]),
    ]
    times = [record(form, source, days, now) for source, days_list in plan for days in days_list]
    gone.delete()
    return times


def monday(day):
    return day - datetime.timedelta(days=day.weekday())


def report(client, **params):
    response = client.get(REPORT, params)
    assert response.status_code == 200
    return response.content.decode()


def source_rows(html):
    """(source, type, submissions) per row of the per-source table, top to bottom."""
    table = html.split("By source page", 1)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    cells = [[visible_text(cell) for cell in re.findall(r"<td.*?</td>", row, re.S)] for row in rows]
    return [(cells[0], cells[1], int(cells[3])) for cells in cells if cells]


def period_rows(html):
    table = html.split('id="conversions-per-period"', 1)[1].split("</table>", 1)[0]
    return [
        (visible_text(label), int(count))
        for label, count in re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td></tr>", table)
    ]


def chart_bars(html):
    return [
        int(count)
        for count in re.findall(r'class="conversions-chart__bar"[^>]*data-count="(\d+)"', html)
    ]


def test_report_counts_submissions_per_source_page_most_first(editor, recorded):
    html = report(logged_in(editor), period="90")

    assert source_rows(html) == [
        ("Feature pipelines", "Article", 4),
        ("Data Engineering", "Topic", 2),
        ("Bank automation", "Case study", 1),
        ("Home", "Other page", 1),
        ("Deleted page (/writing/data-engineering/gone-article/)", "Unknown", 1),
        ("No source recorded", "Unknown", 1),
    ]
    assert "10 submissions in the last 90 days" in visible_text(html)


def test_report_period_filter_changes_what_is_counted(editor, recorded):
    client = logged_in(editor)
    assert "8 submissions in the last 30 days" in visible_text(report(client, period="30"))
    assert "12 submissions in the last 365 days" in visible_text(report(client, period="365"))
    assert source_rows(report(client, period="30"))[0] == ("Feature pipelines", "Article", 3)


def test_report_chart_has_a_bar_per_week_with_the_tables_numbers(editor, recorded):
    html = report(logged_in(editor), period="90", by="week")
    today = timezone.localdate()
    since = timezone.localdate(timezone.now() - datetime.timedelta(days=90))
    weeks = (monday(today) - monday(since)).days // 7 + 1
    expected = {}
    for time in recorded:
        if timezone.localdate(time) >= since:
            week = monday(timezone.localdate(time))
            expected[week] = expected.get(week, 0) + 1

    rows = period_rows(html)
    assert len(rows) == weeks
    assert len(chart_bars(html)) == weeks
    assert chart_bars(html) == [count for _label, count in rows]
    assert sum(chart_bars(html)) == 10
    assert {label: count for label, count in rows if count} == {
        f"Week of {week.day} {week:%b %Y}": count for week, count in expected.items()
    }
    # Accessible: the chart names itself, and says where its numbers are.
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert (
        '<title id="conversions-chart-title">Book a call submissions per week, last 90 days</title>'
        in html
    )


def test_report_chart_by_month_over_a_year(editor, recorded):
    html = report(logged_in(editor), period="365", by="month")
    today = timezone.localdate()
    since = timezone.localdate(timezone.now() - datetime.timedelta(days=365))
    months = (today.year - since.year) * 12 + today.month - since.month + 1

    rows = period_rows(html)
    assert len(rows) == len(chart_bars(html)) == months
    assert rows[-1][0] == f"{today:%B %Y}"
    assert sum(count for _label, count in rows) == 12
    expected_this_month = sum(
        1 for time in recorded if timezone.localdate(time).replace(day=1) == today.replace(day=1)
    )
    assert rows[-1][1] == expected_this_month
    # The tallest bar is the busiest month, drawn to the full height.
    heights = [
        float(h) for h in re.findall(r'class="conversions-chart__bar"[^>]*height="([\d.]+)"', html)
    ]
    assert heights[[count for _l, count in rows].index(max(c for _l, c in rows))] == max(heights)


@pytest.mark.parametrize(
    "params", [{"period": "7"}, {"by": "year"}, {"period": "<b>x</b>", "by": "1"}]
)
def test_bad_period_or_grouping_shows_an_error_and_the_defaults(editor, recorded, params):
    html = report(logged_in(editor), **params)
    text = visible_text(html)
    assert "Showing the default instead." in text
    assert "10 submissions in the last 90 days" in text
    assert "<b>x</b>" not in html


def test_report_with_no_submissions_says_so(editor, site_tree):
    html = report(logged_in(editor))
    text = visible_text(html)
    assert "0 submissions in the last 90 days" in text
    assert "No Book a call submissions in the last 90 days." in text
    assert set(chart_bars(html)) == {0}


def test_report_exports_csv_per_source(editor, recorded, pages):
    response = logged_in(editor).get(REPORT, {"period": "365", "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == {
        "Source page": "Feature pipelines",
        "Page type": "Article",
        "Path": pages["article"].url,
        "Submissions": "4",
        "Share": "33%",
    }
    assert sum(int(row["Submissions"]) for row in rows) == 12


# --- Who sees it --------------------------------------------------------------------------------


def test_authors_get_403_and_no_menu_item(author, recorded):
    client = logged_in(author)
    for url in [REPORT, RESULTS, REPORT + "?export=csv"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Feature pipelines" not in response.content.decode()
    assert "Book a call conversions" not in client.get("/admin/").content.decode()


def test_editors_and_superusers_see_the_report_and_its_menu_item(
    editor, recorded, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    for user in (editor, admin):
        client = logged_in(user)
        assert "Book a call conversions" in client.get("/admin/").content.decode()
        assert REPORT in client.get("/admin/").content.decode()
        assert client.get(REPORT).status_code == 200
        assert client.get(RESULTS).status_code == 200
