"""What an author, and a visitor who is not signed in, can reach: every URL, not a chosen few.

The rule: as an author, request every admin and API URL with the ids of pages, revisions,
images, documents, form submissions, settings, users, workflows and redirects the author may not
touch, and get 302, 403 or 404 (405 for a method a view does not take), never their content.
Anonymous visitors never get a draft, a preview, a private page or a private document.

The URLs come from Django's resolver, walked pattern by pattern; each pattern's parameters are
filled with the ids of the objects it is about. Every object carries a canary string in its
secret content (a draft's text, a submission, a settings value, an email address...), so a
response that shows it is caught whatever its status. Each request (GET, then POST with an empty
body) runs in a savepoint that is rolled back afterwards, and before the rollback the objects
the author may not change are compared with how they were: a POST that publishes, unpublishes,
moves, deletes, locks, approves, or edits users, groups, workflows, settings or redirects is
caught even when its response looks like a refusal.

A 200 to the author is accepted only for the URLs in AUTHOR_MAY_VIEW, each with its reason, and
still only without the canaries it is not allowed to show.
"""

import base64
import itertools
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize
from taggit.models import TaggedItem
from wagtail.admin.models import EditingSession
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Revision,
    Site,
    Task,
    TaskState,
    UploadedFile,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from consultancy_site.models import CallToActionSettings, SiteIdentitySettings
from consultancy_site.permissions import AUTHORS, EDITORS, TASK_NAME, WORKFLOW_NAME
from tests import factories

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()

PASSWORD = "correct-horse-battery-staple"
PAGE_PASSWORD = "open-sesame-4417"

# Canaries: lower case letters, digits and hyphens only, so HTML and JSON escaping leave them
# alone. Each sits in content that only some people may see.
CANARY = {
    "home_draft": "cnry-home-draft-k2v9",  # unpublished revision of the home page
    "writing_draft": "cnry-writing-draft-p4d1",  # unpublished revision of the Writing index
    "hub_draft": "cnry-hub-draft-m8q3",  # hub revision submitted for review by the editor
    "call_draft": "cnry-call-draft-z5t7",  # unpublished revision of the Book a call page
    "submission": "cnry-submission-w3j6",  # a Book a call form submission
    "private_page": "cnry-private-page-b7n2",  # password-protected service page
    "settings": "cnry-settings-h1c8",  # Calls to action settings (shown on public pages)
    "identity": "cnry-identity-u6f4",  # Site identity settings (public in JSON-LD)
    "redirect": "cnry-redirect-r9e5",  # a redirect's target
    "image_title": "cnry-image-title-g2x7",  # the editor's image
    "doc_title": "cnry-doc-title-s5k1",  # the editor's public document
    "doc_file": "cnry-doc-file-y8l3",  # what the public document contains
    "private_doc_title": "cnry-private-doc-title-a4o6",  # the document in the private collection
    "private_doc_file": "cnry-private-doc-file-c3i9",  # what the private document contains
    "collection": "cnry-collection-d6v2",  # the private collection's name
    "user_email": "cnry-user-email-f7h4",  # the editor's email address (local part)
    "spare_workflow": "cnry-spare-workflow-j1m8",  # a workflow no page uses
    "spare_task": "cnry-spare-task-n9b5",  # a task of that workflow
    "article_draft": "cnry-article-draft-e2r6",  # the editor's never-published article
    "article_pending": "cnry-article-pending-t8w1",  # unpublished edit of a live article
    "private_article": "cnry-private-article-v5q3",  # password-protected article
}

# What an author may see in the admin anyway: articles are theirs to edit, whoever wrote them.
AUTHOR_SEES_IN_ADMIN = {"article_draft", "article_pending", "private_article"}
# What anybody may read on the public site (or download).
PUBLIC = {"settings", "identity", "doc_file"}
# What a signed-in person may download: the private collection asks for a sign-in only.
SIGNED_IN_DOWNLOADS = {"private_doc_file"}


# --- The site: an author, an editor, and what the author may not touch ---------------------------


@dataclass
class World:
    author: object
    editor: object
    pages: dict  # label -> page (specific)
    revisions: dict  # page label -> list of revision ids, oldest first
    image: object
    author_image: object
    documents: dict  # label -> document
    submission: object
    site: object
    redirect: object
    private_collection: object
    root_collection: object
    workflow: object
    task: object
    spare_workflow: object
    spare_task: object
    workflow_state: object
    task_state: object
    editing_session: object
    uploads: dict  # "image" / "document" -> UploadedFile of the editor
    page_restriction: object
    collection_restriction: object
    groups: dict = field(default_factory=dict)


