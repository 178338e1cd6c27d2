from wagtail.admin.forms import WagtailAdminPageForm

from consultancy_site.delivery.routing import claims_sub_route


class DatedPageForm(WagtailAdminPageForm):
    """The edit form of pages with a `date` that defaults to today.

    A callable model default makes Django compare the field against a hidden "initial-date"
    input, which Wagtail's panels never render: the date then always counts as changed, so
    "Approve" on the edit screen saved a new revision and, with re-approval on edit, restarted
    the review instead of publishing. Compared with the page's own value, it changes only when
    someone changes it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "date" in self.fields:
            self.fields["date"].show_hidden_initial = False


def sub_route_slug_error(parent, slug):
    """The reason `slug` cannot be used below `parent`, or None: a routable page (a topic) answers
    some addresses below it itself (its feed/), and Wagtail routes those before its children."""
    if parent is not None and slug and claims_sub_route(parent, [slug]):
        return f"“{slug}” is taken by an address of the topic page itself (its feed). Choose another slug."
    return None


class ArticlePageForm(DatedPageForm):
    def clean(self):
        cleaned_data = super().clean()
        if error := sub_route_slug_error(self.parent_page, cleaned_data.get("slug")):
            self.add_error("slug", error)
        return cleaned_data
