"""What publishing a page refreshes, shown before anybody publishes it: a "Publish impact" side
panel on the edit screen, the approval dialog and the "submitted for review" mail.

The list is the set the cache purge will purge: `invalidation.urls_showing` of the live version
and of the draft about to go live, merged as `signals.purge` merges them. Nothing here decides
on its own what shows a page, so the panel and the purge cannot disagree.
"""

from dataclasses import dataclass, field

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.side_panels import BaseSidePanel
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, Site

from .invalidation import relative_url, urls_showing
from .signals import union

# Groups in the order an editor reads them; labels urls_showing adds later go after these.
GROUP_ORDER = [
    "This page",
    "Its Markdown twin",
    "Topic hub",
    "Topic feed",
    "Topic llms.txt",
    "More in this topic",
    "Article in this topic",
    "Case study panel",
    "Related case studies panel",
    "Case study topics",
    "Case study index",
    "Writing index",
    "Home page",
    "Site feed",
    "Site llms.txt",
    "Sitemap",
    "Links to it",
    "Links to it (Markdown)",
]


@dataclass
class ImpactEntry:
    text: str
    path: str
    url: str
    pages: int = 0  # the ?page=N variants, for paginated listings
    live: bool = True  # False: the page's own URL before its first publication


@dataclass
class ImpactGroup:
    label: str
    entries: list = field(default_factory=list)

    # Shown in full up to here; a hub of thousands of articles names the rest by their number.
    listed_at_most = 100

    @property
    def shown_first(self):
        return self.entries[:10]

    @property
    def shown_folded(self):
        return self.entries[10 : self.listed_at_most]

    @property
    def not_listed(self):
        return max(0, len(self.entries) - self.listed_at_most)


@dataclass
class PublishImpact:
    """`everything`: publishing refreshes every page (navigation, breadcrumbs or settings)."""

    everything: bool
    groups: list = field(default_factory=list)
    topics_added: list = field(default_factory=list)

    @property
    def count(self):
        return sum(len(group.entries) for group in self.groups)

    @property
    def paths(self):
        return {entry.path for group in self.groups for entry in group.entries}


def live_and_draft(page):
    """The stored page (live or not) and its latest revision, the version publishing makes live."""
    stored = Page.objects.get(pk=page.pk).specific
    draft = stored.get_latest_revision_as_object() if stored.latest_revision_id else stored
    return stored, draft


def shown_on_publish(stored, draft):
    """The Shown set the purge will purge when `draft` is published over `stored` (None: every
    page): what shows the live version now, and what will show the new one."""
    if draft.url_path != stored.url_path and stored.numchild:
        return None  # a new slug moves every page below: signals.slug_changed purges all
    before = urls_showing(stored) if stored.live else []
    return union(before, urls_showing(draft))


def publish_impact(page, request=None):
    """Grouped for reading; links relative to the admin's own site when it serves the page
    (as Wagtail's "View live" is), absolute in a mail (no request)."""
    stored, draft = live_and_draft(page)
    shown = shown_on_publish(stored, draft)
    if shown is None:
        return PublishImpact(everything=True)
    root_url = link_root(stored, request)
    own_path = None if stored.live else relative_url(draft.url_path)
    groups = {}
    for item in shown:
        label, _colon, text = item.label.partition(": ")
        groups.setdefault(label, ImpactGroup(label)).entries.append(
            ImpactEntry(
                text or item.path,
                item.path,
                root_url + item.path,
                item.pages,
                live=item.path != own_path,
            )
        )
    for group in groups.values():
        group.entries.sort(key=lambda entry: (entry.text.lower(), entry.path))
    order = {label: position for position, label in enumerate(GROUP_ORDER)}
    ordered = sorted(groups.values(), key=lambda g: (order.get(g.label, len(order)), g.label))
    return PublishImpact(everything=False, groups=ordered, topics_added=topics_added(stored, draft))


def topics_added(stored, draft):
    """Hubs a case study's draft adds it to. urls_showing reads topics from the database, which
    holds the live choice until publishing: those hubs are purged then, and are named here."""
    if stored is draft or not hasattr(stored, "topics"):
        return []
    live_ids = set(stored.topics.values_list("pk", flat=True))
    return [topic for topic in draft.topics.all() if topic.pk not in live_ids]


def link_root(page, request):
    site = page.get_site()
    if site is None or (request is not None and Site.find_for_request(request) == site):
        return ""
    return site.root_url


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
    template_name = "consultancy_site/admin/publish_impact_side_panel.html"
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

    "Approve" opens this dialog too (see publish_impact_hooks), so it is titled "Approve"
    rather than Wagtail's "Approve with comment"; its comment stays optional.
    """

    template_name = "consultancy_site/admin/workflow_action_modal.html"

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