def make_user(django_user_model, username, group_name, email):
    user = django_user_model.objects.create_user(
        username=username,
        email=email,
        password=PASSWORD,
        first_name=username.title(),
        last_name=group_name[:-1],
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def save_draft(page, user, **changes):
    """An unpublished revision of `page` with `changes`; the live row keeps what it had."""
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    return page.save_revision(user=user, log_action=True)


def paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(site_tree, media, django_user_model):
    author = make_user(django_user_model, "alice", AUTHORS, "alice@example.com")
    editor = make_user(django_user_model, "edna", EDITORS, f"{CANARY['user_email']}@example.com")
    tree = site_tree
    services = tree.service.get_parent().specific

    for page in (tree.home, tree.writing, tree.hub, services, tree.case_studies, tree.book_a_call):
        Page.objects.filter(pk=page.pk).update(owner=editor)

    hub2 = factories.TopicIndexPageFactory(
        parent=tree.writing, title="Machine Learning", slug="machine-learning", owner=editor
    )
    editor_article = factories.ArticlePageFactory(
        parent=tree.hub, title="Partitioning at scale", slug="partitioning", owner=editor
    )
    draft_article = factories.ArticlePageFactory(
        parent=tree.hub,
        title="Work in progress",
        slug="work-in-progress",
        owner=editor,
        live=False,
        has_unpublished_changes=True,
        body=paragraph(f"Unfinished thoughts, ocelot. {CANARY['article_draft']}"),
        summary=f"Not out yet {CANARY['article_draft']}",
    )
    private_article = factories.ArticlePageFactory(
        parent=tree.hub,
        title="Client retrospective",
        slug="client-retrospective",
        owner=editor,
        summary=f"Quokka figures {CANARY['private_article']}",
        body=paragraph(f"Quokka numbers for one client. {CANARY['private_article']}"),
    )
    private_service = factories.ServicePageFactory(
        parent=services,
        title="Retainer terms",
        slug="retainer-terms",
        owner=editor,
        summary=f"Narwhal rates {CANARY['private_page']}",
        body=paragraph(f"Narwhal day rates. {CANARY['private_page']}"),
    )
    page_restriction = PageViewRestriction.objects.create(
        page=private_service, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    PageViewRestriction.objects.create(
        page=private_article, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )

    pages = {
        "root": Page.get_first_root_node(),
        "home": tree.home,
        "writing": tree.writing,
        "hub": tree.hub,
        "hub2": hub2,
        "editor_article": editor_article,
        "draft_article": draft_article,
        "private_article": private_article,
        "case_studies": tree.case_studies,
        "services": services,
        "private_service": private_service,
        "book_a_call": tree.book_a_call,
    }
    # Every page has a revision (the live one): the factories publish without making one.
    for label, page in pages.items():
        if label != "root":
            page = type(page).objects.get(pk=page.pk)
            revision = page.save_revision(user=editor)
            if page.live:
                revision.publish(user=editor)
    save_draft(tree.home, editor, intro=f"Next season's pitch {CANARY['home_draft']}")
    save_draft(tree.writing, editor, lede=f"Rewritten lede {CANARY['writing_draft']}")
    save_draft(tree.book_a_call, editor, intro=f"<p>New wording {CANARY['call_draft']}</p>")
    save_draft(draft_article, editor, summary=f"Still not out {CANARY['article_draft']}")
    save_draft(
        editor_article, editor, summary=f"An edit not yet published {CANARY['article_pending']}"
    )
    hub_draft = save_draft(tree.hub, editor, lede=f"A bolder lede, ocelot {CANARY['hub_draft']}")

    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    task = Task.objects.get(name=TASK_NAME)
    hub = type(tree.hub).objects.get(pk=tree.hub.pk)
    workflow_state = workflow.start(hub, editor)
    task_state = TaskState.objects.get(workflow_state=workflow_state)
    assert task_state.revision_id == hub_draft.pk

    spare_task = GroupApprovalTask.objects.create(name=f"Second look {CANARY['spare_task']}")
    spare_task.groups.set([Group.objects.get(name=EDITORS)])
    spare_workflow = Workflow.objects.create(name=f"Legal review {CANARY['spare_workflow']}")
    WorkflowTask.objects.create(workflow=spare_workflow, task=spare_task, sort_order=0)

    submission = FormSubmission.objects.create(
        page=tree.book_a_call,
        form_data={
            "name": "Grace Client",
            "email": "grace@client.example",
            "company": "Client Ltd",
            "message": f"Our budget is tight {CANARY['submission']}",
        },
    )

    site = Site.objects.get(is_default_site=True)
    CallToActionSettings.objects.filter(site=site).update(
        book_call_text=f"I take a few engagements {CANARY['settings']}"
    )
    SiteIdentitySettings.objects.create(site=site, author_name=f"Ada {CANARY['identity']}")

    root_collection = Collection.get_first_root_node()
    private_collection = root_collection.add_child(name=f"Board papers {CANARY['collection']}")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type=CollectionViewRestriction.LOGIN
    )

    image = Image.objects.create(
        title=f"Architecture {CANARY['image_title']}",
        file=get_test_image_file(),
        uploaded_by_user=editor,
        collection=root_collection,
    )
    author_image = Image.objects.create(
        title="Alice's own diagram",
        file=get_test_image_file(filename="alice.png"),
        uploaded_by_user=author,
        collection=root_collection,
    )
    documents = {
        "public_doc": Document.objects.create(
            title=f"Checklist {CANARY['doc_title']}",
            file=ContentFile(f"A checklist {CANARY['doc_file']}\n".encode(), name="checklist.txt"),
            uploaded_by_user=editor,
            collection=root_collection,
        ),
        "private_doc": Document.objects.create(
            title=f"Minutes {CANARY['private_doc_title']}",
            file=ContentFile(
                f"Minutes {CANARY['private_doc_file']}\n".encode(), name="minutes.txt"
            ),
            uploaded_by_user=editor,
            collection=private_collection,
        ),
    }
    uploads = {
        "image": UploadedFile.objects.create(
            for_content_type=ContentType.objects.get_for_model(Image),
            file=get_test_image_file(filename="pending.png"),
            uploaded_by_user=editor,
        ),
        "document": UploadedFile.objects.create(
            for_content_type=ContentType.objects.get_for_model(Document),
            file=ContentFile(b"pending upload\n", name="pending.txt"),
            uploaded_by_user=editor,
        ),
    }
    redirect = Redirect.objects.create(
        old_path="/old-pricing", redirect_link=f"https://example.com/{CANARY['redirect']}"
    )
    editing_session = EditingSession.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(tree.hub.pk),
        last_seen_at=hub_draft.created_at,
        is_editing=True,
    )

    pages = {label: Page.objects.get(pk=page.pk).specific for label, page in pages.items()}
    revisions = {
        label: list(
            Revision.page_revisions.filter(object_id=str(page.pk))
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
        )
        for label, page in pages.items()
    }
    return World(
        author=author,
        editor=editor,
        pages=pages,
        revisions=revisions,
        image=image,
        author_image=author_image,
        documents=documents,
        submission=submission,
        site=site,
        redirect=redirect,
        private_collection=private_collection,
        root_collection=root_collection,
        workflow=workflow,
        task=task,
        spare_workflow=spare_workflow,
        spare_task=spare_task,
        workflow_state=workflow_state,
        task_state=task_state,
        editing_session=editing_session,
        uploads=uploads,
        page_restriction=page_restriction,
        collection_restriction=collection_restriction,
        groups={
            "editors": Group.objects.get(name=EDITORS),
            "authors": Group.objects.get(name=AUTHORS),
        },
    )


