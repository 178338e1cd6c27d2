from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_save
from wagtail.admin.mail import WorkflowStateApprovalEmailNotifier
from wagtail.models import GroupPagePermission, WorkflowState
from wagtail.signals import workflow_approved

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
