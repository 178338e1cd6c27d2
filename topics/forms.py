from wagtail.admin.forms import WagtailAdminPageForm


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
