"""Who may do what: Authors write and submit, Editors approve and publish.

Wagtail grants page permissions by tree (a group may "add" or "change" below a page), not by
page type. Authors need to add and edit articles and case studies, which sit under the topics and the
case study index, but not to edit or create those structural pages themselves. The page types
below narrow the tree grant for non-editors by dropping actions from the permission set Wagtail
computes, so every check Wagtail derives from it (edit, delete, move, copy, lock) follows.
"""

from wagtail.models import PagePermissionTester

AUTHORS = "Authors"
EDITORS = "Editors"
WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editor approval"

# What each group may do on the pages under the Writing and Case studies indexes (Authors), and
# everywhere (Editors). "publish" also covers unpublish and scheduling.
AUTHOR_PAGE_ACTIONS = ["add", "change", "lock"]
EDITOR_PAGE_ACTIONS = ["add", "change", "publish", "lock", "unlock"]


def is_editor(user) -> bool:
    """Superusers and members of Editors (cached on the user object for the request)."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_is_editor"):
        user._is_editor = user.groups.filter(name=EDITORS).exists()
    return user._is_editor


class EditorialPermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser and not is_editor(user):
            self.permissions = set(self.permissions) - set(page.editor_only_actions)
            if page.authors_lock_own_pages_only and page.owner_id != user.pk:
                self.permissions.discard("lock")


class EditorialPageMixin:
    """Page types whose actions are narrowed for non-editors (see the module docstring)."""

    # Actions only editors may take on pages of this type, whatever the tree grants.
    editor_only_actions: frozenset[str] = frozenset()
    # Authors may lock a page of this type only when they own it.
    authors_lock_own_pages_only = False

    def permissions_for_user(self, user):
        return EditorialPermissionTester(user, self)


class StructuralPageMixin(EditorialPageMixin):
    """Topics and indexes: authors add pages below them but do not edit, lock or remove them."""

    editor_only_actions = frozenset({"change", "lock", "unlock", "bulk_delete", "publish"})


class AuthoredPageMixin(EditorialPageMixin):
    """Articles and case studies: authors edit any, lock only their own."""

    authors_lock_own_pages_only = True