# --- Every URL pattern, from the resolver ---------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # the namespaced URL name, or the pattern itself for an unnamed one
    route: str  # the pattern as ResolverMatch.route spells it
    template: str  # "%(name)s" placeholders, from Django's own reverse() helper
    params: tuple


def join_route(first, second):
    """How Django joins the routes of nested patterns (URLResolver._join_route)."""
    return second if not first else first + second.removeprefix("^")


def url_routes(resolver=None, regex="", route="", namespace=""):
    """Every leaf pattern of the URLconf, in order, with its full regex made into a template."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        entry_regex = regex + entry.pattern.regex.pattern.removeprefix("^")
        entry_route = join_route(route, str(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            routes += url_routes(entry, entry_regex, entry_route, inner)
        else:
            assert isinstance(entry, URLPattern)
            [(template, params)] = normalize(entry_regex)
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else entry_route
            routes.append(Route(name, entry_route, template, tuple(params)))
    return routes


def is_admin(path):
    return path.startswith("/admin/")


# --- Filling each pattern with the objects it is about --------------------------------------------


@dataclass
class Request:
    route: Route
    target: str  # what the URL is about: a page label, "image", "editor", ... or "-"
    path: str
    query: str = ""

    @property
    def url(self):
        return f"{self.path}?{self.query}" if self.query else self.path


PAGE_PARAMS = {"page_id", "parent_page_id", "page_to_move_id", "page_pk"}
# Namespaces whose "pk" is a page.
PAGE_PK_NAMES = {
    "wagtailadmin_api:pages:detail",
    "wagtailadmin_api:pages:action",
    "wagtailadmin_pages:revisions_compare",
}
API_PAGE_ACTIONS = [
    "convert_alias",
    "copy",
    "delete",
    "publish",
    "unpublish",
    "move",
    "copy_for_translation",
    "create_alias",
    "revert_to_page_revision",
]
WORKFLOW_ACTIONS = ["approve", "reject"]


def model_key(model):
    return model._meta.app_label, model._meta.model_name


def page_types_under(page):
    """Page types worth trying to add below `page`: what may go there, and an article."""
    from topics.models import ArticlePage, TopicIndexPage

    models = set(page.specific_class.creatable_subpage_models()) | {ArticlePage, TopicIndexPage}
    return sorted(model_key(model) for model in models)


def pk_targets(route, w):
    """What a pattern's bare "pk" (or "task_id"/"pk" in choosers) is, by the pattern's name."""
    docs = [(label, doc.pk) for label, doc in w.documents.items()]
    name = route.name
    table = [
        ("wagtailadmin_api:documents:", docs),
        ("wagtailadmin_api:images:", [("image", w.image.pk)]),
        ("wagtaildocs_chooser:", docs),
        ("wagtailimages_chooser:", [("image", w.image.pk)]),
        (
            "wagtailadmin_collections:",
            [
                ("private_collection", w.private_collection.pk),
                ("root_collection", w.root_collection.pk),
            ],
        ),
        (
            "wagtailadmin_workflows:edit_task",
            [("task", w.task.pk), ("spare_task", w.spare_task.pk)],
        ),
        (
            "wagtailadmin_workflows:disable_task",
            [("task", w.task.pk), ("spare_task", w.spare_task.pk)],
        ),
        (
            "wagtailadmin_workflows:enable_task",
            [("task", w.task.pk), ("spare_task", w.spare_task.pk)],
        ),
        (
            "wagtailadmin_workflows:",
            [("workflow", w.workflow.pk), ("spare_workflow", w.spare_workflow.pk)],
        ),
        ("wagtailsettings:", [("site", w.site.pk)]),
        ("wagtailsites:", [("site", w.site.pk)]),
        ("wagtailusers_users:", [("editor", w.editor.pk), ("author", w.author.pk)]),
        (
            "wagtailusers_groups:",
            [("editors_group", w.groups["editors"].pk), ("authors_group", w.groups["authors"].pk)],
        ),
    ]
    for prefix, targets in table:
        if name.startswith(prefix):
            return targets
    raise AssertionError(f"No objects known for the pk of {name} ({route.route}): add them")


def uid(user):
    return base64.urlsafe_b64encode(str(user.pk).encode()).decode().rstrip("=")


def choices_for(route, w, page_label):
    """For each parameter group of `route`: the (label, {param: value}) choices to try."""
    params = set(route.params)
    name = route.name
    page = w.pages.get(page_label)
    groups = []

    def single(param, choices):
        groups.append([(label, {param: value}) for label, value in choices])
        params.discard(param)

    for param in sorted(params & PAGE_PARAMS):
        single(param, [(page_label, page.pk)])
    if "pk" in params and name in PAGE_PK_NAMES:
        single("pk", [(page_label, page.pk)])
    if "revision_id" in params:
        single("revision_id", [("", w.revisions[page_label][-1])])
    if {"revision_id_a", "revision_id_b"} <= params:
        first, last = w.revisions[page_label][0], w.revisions[page_label][-1]
        groups.append([("", {"revision_id_a": first, "revision_id_b": last})])
        params -= {"revision_id_a", "revision_id_b"}
    if "destination_id" in params:
        single("destination_id", [("to hub2", w.pages["hub2"].pk)])
    if "task_state_id" in params:
        single("task_state_id", [("", w.task_state.pk)])
    if "workflow_state_id" in params:
        single("workflow_state_id", [("", w.workflow_state.pk)])
    if "workflow_pk" in params:
        single("workflow_pk", [("", w.workflow.pk)])
    if "action_name" in params:
        actions = API_PAGE_ACTIONS if name.startswith("wagtailadmin_api:") else WORKFLOW_ACTIONS
        single("action_name", [(action, action) for action in actions])
    if {"content_type_app_name", "content_type_model_name"} <= params:
        if page is not None:
            kinds = page_types_under(page)
        else:
            from wagtail.models import get_page_models

            kinds = sorted(model_key(model) for model in get_page_models())
        groups.append(
            [
                (f"{app}.{model}", {"content_type_app_name": app, "content_type_model_name": model})
                for app, model in kinds
            ]
        )
        params -= {"content_type_app_name", "content_type_model_name"}
    if "object_id" in params:  # editing sessions: the page being edited
        groups.append(
            [("", {"app_label": "wagtailcore", "model_name": "page", "object_id": page.pk})]
        )
        params -= {"app_label", "model_name", "object_id"}
    if "session_id" in params:
        single("session_id", [("editor's session", w.editing_session.pk)])
    if {"app_label", "model_name"} <= params and name == "wagtailadmin_pages:choose_parent":
        from wagtail.models import get_page_models

        groups.append(
            [
                (f"{app}.{model}", {"app_label": app, "model_name": model})
                for app, model in sorted(model_key(m) for m in get_page_models())
            ]
        )
        params -= {"app_label", "model_name"}
    if {"app_label", "model_name"} <= params and name == "wagtailadmin_workflows:add_task":
        groups.append(
            [("groupapprovaltask", {"app_label": "wagtailcore", "model_name": "groupapprovaltask"})]
        )
        params -= {"app_label", "model_name"}
    if {"app_name", "model_name"} <= params:
        if name.startswith("wagtailsettings:"):
            kinds = [model_key(CallToActionSettings), model_key(SiteIdentitySettings)]
        else:  # tag autocomplete: the taggable models
            kinds = [model_key(Image), model_key(Document)]
        groups.append(
            [(f"{app}.{model}", {"app_name": app, "model_name": model}) for app, model in kinds]
        )
        params -= {"app_name", "model_name"}
    if "pk" in params:
        single("pk", pk_targets(route, w))
    for param in ("image_id",):
        if param in params:
            single(param, [("image", w.image.pk)])
    for param in ("document_id", "doc_id"):
        if param in params:
            single(param, [(label, doc.pk) for label, doc in w.documents.items()])
    if "uploaded_file_id" in params:
        kind = "image" if name.startswith("wagtailimages") else "document"
        single("uploaded_file_id", [(f"editor's {kind} upload", w.uploads[kind].pk)])
    if "filter_spec" in params:
        single("filter_spec", [("", "original")])
    if "redirect_id" in params:
        single("redirect_id", [("redirect", w.redirect.pk)])
    if "collection_id" in params:
        single(
            "collection_id",
            [
                ("private_collection", w.private_collection.pk),
                ("root_collection", w.root_collection.pk),
            ],
        )
    if "restriction_id" in params:
        single("restriction_id", [("collection restriction", w.collection_restriction.pk)])
    if "page_view_restriction_id" in params:
        single("page_view_restriction_id", [("page restriction", w.page_restriction.pk)])
    if "task_id" in params:
        single("task_id", [("task", w.task.pk)])
    if {"uidb64", "token"} <= params:
        groups.append([("editor", {"uidb64": uid(w.editor), "token": "bad-token"})])
        params -= {"uidb64", "token"}
    if "section" in params:
        single("section", [("pages", "pages")])
    if name == "wagtaildocs_serve":
        groups.append(
            [(label, {"_0": doc.pk, "_1": doc.filename}) for label, doc in w.documents.items()]
        )
        params -= {"_0", "_1"}
    if name == "wagtail_serve":
        groups.append(
            [
                (label, {"_0": p.get_url_parts()[2].lstrip("/")})
                for label, p in w.pages.items()
                if label != "root"
            ]
            + [("no such page", {"_0": "no-such-page/"})]
        )
        params.discard("_0")
    assert not params, f"No values known for {sorted(params)} of {name} ({route.route})"
    return groups


# Unnamed patterns with a pattern that normalize() cannot turn into a useful URL.
FIXED_PATHS = {"admin/^.*/$": "admin/no-such-area/"}


def bulk_requests(route, w):
    """Bulk actions: each registered action, on the objects of its model the author may not touch."""
    bulk_action_registry.get_bulk_actions_for_model("wagtailcore", "page")  # scans the hooks
    targets = {
        ("wagtailcore", "page"): [(label, p.pk) for label, p in w.pages.items()],
        model_key(Image): [("image", w.image.pk)],
        model_key(Document): [(label, d.pk) for label, d in w.documents.items()],
        model_key(type(w.editor)): [("editor", w.editor.pk), ("author", w.author.pk)],
    }
    requests = []
    for app_label, models in sorted(bulk_action_registry.actions.items()):
        for model_name, actions in sorted(models.items()):
            objects = targets.get((app_label, model_name))
            assert objects, f"No objects known for bulk actions on {app_label}.{model_name}"
            for action in sorted(actions):
                path = "/" + route.template % {
                    "app_label": app_label,
                    "model_name": model_name,
                    "action": action,
                }
                for label, pk in objects:
                    requests.append(Request(route, f"{label} ({action})", path, f"id={pk}"))
    return requests


def requests_for(route, w):
    """The concrete requests for one URL pattern, each naming what it is about."""
    if route.name == "wagtail_bulk_action":
        return bulk_requests(route, w)
    if route.route in FIXED_PATHS:
        return [Request(route, "-", "/" + FIXED_PATHS[route.route])]
    params = set(route.params)
    about_pages = bool(params & PAGE_PARAMS) or ("pk" in params and route.name in PAGE_PK_NAMES)
    page_labels = list(w.pages) if about_pages else [None]
    requests = []
    for page_label in page_labels:
        groups = choices_for(route, w, page_label)
        for combination in itertools.product(*groups):
            values, labels = {}, [page_label] if page_label else []
            for label, chosen in combination:
                values.update({key: str(value) for key, value in chosen.items()})
                if label and label != page_label:
                    labels.append(label)
            path = "/" + route.template % values
            requests.append(Request(route, " ".join(labels) or "-", path))
    return requests


def all_requests(w):
    requests = []
    for route in url_routes():
        made = requests_for(route, w)
        assert made, f"No request made for {route.name}"
        for request in made:
            match = resolve(request.path)
            assert match.route == route.route, (
                f"{request.path} was built for {route.route} but resolves to {match.route}"
            )
        requests += made
    return requests


# --- What must not change, whatever the author posts ----------------------------------------------


def rows(queryset, *fields):
    return sorted(queryset.values_list(*fields))


def protected_state(w):
    """What the author may not change, as plain data to compare before and after a request."""
    User = type(w.author)
    articles = {
        w.pages[label].pk for label in ("editor_article", "draft_article", "private_article")
    }
    fixed_pages = [p.pk for p in w.pages.values() if p.pk not in articles]
    article_types = [
        ContentType.objects.get_for_model(type(w.pages["editor_article"])).pk,
        ContentType.objects.get(app_label="case_studies", model="casestudypage").pk,
    ]
    page_fields = (
        "pk",
        "path",
        "live",
        "locked",
        "locked_by_id",
        "title",
        "draft_title",
        "slug",
        "latest_revision_id",
        "has_unpublished_changes",
        "owner_id",
        "go_live_at",
        "expire_at",
        "alias_of_id",
        "show_in_menus",
    )
    return {
        "pages the author may not edit": rows(
            Page.objects.filter(pk__in=fixed_pages), *page_fields
        ),
        # Authors edit articles (new revisions, titles) but never publish, unpublish, lock or
        # move a live one.
        "live articles": rows(
            Page.objects.filter(pk__in=articles, live=True),
            "pk",
            "path",
            "live",
            "locked",
            "locked_by_id",
            "go_live_at",
            "expire_at",
        ),
        "live pages": rows(Page.objects.filter(live=True), "pk"),
        "locked pages": rows(Page.objects.filter(locked=True), "pk", "locked_by_id"),
        "pages other than articles": rows(
            Page.objects.exclude(content_type_id__in=article_types), "pk", "path"
        ),
        "revisions of pages the author may not edit": rows(
            Revision.page_revisions.filter(object_id__in=[str(pk) for pk in fixed_pages]),
            "pk",
            "approved_go_live_at",
        ),
        "scheduled revisions": rows(
            Revision.objects.exclude(approved_go_live_at=None), "pk", "approved_go_live_at"
        ),
        "page view restrictions": rows(
            PageViewRestriction.objects.all(), "pk", "page_id", "restriction_type", "password"
        ),
        "collection view restrictions": rows(
            CollectionViewRestriction.objects.all(),
            "pk",
            "collection_id",
            "restriction_type",
            "password",
        ),
        "collections": rows(Collection.objects.all(), "pk", "name", "path"),
        "users": rows(
            User.objects.all(),
            "pk",
            "username",
            "email",
            "is_active",
            "is_staff",
            "is_superuser",
            "password",
            "first_name",
            "last_name",
        ),
        "group memberships": rows(User.groups.through.objects.all(), "user_id", "group_id"),
        "user permissions": rows(
            User.user_permissions.through.objects.all(), "user_id", "permission_id"
        ),
        "groups": rows(Group.objects.all(), "pk", "name"),
        "group permissions": rows(
            Group.permissions.through.objects.all(), "group_id", "permission_id"
        ),
        "page permissions": rows(
            GroupPagePermission.objects.all(), "group_id", "page_id", "permission_id"
        ),
        "collection permissions": rows(
            GroupCollectionPermission.objects.all(), "group_id", "collection_id", "permission_id"
        ),
        "permissions": Permission.objects.count(),
        "sites": rows(
            Site.objects.all(),
            "pk",
            "hostname",
            "port",
            "site_name",
            "root_page_id",
            "is_default_site",
        ),
        "call to action settings": rows(
            CallToActionSettings.objects.all(),
            "pk",
            "site_id",
            "service_prompt",
            "book_call_heading",
            "book_call_text",
            "book_call_link_text",
            "book_call_page_id",
        ),
        "site identity settings": rows(
            SiteIdentitySettings.objects.all(),
            "pk",
            "site_id",
            "author_name",
            "default_share_image_id",
        ),
        "redirects": rows(
            Redirect.objects.all(),
            "pk",
            "old_path",
            "site_id",
            "is_permanent",
            "redirect_page_id",
            "redirect_link",
        ),
        "workflows": rows(Workflow.objects.all(), "pk", "name", "active"),
        "tasks": rows(Task.objects.all(), "pk", "name", "active"),
        "workflow tasks": rows(WorkflowTask.objects.all(), "workflow_id", "task_id", "sort_order"),
        "workflow pages": rows(WorkflowPage.objects.all(), "page_id", "workflow_id"),
        "approval task groups": rows(
            GroupApprovalTask.groups.through.objects.all(), "groupapprovaltask_id", "group_id"
        ),
        "workflow states": rows(
            WorkflowState.objects.all(), "pk", "status", "current_task_state_id"
        ),
        "task states": rows(TaskState.objects.all(), "pk", "status", "finished_by_id"),
        "form submissions": rows(FormSubmission.objects.all(), "pk", "page_id"),
        "images of others": rows(
            Image.objects.exclude(uploaded_by_user=w.author),
            "pk",
            "title",
            "collection_id",
            "file",
            "focal_point_x",
            "focal_point_y",
            "uploaded_by_user_id",
        ),
        "documents of others": rows(
            Document.objects.exclude(uploaded_by_user=w.author),
            "pk",
            "title",
            "collection_id",
            "file",
            "uploaded_by_user_id",
        ),
        "tags on images and documents": rows(
            TaggedItem.objects.filter(
                content_type__in=[
                    ContentType.objects.get_for_model(Image),
                    ContentType.objects.get_for_model(Document),
                ]
            ),
            "object_id",
            "tag_id",
        ),
        "uploads of others": rows(
            UploadedFile.objects.exclude(uploaded_by_user=w.author), "pk", "file"
        ),
    }


def changes(before, after):
    return sorted(key for key in before if before[key] != after[key])
