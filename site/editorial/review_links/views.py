"""Review links: an expiring, revocable link that shows a page's latest draft to someone without
an account (a client, an outside reviewer).

- Editors (whoever may publish the page) make and revoke links on the page's "Review links"
  screen (/admin/review-links/<page id>/), found in the page header's and the page listing's
  "more" menus. The link is shown once; only a SHA-256 of its token is kept.
- /review/<token>/ renders the latest revision through Wagtail's preview path with a banner,
  never cached and never indexed, and logs each view. A link stops working when it expires, is
  revoked, or the page is published after it was made: 410 saying which.
- Making and revoking a link are entries in the page's History (Wagtail's audit log).

The models are in models.py, the admin menu items, URLs and History entries in wagtail_hooks.py.
"""

import datetime
import hashlib
import re
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import page_not_found
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.models import Page

from .forms import ReviewLinkForm
from .models import ReviewLink, ReviewLinkView

VIEWS_SHOWN = 50  # per link on the admin screen; the count covers them all
USER_AGENT_LENGTH = ReviewLinkView._meta.get_field("user_agent").max_length
# secrets.token_urlsafe(32) makes 43 characters of this alphabet; anything else is not a token
# and is turned away before the database is asked.
TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")

CREATE_ACTION = "consultancy_site.review_link.create"
REVOKE_ACTION = "consultancy_site.review_link.revoke"

