"""Review links in the admin: the page's "Review links" screen, reached from the page header's
and the page listing's "more" menus, and what making and revoking a link says in History."""

import datetime

from django.urls import include, path
from django.utils import dateformat, timezone
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter

from .views import CREATE_ACTION, REVOKE_ACTION, ReviewLinksView, RevokeReviewLinkView, may_share

admin_urlpatterns = [
    path("<int:page_id>/", ReviewLinksView.as_view(), name="index"),
    path("<int:page_id>/revoke/<int:link_id>/", RevokeReviewLinkView.as_view(), name="revoke"),
]


class ReviewLinksMenuItem(PageMenuItem):
    label = "Review links"
    icon_name = "link"
    url_name = "review_links:index"

    def is_shown(self, user):
        return may_share(self.page, user)


@hooks.register("register_admin_urls")
def register_review_link_urls():
    return [path("review-links/", include((admin_urlpatterns, "review_links")))]


@hooks.register("register_page_header_buttons")
def review_links_header_button(page, user, view_name, next_url=None):
    yield ReviewLinksMenuItem(page=page, priority=62)


@hooks.register("register_page_listing_more_buttons")
def review_links_listing_button(page, user, next_url=None):
    yield ReviewLinksMenuItem(page=page, priority=45)


@hooks.register("register_log_actions")
def register_review_link_actions(actions):
    @actions.register_action(CREATE_ACTION)
    class CreateFormatter(LogFormatter):
        label = "Create review link"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            expires = data.get("expires_at", "")
            try:
                expires = dateformat.format(
                    timezone.localtime(datetime.datetime.fromisoformat(expires)), "j F Y, H:i"
                )
            except (TypeError, ValueError):
                pass
            return f"Review link made for {data.get('reviewer', 'a reviewer')}, expires {expires}"

    @actions.register_action(REVOKE_ACTION)
    class RevokeFormatter(LogFormatter):
        label = "Revoke review link"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"Review link for {data.get('reviewer', 'a reviewer')} revoked"
