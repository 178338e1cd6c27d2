from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_save
from wagtail.models import GroupPagePermission, WorkflowState
from wagtail.signals import workflow_approved

from case_studies.models import CaseStudyIndexPage
from consultancy_site.permissions import AUTHOR_PAGE_ACTIONS, AUTHORS
from topics.models import WritingIndexPage

from .mails import approval_notifier


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


def connect():
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
