"""Publish impact in Wagtail's admin: the edit screen's side panel, and the approval dialog."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.side_panels import BaseSidePanel
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from .impact import publish_impact


# The edit screen's side panel ------------------------------------------------------------------
class PublishImpactSidePanel(BaseSidePanel):
    class SidePanelToggle(BaseSidePanel.SidePanelToggle):
        aria_label = _("Toggle publish impact")
        icon_name = "globe"

        def get_context_data(self, parent_context):
            context = super().get_context_data(parent_context)
            context["count"] = self.panel.impact.count
            return context

    name = "publish-impact"
    title = _("Publish impact")
    template_name = "publish_impact/publish_impact_side_panel.html"
    order = 360

    @cached_property
    def impact(self):
        return publish_impact(self.object, self.request)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["impact"] = self.impact
        return context


class PublishImpactEditView(EditView):
    """Wagtail's edit view with the Publish impact panel beside Status, Preview, Checks and
    Comments (Wagtail has no hook for side panels; get_side_panels builds them)."""

    def get_side_panels(self):
        side_panels = super().get_side_panels()
        # Autosaves and the create view's hydration re-render panels: not worth a recount.
        if not self.expects_json_response and not self.hydrate_create_view:
            side_panels.append(PublishImpactSidePanel(self.page, self.request))
        return side_panels


# Approving -------------------------------------------------------------------------------------
class PublishImpactWorkflowFormMixin:
    """The approval dialog lists what publishing will refresh, above its Approve button.

    "Approve" opens this dialog too (see wagtail_hooks), so it is titled "Approve"
    rather than Wagtail's "Approve with comment"; its comment stays optional.
    """

    template_name = "publish_impact/workflow_action_modal.html"

    def check_action(self):
        super().check_action()
        if self.action_name == "approve":
            self.action_verbose_name = _("Approve")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.action_name == "approve":
            context["impact"] = publish_impact(self.object, self.request)
        return context


class PublishImpactWorkflowActionView(PublishImpactWorkflowFormMixin, WorkflowActionView):
    pass


class PublishImpactCollectWorkflowActionDataView(
    PublishImpactWorkflowFormMixin, CollectWorkflowActionDataView
):
    pass


def approve_opens_dialog(actions):
    """Workflow actions with "Approve" opening the dialog (which offers the comment, so the
    separate "Approve with comment" goes)."""
    if not any(name == "approve" and not modal for name, _label, modal in actions):
        return actions
    return [
        (name, label, True if name == "approve" else modal)
        for name, label, modal in actions
        if not (name == "approve" and modal)
    ]


class ModerationPanelWithImpact(WorkflowObjectsToModeratePanel):
    """The dashboard's "Awaiting your review", where "Approve" opens the dialog for pages."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        for state in context["states"]:
            if isinstance(state["obj"], Page):
                state["actions"] = approve_opens_dialog(state["actions"])
        return context


class PublishImpactPageViewSet(PageViewSet):
    """Wagtail's views for every page type, with the edit and workflow views above."""

    edit_view_class = PublishImpactEditView
    workflow_action_view_class = PublishImpactWorkflowActionView
    collect_workflow_action_data_view_class = PublishImpactCollectWorkflowActionDataView
