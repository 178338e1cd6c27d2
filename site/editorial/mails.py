"""The editorial workflow's mails, where Wagtail's stock ones leave out what people need."""

from wagtail.admin.mail import WorkflowStateApprovalEmailNotifier
from wagtail.models import WorkflowState


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
