"""Admin wiring for the editorial reports: "Articles due for review" (with its dashboard panel)
and "Book a call conversions", both under Reports, each shown only to who may open it."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from topics.reports import ArticlesDueForReviewPanel, ArticlesDueForReviewView

from .permissions import is_editor
from .reports import ConversionsReportView, book_a_call_pages_for


class EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_editor(request.user)


class FormReadersMenuItem(MenuItem):
    def is_shown(self, request):
        return book_a_call_pages_for(request.user).exists()


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/articles-due-for-review/",
            ArticlesDueForReviewView.as_view(),
            name="articles_due_for_review",
        ),
        path(
            "reports/articles-due-for-review/results/",
            ArticlesDueForReviewView.as_view(results_only=True),
            name="articles_due_for_review_results",
        ),
        path(
            "reports/book-a-call-conversions/",
            ConversionsReportView.as_view(),
            name="book_a_call_conversions",
        ),
        path(
            "reports/book-a-call-conversions/results/",
            ConversionsReportView.as_view(results_only=True),
            name="book_a_call_conversions_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_articles_due_for_review_menu_item():
    return EditorsMenuItem(
        "Articles due for review",
        reverse("articles_due_for_review"),
        name="articles-due-for-review",
        icon_name="calendar-check",
        order=1150,
    )


@hooks.register("register_reports_menu_item")
def register_conversions_menu_item():
    return FormReadersMenuItem(
        "Book a call conversions",
        reverse("book_a_call_conversions"),
        name="book-a-call-conversions",
        icon_name="form",
        order=1160,
    )


@hooks.register("construct_homepage_panels")
def add_articles_due_for_review_panel(request, panels):
    if is_editor(request.user):
        panels.append(ArticlesDueForReviewPanel())
