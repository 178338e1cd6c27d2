import logging

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.admin.mail import WorkflowStateApprovalEmailNotifier
from wagtail.models import GroupPagePermission, Page, PageViewRestriction, Site, WorkflowState
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    pre_page_move,
    workflow_approved,
)

from . import cache, social_cards
from .invalidation import urls_showing
from .permissions import AUTHOR_PAGE_ACTIONS, AUTHORS

logger = logging.getLogger(__name__)


def grant_authors_their_section(sender, instance, created, raw=False, **kwargs):
    """A new Writing or Case studies index is somewhere Authors write."""
    if not created or raw:
        return
    authors = Group.objects.filter(name=AUTHORS).first()
    if authors is None:
        return
    for action in AUTHOR_PAGE_ACTIONS:
        GroupPagePermission.objects.get_or_create(
            group=authors,
            page=instance,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{action}_page"
            ),
        )


class ApprovalWithCommentNotifier(WorkflowStateApprovalEmailNotifier):
    """Wagtail's approval mail, plus the reviewer's comment and the page's admin link.

    Wagtail keeps the comment of "Approve with comment" on the task state but its stock mail
    drops it; the author should read what the editor wrote.
    """

    def get_context(self, workflow_state: WorkflowState, **kwargs):
        context = super().get_context(workflow_state, **kwargs)
        last_task_state = (
            workflow_state.task_states.exclude(finished_at=None).order_by("-finished_at").first()
        )
        if last_task_state is not None:
            last_task_state = last_task_state.specific
            context["task_state"] = last_task_state
            context["comment"] = last_task_state.get_comment()
        if page := context.get("page"):
            # An approved edit with a go-live date waits on its revision; the live page is older.
            context["scheduled_revision"] = page.scheduled_revision
        return context


approval_notifier = ApprovalWithCommentNotifier()


# Keeping cached pages true ---------------------------------------------------------------------
# What showed a page before a change, by page id: a publish, unpublish, move or delete purges
# what showed it before as well as what shows it after (a case study taken off a topic, a hub
# that lost its second page). Wagtail hands the before and after signals different objects.
shown_before = {}
shown_before_move = {}


def union(before, after):
    """Two sets of Shown (None means every page): their union, keeping the larger page counts."""
    if before is None or after is None:
        return None
    merged = {}
    for item in [*before, *after]:
        if item.path not in merged or item.pages > merged[item.path].pages:
            merged[item.path] = item
    return sorted(merged.values())


def purge(shown):
    """Purge the URLs that show a page (None: every page), here and in a CDN.

    Now, so the rest of this request (and a test) sees it, and again once the transaction
    commits, so a page rendered from the old data in the meantime does not linger. A cache
    that cannot be reached must not undo the editor's action: the failure is logged.
    """

    def purge_here():
        try:
            if shown is None:
                cache.purge_all_pages()
            else:
                cache.invalidate_chrome()
                cache.purge_paths([(item.path, item.pages) for item in shown])
        except Exception:
            logger.exception("Could not purge cached pages")

    purge_here()
    transaction.on_commit(purge_here)
    transaction.on_commit(lambda: purge_cdn(None if shown is None else {i.path for i in shown}))


def purge_cdn(paths):
    """Hand the same set to Wagtail's frontend cache when a CDN is configured."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    for site in Site.objects.all():
        if paths is None:
            purge_urls_from_cache([site.root_url + "/*"])
        else:
            purge_urls_from_cache([site.root_url + path for path in sorted(paths)])


def remember_before(page):
    """Record what shows the stored version of `page` (a live one) before it changes."""
    stored = Page.objects.filter(pk=page.pk, live=True).first()
    if stored is not None:
        shown_before[page.pk] = urls_showing(stored)


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    # Publishing and unpublishing save the whole row; draft saves name their fields.
    if isinstance(instance, Page) and instance.pk and not raw and update_fields is None:
        remember_before(instance)


def page_changed(sender, instance, **kwargs):
    before = shown_before.pop(instance.pk, [])
    purge(union(before, urls_showing(instance)))


def slug_changed(sender, instance, instance_before, **kwargs):
    # Every page below moved to a new URL: their old URLs must go too.
    purge(None if instance.numchild else union(urls_showing(instance_before), []))


def before_move(sender, instance, **kwargs):
    # Kept apart from shown_before: moving saves the page too, after its path has changed.
    shown_before_move[instance.pk] = None if instance.numchild else urls_showing(instance)


def after_move(sender, instance, **kwargs):
    shown_before.pop(instance.pk, None)
    before = shown_before_move.pop(instance.pk, None)
    purge(union(before, None if instance.numchild else urls_showing(instance)))


def before_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        remember_before(instance)


def after_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.pk in shown_before:
        purge(shown_before.pop(instance.pk))


def privacy_changed(sender, instance, **kwargs):
    purge(None)


def site_wide_change(sender, instance, created=False, **kwargs):
    # A settings row made on first use (mid-render, with its defaults) has not been shown yet.
    if not created:
        purge(None)


def connect():
    from case_studies.models import CaseStudyIndexPage
    from topics.models import WritingIndexPage

    for model in (WritingIndexPage, CaseStudyIndexPage):
        post_save.connect(
            grant_authors_their_section, sender=model, dispatch_uid=f"grant-{model.__name__}"
        )
    # Same dispatch_uid as Wagtail's stock approval mail: this app is ready() before
    # wagtail.admin, so ours is connected first and Wagtail's later connect() is a no-op.
    workflow_approved.connect(
        approval_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_approved_email_notification",
    )

    # Cards are drawn before the purge below, which then drops the old card from the caches.
    social_cards.connect()
    page_published.connect(page_changed, dispatch_uid="purge-published")
    page_unpublished.connect(page_changed, dispatch_uid="purge-unpublished")
    page_slug_changed.connect(slug_changed, dispatch_uid="purge-slug-changed")
    pre_page_move.connect(before_move, dispatch_uid="purge-before-move")
    post_page_move.connect(after_move, dispatch_uid="purge-after-move")
    pre_save.connect(before_save, dispatch_uid="purge-remember-before-save")
    pre_delete.connect(before_delete, dispatch_uid="purge-before-delete")
    post_delete.connect(after_delete, dispatch_uid="purge-after-delete")
    post_save.connect(site_wide_change, sender=Site, dispatch_uid="purge-site")
    # Privacy changes what every listing may show.
    post_save.connect(privacy_changed, sender=PageViewRestriction, dispatch_uid="purge-privacy")
    post_delete.connect(
        privacy_changed, sender=PageViewRestriction, dispatch_uid="purge-privacy-gone"
    )

    from .models import CallToActionSettings, SiteIdentitySettings

    for setting in (CallToActionSettings, SiteIdentitySettings):
        post_save.connect(
            site_wide_change, sender=setting, dispatch_uid=f"purge-{setting.__name__}"
        )
