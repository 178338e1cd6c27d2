"""Admin hooks of the publish impact: the edit and workflow views of every page type, and
"Approve" opening the dialog that shows the impact."""

from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

from .views import ModerationPanelWithImpact, PublishImpactPageViewSet


@hooks.register("register_admin_viewset", order=1)
def register_publish_impact_page_viewset():
    # Registered for Page after Wagtail's own base viewset (order -1), which it replaces.
    return PublishImpactPageViewSet()


@hooks.register("construct_page_action_menu")
def approve_opens_impact_dialog(menu_items, request, context):
    approve_items = [
        item for item in menu_items if isinstance(item, WorkflowMenuItem) and item.name == "approve"
    ]
    if not any(not item.launch_modal for item in approve_items):
        return
    for item in approve_items:
        if item.launch_modal:
            menu_items.remove(item)  # "Approve with comment": the dialog has the comment
        else:
            item.launch_modal = True


@hooks.register("construct_homepage_panels")
def moderation_panel_with_impact(request, panels):
    for position, panel in enumerate(panels):
        if type(panel) is WorkflowObjectsToModeratePanel:
            panels[position] = ModerationPanelWithImpact()
