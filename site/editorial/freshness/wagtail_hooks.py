from django.urls import path, reverse
from wagtail import hooks

from consultancy_site.editorial.reports import EditorsMenuItem
from consultancy_site.permissions import is_editor

from .views import ArticlesDueForReviewPanel, ArticlesDueForReviewView


@hooks.register("register_admin_urls")
def register_articles_due_for_review_urls():
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


@hooks.register("construct_homepage_panels")
def add_articles_due_for_review_panel(request, panels):
    if is_editor(request.user):
        panels.append(ArticlesDueForReviewPanel())
