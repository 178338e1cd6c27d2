from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import ConversionsReportView, book_a_call_pages_for


class FormReadersMenuItem(MenuItem):
    def is_shown(self, request):
        return book_a_call_pages_for(request.user).exists()


@hooks.register("register_admin_urls")
def register_conversions_report_urls():
    return [
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
def register_conversions_menu_item():
    return FormReadersMenuItem(
        "Book a call conversions",
        reverse("book_a_call_conversions"),
        name="book-a-call-conversions",
        icon_name="form",
        order=1160,
    )