ACTIVE, REVOKED, PUBLISHED, EXPIRED = "active", "revoked", "published", "expired"
STATE_LABELS = {
    ACTIVE: "Active",
    REVOKED: "Revoked",
    PUBLISHED: "Ended: page published",
    EXPIRED: "Expired",
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_state(link, page, now=None):
    """Why a link works or not. A revocation is stated first (someone chose it), then a
    publication (the reader can go to the live page), then the date."""
    now = now or timezone.now()
    if link.revoked_at:
        return REVOKED
    if page.last_published_at and page.last_published_at > link.created_at:
        return PUBLISHED
    if link.expires_at <= now:
        return EXPIRED
    return ACTIVE


def may_share(page, user):
    """Review links are for editors: whoever may publish the page (never the root)."""
    return page.permissions_for_user(user).can_publish() and page.is_previewable()


# --- The public side -------------------------------------------------------------------------------


def private(response):
    """The token is in the URL: nothing may keep the response, index it or pass the URL on."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def not_found(request):
    # The site's own 404, saying nothing about which page a token might have been for.
    return private(page_not_found(request, Http404("No such review link")))


@require_GET
def review(request, token):
    if not TOKEN.fullmatch(token):
        return not_found(request)
    link = ReviewLink.objects.filter(token_hash=hash_token(token)).select_related("page").first()
    if link is None:
        return not_found(request)
    page = link.page.specific
    state = link_state(link, page)
    if state != ACTIVE:
        live = state == PUBLISHED and page.live
        response = TemplateResponse(
            request,
            "review_links/gone.html",
            {
                "link": link,
                "state": state,
                # Only a published page is named: it is public now.
                "live_url": page.get_url(request) if live else None,
                "live_title": page.title if live else None,
            },
            status=410,
        )
        return private(response.render())

    draft = page.get_latest_revision_as_object()
    mode = draft.default_preview_mode
    # What Wagtail's make_preview_request does around serve_preview, minus a second run through
    # the middleware (whose page cache would answer a dummy request for the live URL with the
    # cached live page). Templates and caches key on is_preview: nothing here is kept.
    request.is_preview = True
    request.preview_mode = mode
    request.review_link = link  # base.html shows the banner
    response = draft.serve_preview(request, mode)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if response.status_code == 200:
        ReviewLinkView.objects.create(
            link=link,
            revision_id=page.latest_revision_id,
            user_agent=printable(request.headers.get("User-Agent", ""))[:USER_AGENT_LENGTH],
        )
    return private(response)


def printable(text):
    # Control characters (NUL above all, which PostgreSQL refuses) mean nothing in a log.
    return "".join(ch for ch in text if ch.isprintable())


# --- The admin side --------------------------------------------------------------------------------


class PageReviewLinksMixin:
    """The page (404 if there is none, 403 unless the user may publish it)."""

    def dispatch(self, request, page_id, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not may_share(self.page, request.user):
            raise PermissionDenied
        return super().dispatch(request, page_id, *args, **kwargs)


class ReviewLinksView(PageReviewLinksMixin, WagtailAdminTemplateMixin, View):
    """A page's review links: make one (its URL shown once), see each one's state and views."""

    template_name = "review_links/index.html"
    page_title = "Review links"
    header_icon = "link"

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return get_breadcrumbs_items_for_page(self.page, self.request.user) + [
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()}
        ]

    def get_header_buttons(self):
        return [
            HeaderButton(
                "Edit page",
                url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
                icon_name="edit",
            ),
            HeaderButton(
                "History",
                url=reverse("wagtailadmin_pages:history", args=[self.page.pk]),
                icon_name="history",
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        links = (
            ReviewLink.objects.filter(page=self.page)
            .select_related("created_by", "revoked_by")
            .annotate(view_count=Count("views"))
            .prefetch_related(
                Prefetch(
                    "views",
                    queryset=ReviewLinkView.objects.select_related("revision").order_by(
                        "-viewed_at", "-pk"
                    )[:VIEWS_SHOWN],
                    to_attr="latest_views",
                )
            )
        )
        for link in links:
            link.state = link_state(link, self.page, now)
            link.state_label = STATE_LABELS[link.state]
        context.update(page=self.page, links=links, views_shown=VIEWS_SHOWN)
        return context

    def get(self, request, page_id):
        return self.render_to_response(self.get_context_data(form=ReviewLinkForm()))

    def post(self, request, page_id):
        form = ReviewLinkForm(request.POST)
        if not form.is_valid():
            messages.validation_error(request, "The review link could not be made.", form)
            return self.render_to_response(self.get_context_data(form=form))
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            link = ReviewLink.objects.create(
                page=self.page,
                token_hash=hash_token(token),
                reviewer=form.cleaned_data["reviewer"],
                created_by=request.user,
                expires_at=timezone.now()
                + datetime.timedelta(days=form.cleaned_data["expires_in"]),
            )
            log(
                self.page,
                CREATE_ACTION,
                user=request.user,
                data={
                    "link_id": link.pk,
                    "reviewer": link.reviewer,
                    "expires_at": link.expires_at.isoformat(),
                },
            )
        # Shown in this response only: the token is kept nowhere (not in the session either).
        url = request.build_absolute_uri(reverse("review_link", args=[token]))
        return self.render_to_response(
            self.get_context_data(form=ReviewLinkForm(), created_link=link, created_url=url)
        )


@method_decorator(require_POST, name="dispatch")
class RevokeReviewLinkView(PageReviewLinksMixin, View):
    def post(self, request, page_id, link_id):
        link = get_object_or_404(ReviewLink, pk=link_id, page=self.page)
        index_url = reverse("review_links:index", args=[self.page.pk])
        with transaction.atomic():
            # Locked so that two clicks revoke (and log) once.
            link = ReviewLink.objects.select_for_update().get(pk=link.pk)
            if link.revoked_at:
                messages.warning(request, f"The link for {link.reviewer} was already revoked.")
                return redirect(index_url)
            link.revoked_at = timezone.now()
            link.revoked_by = request.user
            link.save(update_fields=["revoked_at", "revoked_by"])
            log(
                self.page,
                REVOKE_ACTION,
                user=request.user,
                data={"link_id": link.pk, "reviewer": link.reviewer},
            )
        messages.success(
            request,
            f"The link for {link.reviewer} is revoked: it now says so to anyone opening it.",
        )
        return redirect(index_url)
