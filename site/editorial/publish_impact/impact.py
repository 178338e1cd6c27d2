"""What publishing a page refreshes, shown before anybody publishes it: a "Publish impact" side
panel on the edit screen, the approval dialog and the "submitted for review" mail.

The list is the set the cache purge will purge: `urls_showing` of the live version and of the
draft about to go live, merged as the purge merges them, grouped by the listing each URL comes
from. Nothing here decides on its own what shows a page, so the panel and the purge cannot
disagree.
"""

from dataclasses import dataclass, field

from wagtail.models import Page, Site

from consultancy_site.delivery.showing import union, urls_showing
from consultancy_site.delivery.site_paths import relative_url


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

    # Shown in full up to here; a topic of thousands of articles names the rest by their number.
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
        return None  # a new slug moves every page below: delivery purges every page
    before = urls_showing(stored) if stored.live else []
    return union(before, urls_showing(draft))


def publish_impact(page, request=None):
    """Grouped by the listing that shows it, in the order `urls_showing` gives (the page, its
    listings as declared, links, site-wide listings). Links are relative to the admin's own site
    when it serves the page (as Wagtail's "View live" is), absolute in a mail (no request)."""
    stored, draft = live_and_draft(page)
    shown = shown_on_publish(stored, draft)
    if shown is None:
        return PublishImpact(everything=True)
    root_url = link_root(stored, request)
    own_path = None if stored.live else relative_url(draft.url_path)
    groups = {}
    for item in shown:
        groups.setdefault(item.group, ImpactGroup(item.group)).entries.append(
            ImpactEntry(
                item.title or item.path,
                item.path,
                root_url + item.path,
                item.pages,
                # A page not live yet has no URLs of its own yet (itself, its twin).
                live=own_path is None or not item.path.startswith(own_path),
            )
        )
    for group in groups.values():
        group.entries.sort(key=lambda entry: (entry.text.lower(), entry.path))
    return PublishImpact(
        everything=False, groups=list(groups.values()), topics_added=topics_added(stored, draft)
    )


def topics_added(stored, draft):
    """Topics a case study's draft adds it to. urls_showing reads topics from the database, which
    holds the live choice until publishing: those topics are purged then, and are named here."""
    if stored is draft or not hasattr(stored, "topics"):
        return []
    live_ids = set(stored.topics.values_list("pk", flat=True))
    return [topic for topic in draft.topics.all() if topic.pk not in live_ids]


def link_root(page, request):
    site = page.get_site()
    if site is None or (request is not None and Site.find_for_request(request) == site):
        return ""
    return site.root_url
