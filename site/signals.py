from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.admin.mail import WorkflowStateApprovalEmailNotifier
from wagtail.models import GroupPagePermission, Page, Site, WorkflowState
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    pre_page_move,
    workflow_approved,
)

from . import cache
from .invalidation import urls_showing
from .permissions import AUTHOR_PAGE_ACTIONS, AUTHORS


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
def purge(shown):
    """Purge the URLs that show a page (None: every page), here and in a CDN.

    Now, so the rest of this request (and a test) sees it, and again once the transaction
    commits, so a page rendered from the old data in the meantime does not linger.
    """

    def purge_here():
        if shown is None:
            cache.purge_all_pages()
        else:
            cache.invalidate_chrome()
            cache.purge_paths([(item.path, item.pages) for item in shown])

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


def page_changed(sender, instance, **kwargs):
    purge(urls_showing(instance))


def slug_changed(sender, instance, instance_before, **kwargs):
    # Every page below moved to a new URL: their old URLs must go too.
    purge(None if instance.numchild else urls_showing(instance_before) or None)


def before_move(sender, instance, **kwargs):
    instance._shown_before_move = urls_showing(instance) if not instance.numchild else None


def after_move(sender, instance, **kwargs):
    before = getattr(instance, "_shown_before_move", None)
    after = urls_showing(instance) if not instance.numchild else None
    purge(None if before is None or after is None else sorted(set(before) | set(after)))


def before_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        instance._shown_before_delete = urls_showing(instance)


def after_delete(sender, instance, **kwargs):
    if hasattr(instance, "_shown_before_delete"):
        purge(instance._shown_before_delete)


def site_wide_change(sender, instance, **kwargs):
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

    page_published.connect(page_changed, dispatch_uid="purge-published")
    page_unpublished.connect(page_changed, dispatch_uid="purge-unpublished")
    page_slug_changed.connect(slug_changed, dispatch_uid="purge-slug-changed")
    pre_page_move.connect(before_move, dispatch_uid="purge-before-move")
    post_page_move.connect(after_move, dispatch_uid="purge-after-move")
    pre_delete.connect(before_delete, dispatch_uid="purge-before-delete")
    post_delete.connect(after_delete, dispatch_uid="purge-after-delete")
    post_save.connect(site_wide_change, sender=Site, dispatch_uid="purge-site")

    from .models import CallToActionSettings, SiteIdentitySettings

    for setting in (CallToActionSettings, SiteIdentitySettings):
        post_save.connect(
            site_wide_change, sender=setting, dispatch_uid=f"purge-{setting.__name__}"
        )
