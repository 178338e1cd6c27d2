"""What an author, and a visitor who is not signed in, can reach: every URL, not a chosen few.

The rule: as an author, request every admin and API URL with the ids of pages, revisions,
images, documents, form submissions, settings, users, workflows and redirects the author may not
touch, and get 302, 403 or 404 (405 for a method a view does not take), never their content.
Anonymous visitors never get a draft, a preview, a private page or a private document.

The URLs come from Django's resolver, walked pattern by pattern (bulk actions from Wagtail's
registry); each pattern's parameters are filled with the ids of the objects it is about, and a
few query strings are added (searches for words only secret content contains, CSV exports).
Every object carries a canary string in its secret content (a draft's text, a submission, a
settings value, an email address...), so a response that shows it is caught whatever its
status. Each request (GET; POST with an empty body; and, where a real client would send one, the
body of the action: an admin API action's JSON, a bulk action's choice, "make this public") runs
in a savepoint that is rolled back afterwards, and before the rollback what the author may not
change is compared with how it was: a POST that publishes, unpublishes, moves, deletes, locks,
approves, or edits users, groups, workflows, settings or redirects is caught even when its
response looks like a refusal.

Refusals are 301/302/303, 403, 404, 405, and 400 (a body refused before any permission check:
the JSON bodies show the permission check behind it). A 200, 201 or 204 to the author is
accepted only for the URLs in AUTHOR_MAY_VIEW, each with its reason, and even then only without
the canaries it may not show. A 500 is a failure, except Wagtail's own errors on a form posted
empty where the author is allowed in, and those in KNOWN_CRASHES.
"""

import base64
import datetime
import itertools
import json
import logging
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.regex_helper import normalize
from taggit.models import TaggedItem
from wagtail.admin.models import EditingSession
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
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
    get_page_models,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from consultancy_site.editorial.review_links.models import ReviewLink
from consultancy_site.editorial.review_links.views import hash_token
from consultancy_site.models import BookACallSubmission, CallToActionSettings, SiteIdentitySettings
from consultancy_site.permissions import AUTHORS, EDITORS, TASK_NAME, WORKFLOW_NAME
from tests import factories
from topics.models import ArticlePage, TopicIndexPage

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()

PAGE_PASSWORD = "open-sesame-4417"

# Canaries: lower case letters, digits and hyphens only, so HTML and JSON escaping leave them
# alone. Each sits in content that only some people may see.
CANARY = {
    "home_draft": "cnry-home-draft-k2v9",  # unpublished revision of the home page
    "writing_draft": "cnry-writing-draft-p4d1",  # unpublished revision of the Writing index
    "topic_draft": "cnry-topic-draft-m8q3",  # topic revision submitted for review by the editor
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
    "reviewer": "cnry-reviewer-q7z4",  # whom the editor shared the topic's draft with
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
    review_links: dict = field(default_factory=dict)  # label -> (ReviewLink, its token)


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
def world(site_tree, media, author, editor):
    # The editor's address is a canary: no page an author reaches may show it.
    editor.email = f"{CANARY['user_email']}@example.com"
    editor.save(update_fields=["email"])
    tree = site_tree
    services = tree.service.get_parent().specific

    for page in (
        tree.home,
        tree.writing,
        tree.topic,
        services,
        tree.case_studies,
        tree.book_a_call,
    ):
        Page.objects.filter(pk=page.pk).update(owner=editor)

    topic2 = factories.TopicIndexPageFactory(
        parent=tree.writing, title="Machine Learning", slug="machine-learning", owner=editor
    )
    editor_article = factories.ArticlePageFactory(
        parent=tree.topic, title="Partitioning at scale", slug="partitioning", owner=editor
    )
    draft_article = factories.ArticlePageFactory(
        parent=tree.topic,
        title="Work in progress",
        slug="work-in-progress",
        owner=editor,
        live=False,
        has_unpublished_changes=True,
        body=paragraph(f"Unfinished thoughts, ocelot. {CANARY['article_draft']}"),
        summary=f"Not out yet {CANARY['article_draft']}",
    )
    private_article = factories.ArticlePageFactory(
        parent=tree.topic,
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
        "topic": tree.topic,
        "topic2": topic2,
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
    # The editor has scheduled a change to the second topic: a revision waiting for its go-live.
    scheduled = type(topic2).objects.get(pk=topic2.pk)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=7)
    scheduled.lede = "A lede for next week"
    scheduled.save_revision(user=editor).publish(user=editor)
    save_draft(tree.home, editor, intro=f"Next season's pitch {CANARY['home_draft']}")
    save_draft(tree.writing, editor, lede=f"Rewritten lede {CANARY['writing_draft']}")
    save_draft(tree.book_a_call, editor, intro=f"<p>New wording {CANARY['call_draft']}</p>")
    save_draft(draft_article, editor, summary=f"Still not out {CANARY['article_draft']}")
    save_draft(
        editor_article, editor, summary=f"An edit not yet published {CANARY['article_pending']}"
    )
    topic_draft = save_draft(
        tree.topic, editor, lede=f"A bolder lede, ocelot {CANARY['topic_draft']}"
    )

    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    task = Task.objects.get(name=TASK_NAME)
    topic = type(tree.topic).objects.get(pk=tree.topic.pk)
    workflow_state = workflow.start(topic, editor)
    task_state = TaskState.objects.get(workflow_state=workflow_state)
    assert task_state.revision_id == topic_draft.pk

    spare_task = GroupApprovalTask.objects.create(name=f"Second look {CANARY['spare_task']}")
    spare_task.groups.set([Group.objects.get(name=EDITORS)])
    spare_workflow = Workflow.objects.create(name=f"Legal review {CANARY['spare_workflow']}")
    WorkflowTask.objects.create(workflow=spare_workflow, task=spare_task, sort_order=0)

    submission = tree.book_a_call.get_submission_class().objects.create(
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
        object_id=str(tree.topic.pk),
        last_seen_at=topic_draft.created_at,
        is_editing=True,
    )

    # The editor shared the topic's draft: one link that works, one revoked. The working one is
    # not walked on the public site (showing the draft is what it is for).
    review_links = {}
    for label, revoked_at in (("review link", None), ("revoked review link", timezone.now())):
        token = f"{label.replace(' ', '-')}-{'k' * 32}"
        link = ReviewLink.objects.create(
            page=tree.topic,
            token_hash=hash_token(token),
            reviewer=f"Client {CANARY['reviewer']}",
            created_by=editor,
            expires_at=timezone.now() + datetime.timedelta(days=7),
            revoked_at=revoked_at,
            revoked_by=editor if revoked_at else None,
        )
        review_links[label] = (link, token)

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
        review_links=review_links,
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
    subject: str  # what the URL is about: a page label, "image", "editor", ... or "-"
    detail: str  # the other values it was given, for the report
    path: str
    query: str = ""
    values: dict = field(default_factory=dict)
    # POST bodies tried after the empty one: (label, data, content type or None for a form).
    bodies: list = field(default_factory=list)

    @property
    def url(self):
        return f"{self.path}?{self.query}" if self.query else self.path

    def __str__(self):
        about = " ".join(filter(None, [self.subject, self.detail]))
        return f"{self.url} [{self.route.name} / {about}]"


PAGE_PARAMS = {"page_id", "parent_page_id", "page_to_move_id", "page_pk"}
# Patterns whose bare "pk" is a page.
PAGE_PK_NAMES = {
    "wagtailadmin_api:pages:detail",
    "wagtailadmin_api:pages:action",
    "wagtailadmin_pages:revisions_compare",
}
API_PAGE_ACTIONS = [
    "convert_alias",
    "copy",
    "copy_for_translation",
    "create_alias",
    "delete",
    "move",
    "publish",
    "revert_to_page_revision",
    "unpublish",
]
WORKFLOW_ACTIONS = ["approve", "reject"]
# Query strings tried besides none: searches for words that only secret content contains
# ("quokka": the private article, "narwhal": the private service page, "ocelot": the draft
# article and the topic's draft), and spreadsheet exports.
SEARCHES = ["q=quokka", "q=narwhal", "q=ocelot"]
QUERIES = {
    "search": SEARCHES,
    "wagtailadmin_pages:search": SEARCHES,
    "wagtailadmin_pages:search_results": SEARCHES,
    "wagtailadmin_choose_page_search": SEARCHES,
    "wagtailadmin_api:pages:listing": ["search=quokka", "search=ocelot", "fields=*"],
    "wagtailadmin_api:pages:detail": ["fields=*"],
    "wagtailforms:list_submissions": ["export=csv", "export=xlsx"],
    "wagtailforms:list_submissions_results": ["export=csv"],
    "wagtailusers_users:index": ["export=csv"],
    "wagtailadmin_reports:site_history": ["export=csv"],
    "wagtailadmin_reports:aging_pages": ["export=csv"],
    "wagtailadmin_reports:workflow": ["export=csv"],
    "wagtailadmin_reports:workflow_tasks": ["export=csv"],
    "wagtailadmin_reports:locked_pages": ["export=csv"],
    "articles_due_for_review": ["export=csv", "export=xlsx", "months=1"],
    "book_a_call_conversions": ["export=csv", "period=365"],
}
# Unnamed patterns whose regex normalize() cannot turn into a useful URL.
FIXED_PATHS = {"admin/^.*/$": "admin/no-such-area/"}


def model_key(model):
    return model._meta.app_label, model._meta.model_name


def page_models():
    return sorted(model_key(model) for model in get_page_models())


def page_types_under(page):
    """Page types worth trying to add below `page`: what may go there, and an article and a topic."""
    models = set(page.specific_class.creatable_subpage_models()) | {ArticlePage, TopicIndexPage}
    return sorted(model_key(model) for model in models)


def pk_targets(route, w):
    """What a pattern's bare "pk" is, by the pattern's name."""
    docs = [(label, doc.pk) for label, doc in w.documents.items()]
    tasks = [("task", w.task.pk), ("spare_task", w.spare_task.pk)]
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
        ("wagtailadmin_workflows:edit_task", tasks),
        ("wagtailadmin_workflows:disable_task", tasks),
        ("wagtailadmin_workflows:enable_task", tasks),
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
        if route.name.startswith(prefix):
            return targets
    raise AssertionError(f"No objects known for the pk of {route.name} ({route.route}): add them")


def uid(user):
    return base64.urlsafe_b64encode(str(user.pk).encode()).decode().rstrip("=")


def choices_for(route, w, page_label):
    """For each group of parameters of `route`: the (label, {param: value}) choices to try."""
    params = set(route.params)
    name = route.name
    page = w.pages.get(page_label)
    # The root page has no revisions: it is tried with the topic's (which belong to another page).
    revisions = (w.revisions.get(page_label) or w.revisions["topic"]) if page_label else []
    groups = []

    def choose(names, choices):
        groups.append(choices)
        params.difference_update(names)

    def single(param, choices):
        choose({param}, [(label, {param: value}) for label, value in choices])

    for param in sorted(params & PAGE_PARAMS):
        single(param, [(page_label, page.pk)])
    if "pk" in params and name in PAGE_PK_NAMES:
        single("pk", [(page_label, page.pk)])
    if "revision_id" in params:
        single("revision_id", [("", revisions[-1])])
    if {"revision_id_a", "revision_id_b"} <= params:
        choose(
            {"revision_id_a", "revision_id_b"},
            [("", {"revision_id_a": revisions[0], "revision_id_b": revisions[-1]})],
        )
    if "destination_id" in params:
        single("destination_id", [("to topic2", w.pages["topic2"].pk)])
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
        kinds = page_types_under(page) if page is not None else page_models()
        choose(
            {"content_type_app_name", "content_type_model_name"},
            [
                (f"{app}.{model}", {"content_type_app_name": app, "content_type_model_name": model})
                for app, model in kinds
            ],
        )
    if "object_id" in params:  # editing sessions: the page being edited
        choose(
            {"app_label", "model_name", "object_id"},
            [("", {"app_label": "wagtailcore", "model_name": "page", "object_id": page.pk})],
        )
    if "session_id" in params:
        single("session_id", [("editor's session", w.editing_session.pk)])
    if {"app_label", "model_name"} <= params:
        if name == "wagtailadmin_pages:choose_parent":
            kinds = page_models()
        elif name == "wagtailadmin_workflows:add_task":
            kinds = [model_key(GroupApprovalTask)]
        else:
            raise AssertionError(f"No models known for {name} ({route.route}): add them")
        choose(
            {"app_label", "model_name"},
            [(f"{app}.{model}", {"app_label": app, "model_name": model}) for app, model in kinds],
        )
    if {"app_name", "model_name"} <= params:
        if name.startswith("wagtailsettings:"):
            kinds = [model_key(CallToActionSettings), model_key(SiteIdentitySettings)]
        else:  # tag autocomplete: the taggable models
            kinds = [model_key(Image), model_key(Document)]
        choose(
            {"app_name", "model_name"},
            [(f"{app}.{model}", {"app_name": app, "model_name": model}) for app, model in kinds],
        )
    if "pk" in params:
        single("pk", pk_targets(route, w))
    if "image_id" in params:
        single("image_id", [("image", w.image.pk)])
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
        choose({"uidb64", "token"}, [("editor", {"uidb64": uid(w.editor), "token": "bad-token"})])
    if "section" in params:
        single("section", [("", "pages")])
    if "link_id" in params:
        single("link_id", [(label, link.pk) for label, (link, _token) in w.review_links.items()])
    if name == "review_link":
        single(
            "token",
            [("revoked review link", w.review_links["revoked review link"][1])]
            + [("unknown review link", "no-such-review-link-" + "z" * 32)],
        )
    if name == "wagtaildocs_serve":
        choose(
            {"_0", "_1"},
            [(label, {"_0": doc.pk, "_1": doc.filename}) for label, doc in w.documents.items()],
        )
    if name == "wagtail_serve":
        choose(
            {"_0"},
            [
                (label, {"_0": p.get_url_parts()[2].lstrip("/")})
                for label, p in w.pages.items()
                if label != "root"
            ]
            + [
                # The topic's own routes (feeds of its articles), and paths through pages that
                # are not public: Wagtail's route() goes on below them.
                ("topic", {"_0": "writing/data-engineering/feed/"}),
                ("topic", {"_0": "writing/data-engineering/feed/atom/"}),
                ("draft_article", {"_0": "writing/data-engineering/work-in-progress/more/"}),
                ("private_service", {"_0": "services/retainer-terms/more/"}),
                ("no such page", {"_0": "no-such-page/"}),
            ],
        )
    if name == "page_text":
        # Markdown twins of every page (only live, public articles have one) and topics' llms.txt.
        choose(
            {"_0"},
            [
                (label, {"_0": p.get_url_parts()[2].lstrip("/") + "index.md"})
                for label, p in w.pages.items()
                if label != "root" and p.get_url_parts() and p.get_url_parts()[2] != "/"
            ]
            + [("topic", {"_0": "writing/data-engineering/llms.txt"})],
        )
    assert not params, f"No values known for {sorted(params)} of {name} ({route.route}): add them"
    return groups


def api_action_bodies(request, w):
    """The JSON a real client sends for an admin API page action (an empty body is tried too)."""
    topic2 = w.pages["topic2"].pk
    revisions = w.revisions.get(request.subject) or w.revisions["topic"]
    body = {
        "copy": {"destination_page_id": topic2},
        "create_alias": {"destination_page_id": topic2},
        "move": {"destination_page_id": topic2},
        "revert_to_page_revision": {"revision_id": revisions[0]},
    }.get(request.values["action_name"], {})
    return [("json", json.dumps(body), "application/json")]


def bulk_action_bodies(app_label, model_name, action, subject, w):
    """What the confirmation form of a bulk action posts, for actions that take a choice."""
    other_collection = w.root_collection.pk if subject == "private_doc" else w.private_collection.pk
    return {
        ("page", "move"): [("to topic2", {"chooser": w.pages["topic2"].pk}, None)],
        ("image", "add_to_collection"): [("collection", {"collection": other_collection}, None)],
        ("document", "add_to_collection"): [("collection", {"collection": other_collection}, None)],
        ("image", "add_tags"): [("tags", {"tags": "pwned"}, None)],
        ("document", "add_tags"): [("tags", {"tags": "pwned"}, None)],
        ("user", "assign_role"): [("editors", {"role": w.groups["editors"].pk}, None)],
        ("user", "set_active_state"): [("inactive", {"mark_as_active": ""}, None)],
    }.get((model_name, action), [])


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
                values = {"app_label": app_label, "model_name": model_name, "action": action}
                path = "/" + route.template % values
                for label, pk in objects:
                    requests.append(
                        Request(
                            route,
                            label,
                            f"{model_name} {action}",
                            path,
                            f"id={pk}",
                            values,
                            bulk_action_bodies(app_label, model_name, action, label, w),
                        )
                    )
    return requests


def requests_for(route, w):
    """The concrete requests for one URL pattern, each naming what it is about."""
    if route.name == "wagtail_bulk_action":
        return bulk_requests(route, w)
    if route.route in FIXED_PATHS:
        return [Request(route, "-", "", "/" + FIXED_PATHS[route.route])]
    params = set(route.params)
    about_pages = (
        bool(params & PAGE_PARAMS)
        or ("pk" in params and route.name in PAGE_PK_NAMES)
        or "object_id" in params  # editing sessions: the page being edited
    )
    requests = []
    for page_label in list(w.pages) if about_pages else [None]:
        for combination in itertools.product(*choices_for(route, w, page_label)):
            values, labels = {}, []
            for label, chosen in combination:
                values.update({key: str(value) for key, value in chosen.items()})
                if label and label != page_label:
                    labels.append(label)
            subject = page_label or (labels.pop(0) if labels else "-")
            path = "/" + route.template % values
            for query in ["", *QUERIES.get(route.name, [])]:
                request = Request(route, subject, " ".join(labels), path, query, values)
                if route.name == "wagtailadmin_api:pages:action":
                    request.bodies = api_action_bodies(request, w)
                if route.name.endswith(":set_privacy"):
                    request.bodies = [("public", {"restriction_type": "none"}, None)]
                requests.append(request)
    return requests


def all_requests(w):
    """Every pattern of the URLconf, filled in: (the patterns, the requests)."""
    routes, requests = url_routes(), []
    for route in routes:
        made = requests_for(route, w)
        assert made, f"No request made for {route.name} ({route.route})"
        for request in made:
            match = resolve(request.path)
            assert match.route == route.route, (
                f"{request.path} was built for {route.route} but resolves to {match.route}"
            )
        requests += made
    return routes, requests


# --- What must not change, whatever the author posts ----------------------------------------------


def rows(queryset, *fields):
    return sorted(queryset.values_list(*fields))


def protected_state(w):
    """What the author may not change, as plain data to compare before and after a request."""
    User = type(w.author)
    articles = [
        w.pages[label].pk for label in ("editor_article", "draft_article", "private_article")
    ]
    fixed_pages = [p.pk for p in w.pages.values() if p.pk not in articles]
    article_types = [
        ContentType.objects.get_for_model(type(w.pages["editor_article"])).pk,
        ContentType.objects.get(app_label="case_studies", model="casestudypage").pk,
    ]
    media_types = [
        ContentType.objects.get_for_model(Image),
        ContentType.objects.get_for_model(Document),
    ]
    page_fields = [
        "pk", "path", "live", "locked", "locked_by_id", "title", "draft_title", "slug",
        "latest_revision_id", "has_unpublished_changes", "owner_id", "go_live_at", "expire_at",
        "alias_of_id", "show_in_menus",
    ]  # fmt: skip
    return {
        "pages the author may not edit": rows(
            Page.objects.filter(pk__in=fixed_pages), *page_fields
        ),
        # Authors edit any article (new revisions, titles, and may move or delete one that was
        # never published) but never publish, unpublish, lock or move a live one.
        "live articles": rows(
            Page.objects.filter(pk__in=articles, live=True),
            "pk",
            "path",
            "live",
            "locked",
            "locked_by_id",
            "go_live_at",
            "expire_at",
        ),  # fmt: skip
        "live pages": rows(Page.objects.filter(live=True), "pk", "live_revision_id"),
        "locked pages": rows(Page.objects.filter(locked=True), "pk", "locked_by_id"),
        "pages other than articles": rows(
            Page.objects.exclude(content_type_id__in=article_types), "pk", "path"
        ),
        "revisions of pages the author may not edit": rows(
            Revision.page_revisions.filter(object_id__in=[str(pk) for pk in fixed_pages]),
            "pk",
            "approved_go_live_at",
        ),  # fmt: skip
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
        ),  # fmt: skip
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
        ),  # fmt: skip
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
        ),  # fmt: skip
        "call to action settings": rows(
            CallToActionSettings.objects.all(),
            "pk",
            "site_id",
            "service_prompt",
            "book_call_heading",
            "book_call_text",
            "book_call_link_text",
            "book_call_page_id",
        ),  # fmt: skip
        "site identity settings": rows(
            SiteIdentitySettings.objects.all(),
            "pk",
            "site_id",
            "author_name",
            "default_share_image_id",
        ),  # fmt: skip
        # Wagtail creates redirects by itself when a page moves (an author may move a draft
        # article): only those made by hand are the editors'.
        "redirects": rows(
            Redirect.objects.filter(automatically_created=False),
            "pk",
            "old_path",
            "site_id",
            "is_permanent",
            "redirect_page_id",
            "redirect_link",
        ),  # fmt: skip
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
        "form submissions": rows(BookACallSubmission.objects.all(), "pk", "page_id", "form_data"),
        "images of others": rows(
            Image.objects.exclude(uploaded_by_user=w.author),
            "pk",
            "title",
            "collection_id",
            "file",
            "focal_point_x",
            "focal_point_y",
            "uploaded_by_user_id",
        ),  # fmt: skip
        "documents of others": rows(
            Document.objects.exclude(uploaded_by_user=w.author),
            "pk",
            "title",
            "collection_id",
            "file",
            "uploaded_by_user_id",
        ),  # fmt: skip
        "tags on images and documents": rows(
            TaggedItem.objects.filter(content_type__in=media_types), "object_id", "tag_id"
        ),
        "uploads of others": rows(
            UploadedFile.objects.exclude(uploaded_by_user=w.author), "pk", "file"
        ),
        "editing sessions of others": rows(
            EditingSession.objects.exclude(user=w.author), "pk", "object_id", "is_editing"
        ),
        "review links": rows(
            ReviewLink.objects.all(), "pk", "page_id", "reviewer", "expires_at", "revoked_at"
        ),
    }


def changes(before, after):
    return sorted(key for key in before if before[key] != after[key])


# --- Sending every request ------------------------------------------------------------------------


@dataclass
class Outcome:
    request: Request
    method: str  # "GET", "POST", or "POST <label of the body>"
    status: int
    location: str = ""
    canaries: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    error: str = ""

    def __str__(self):
        text = f"{self.method} {self.request} -> {self.status}"
        if self.location:
            text += f" to {self.location}"
        if self.canaries:
            text += f", showing {', '.join(self.canaries)}"
        if self.changed:
            text += f", changing {', '.join(self.changed)}"
        if self.error:
            text += f", raising {self.error}"
        return text


class Rollback(Exception):
    pass


def response_text(response):
    """The body (and redirect target) in lower case. Django's test client closes the response
    itself (a streamed one once read): closing it again would fire request_finished, whose
    close_old_connections closes a PostgreSQL connection in the middle of the test's transaction."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return (body.decode(errors="replace") + " " + response.get("Location", "")).lower()


def send(client, session_cookie, request, method, body, w, baseline):
    """One request, rolled back afterwards: what it answered, showed and changed."""
    client.cookies.clear()
    if session_cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
    outcome = None
    writes = []  # a request that writes nothing cannot have changed the protected state

    def note_writes(execute, sql, params, many, context):
        if sql.lstrip()[:7].upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
            writes.append(sql)
        return execute(sql, params, many, context)

    try:
        with transaction.atomic(), connection.execute_wrapper(note_writes):
            try:
                if method == "GET":
                    response = client.get(request.url)
                elif body is None:
                    response = client.post(request.url, {})
                else:
                    _label, data, content_type = body
                    extra = {"content_type": content_type} if content_type else {}
                    response = client.post(request.url, data, **extra)
            except Exception as error:  # noqa: BLE001 (a crash is a finding; the walk goes on)
                outcome = Outcome(request, method, 500, error=f"{type(error).__name__}: {error}")
            else:
                text = response_text(response)
                outcome = Outcome(
                    request,
                    method,
                    response.status_code,
                    location=response.get("Location", ""),
                    canaries=sorted(name for name, value in CANARY.items() if value in text),
                    changed=changes(baseline, protected_state(w)) if writes else [],
                )
            raise Rollback
    except Rollback:
        pass
    finally:
        cache.clear()  # what a rolled-back request cached (chrome, restrictions) goes too
    return outcome


def walk(client, w, requests):
    """GET and POST each of `requests`, as whoever `client` is signed in as."""
    session_cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    session_cookie = session_cookie.value if session_cookie else None
    baseline = protected_state(w)
    outcomes = []
    for request in requests:
        outcomes.append(send(client, session_cookie, request, "GET", None, w, baseline))
        outcomes.append(send(client, session_cookie, request, "POST", None, w, baseline))
        for body in request.bodies:
            outcomes.append(
                send(client, session_cookie, request, f"POST {body[0]}", body, w, baseline)
            )
    assert protected_state(w) == baseline, "the walk left a change behind"
    return outcomes


# --- What an author may open, and why -------------------------------------------------------------


@dataclass(frozen=True)
class Allow:
    reason: str
    subjects: frozenset | None = None  # None: whatever the URL is about
    methods: frozenset = frozenset({"GET", "POST"})  # "POST" covers every body posted
    canaries: frozenset = frozenset()  # may show these, on top of what is visible anyway
    crash: str = ""  # an exception accepted here: Wagtail's answer to a form posted empty
    actions: frozenset | None = None  # admin API page actions: only these

    def covers(self, outcome):
        request = outcome.request
        return (
            (self.subjects is None or request.subject in self.subjects)
            and outcome.method.split()[0] in self.methods
            and (self.actions is None or request.values.get("action_name") in self.actions)
        )


ARTICLES = frozenset({"editor_article", "draft_article", "private_article"})
NEVER_PUBLISHED = frozenset({"draft_article"})
WHERE_AUTHORS_ADD = frozenset({"topic", "topic2", "case_studies"})
MEDIA_NAMES = frozenset({"image_title", "doc_title", "private_doc_title", "collection"})
WORKFLOW_NAMES = frozenset({"spare_workflow", "spare_task"})
# A preview renders the page in the site's chrome, which shows the (public) settings.
SITE_CHROME = frozenset({"settings", "identity"})
GET = frozenset({"GET"})
POST = frozenset({"POST"})
EMPTY_FORM = "MultiValueDictKeyError"  # Wagtail's StreamField and formsets on an empty POST


def allow(*names, **kwargs):
    entry = Allow(**kwargs)
    return dict.fromkeys(names, (entry,))


AUTHOR_MAY_VIEW = {
    # The admin itself.
    **allow("wagtailadmin_home", reason="their dashboard"),
    **allow("wagtailadmin_account", reason="their own account settings"),
    **allow("wagtailadmin_dismissibles", reason="the hints they dismissed"),
    **allow("wagtailadmin_javascript_catalog", "wagtailadmin_sprite", reason="admin assets"),
    **allow("admin/test404/", reason="Wagtail's static 'not found' template"),
    **allow("wagtailadmin_login", reason="the sign-in form, shown again for an empty POST"),
    **allow(
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        reason="password reset forms, open to anybody (an invalid link is refused in the page)",
    ),
    **allow("wagtailadmin_tag_autocomplete", reason="tag names, to tag their images and documents"),
    **allow(
        "wagtailadmin_error_test",
        reason="Wagtail's deliberate error page, for any admin user",
        crash="Exception: This is a test",
    ),
    # Finding pages: titles only. The canaries prove no draft, private content or submission.
    **allow(
        "wagtailadmin_explore",
        "wagtailadmin_explore_results",
        reason="the explorer: Wagtail lists only the children the author may explore; the "
        "heading names the page asked for",
    ),
    **allow(
        "wagtailadmin_api:pages:listing",
        "wagtailadmin_api:pages:detail",
        reason="the explorer menu's API: live fields of pages the author may explore",
    ),
    **allow(
        "wagtailadmin_choose_page",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_choose_page_search",
        "wagtailadmin_choose_page_chosen_multiple",
        "wagtailadmin_choose_page_email_link",
        "wagtailadmin_choose_page_phone_link",
        "wagtailadmin_choose_page_anchor_link",
        reason="the link chooser: any page's title, to link to it from an article",
    ),
    **allow(
        "wagtailadmin_choose_page_external_link",
        reason="the link chooser (Wagtail crashes on an empty POST: no URL to check)",
        crash="AttributeError",
    ),
    **allow(
        "wagtailadmin_pages:search",
        "wagtailadmin_pages:search_results",
        "wagtailadmin_pages:type_use",
        "wagtailadmin_pages:type_use_results",
        reason="page search and pages of a type: titles of pages the author may explore",
    ),
    **allow(
        "wagtailadmin_pages:choose_parent",
        reason="where a page of some type may be added (the add view decides)",
    ),
    # Writing: authors add articles and case studies, and edit any article.
    **allow(
        "wagtailadmin_pages:add",
        reason="authors add articles below topics and case studies below their index",
        subjects=WHERE_AUTHORS_ADD,
        crash=EMPTY_FORM,
    ),
    **allow(
        "wagtailadmin_pages:preview_on_add",
        reason="a preview of the author's own unsaved form, where they may add pages",
        subjects=WHERE_AUTHORS_ADD,
        canaries=SITE_CHROME,
    ),
    **allow(
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:revisions_revert",
        reason="authors edit any article (the design: AuthoredPageMixin narrows only locking)",
        subjects=ARTICLES,
        crash=EMPTY_FORM,
    ),
    **allow(
        "wagtailadmin_pages:preview_on_edit",
        "wagtailadmin_pages:view_draft",
        "wagtailadmin_pages:revisions_view",
        reason="previews of an article the author may edit, in the site's chrome",
        subjects=ARTICLES,
        canaries=SITE_CHROME,
    ),
    **allow(
        "wagtailadmin_pages:revisions_compare",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:history_results",
        "wagtailadmin_pages:usage",
        "wagtailadmin_pages:workflow_history",
        reason="the history of an article the author may edit",
        subjects=ARTICLES,
    ),
    **allow(
        "wagtailadmin_pages:copy",
        reason="Wagtail lets whoever may edit a page copy it; a copy is an unpublished draft",
        subjects=ARTICLES,
        crash=EMPTY_FORM,
    ),
    **allow(
        "wagtailadmin_pages:delete",
        "wagtailadmin_pages:move",
        reason="an article never published may be deleted or moved by whoever may change it "
        "(Wagtail's rule for 'change' without 'publish'); a live one may not",
        subjects=NEVER_PUBLISHED,
    ),
    "wagtailadmin_api:pages:action": (
        Allow(
            "the same delete and move through the admin API",
            subjects=NEVER_PUBLISHED,
            methods=POST,
            actions=frozenset({"delete", "move"}),
        ),
        Allow(
            "reverting an article to an older revision makes a new draft, as the edit form does "
            "(publishing stays refused: the live revision is part of the protected state)",
            subjects=ARTICLES,
            methods=POST,
            actions=frozenset({"revert_to_page_revision"}),
        ),
    ),
    **allow(
        "wagtailadmin_pages:move_confirm",
        reason="Wagtail 8 renders 'Move <page> into <page>?' without a permission check: two "
        "titles; the POST that moves is checked (MovePageAction), see the POST outcomes",
        methods=GET,
    ),
    **allow(
        "wagtailadmin_pages:confirm_workflow_cancellation",
        reason="Wagtail 8 tells any admin user which task of which workflow a page is at: "
        "names only, nothing is cancelled",
    ),
    **allow(
        "wagtailadmin_editing_sessions:ping",
        reason="who else is editing an article the author may edit",
        subjects=ARTICLES,
        methods=POST,
    ),
    **allow(
        "wagtailadmin_editing_sessions:release",
        reason="releases the requester's own session only (the editor's stays: 'editing "
        "sessions of others' is unchanged)",
        methods=POST,
    ),
    # Reports Wagtail shows every admin user, over the pages they may explore or change.
    **allow(
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:aging_pages_results",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:site_history_results",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_results",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:workflow_tasks_results",
        reason="Wagtail's reports for every admin user; the workflow reports' filters name "
        "every workflow and task",
        canaries=WORKFLOW_NAMES,
        methods=GET,
    ),
    # Workflows: choosing a task is open to any admin user in Wagtail 8; creating one is not.
    **allow(
        "wagtailadmin_workflows:task_chooser",
        "wagtailadmin_workflows:task_chooser_results",
        reason="Wagtail's task chooser names every active task to any admin user",
        canaries=WORKFLOW_NAMES,
        methods=GET,
    ),
    **allow(
        "wagtailadmin_workflows:task_chooser_create",
        reason="the chooser's 'create' tab, without a form for someone who may not add tasks "
        "(its POST is refused with 400)",
        methods=GET,
    ),
    **allow("wagtailadmin_workflows:task_chosen", reason="a task's name and id, as JSON"),
    # Forms: the listing shows the form pages the author may change, which is none.
    **allow(
        "wagtailforms:index",
        "wagtailforms:index_results",
        reason="form pages the author may change: none (the submission never shows)",
        methods=GET,
    ),
    # Images and documents: authors add them and choose any, in any collection (the migration
    # grants add and choose on the root collection); they change and delete only their own.
    **allow(
        "wagtailimages:index",
        "wagtailimages:index_results",
        "wagtailimages:add",
        "wagtailimages:add_multiple",
        "wagtailimages_chooser:choose",
        "wagtailimages_chooser:choose_results",
        "wagtailimages_chooser:chosen",
        "wagtailimages_chooser:chosen_multiple",
        "wagtailimages_chooser:create",
        "wagtailimages_chooser:select_format",
        "wagtailadmin_api:images:listing",
        "wagtailadmin_api:images:detail",
        "wagtaildocs:index",
        "wagtaildocs:index_results",
        "wagtaildocs:add",
        "wagtaildocs:add_multiple",
        "wagtaildocs_chooser:choose",
        "wagtaildocs_chooser:choose_results",
        "wagtaildocs_chooser:chosen",
        "wagtaildocs_chooser:chosen_multiple",
        "wagtaildocs_chooser:create",
        "wagtailadmin_api:documents:listing",
        "wagtailadmin_api:documents:detail",
        reason="upload and choose: titles of images and documents, names of collections",
        canaries=MEDIA_NAMES,
    ),
    **allow("wagtailembeds:chooser", "wagtailembeds:chooser_upload", reason="the embed chooser"),
    **allow(
        "wagtail_bulk_action",
        reason="the confirmation page lists the chosen items, those the author may not act on "
        "set apart (titles only); what a POST does is checked against the protected state",
        canaries=MEDIA_NAMES,
    ),
}

ANONYMOUS_MAY_VIEW = {
    **allow("wagtailadmin_login", reason="the sign-in form"),
    **allow(
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        reason="password reset forms",
    ),
    **allow("wagtailadmin_javascript_catalog", "wagtailadmin_sprite", reason="admin assets"),
}


@dataclass
class Policy:
    who: str
    admin: dict  # URL name -> the Allow entries for it
    admin_sees: frozenset  # canaries visible in the admin wherever it answers
    downloads: frozenset  # canaries visible in downloaded documents


AUTHOR = Policy(
    "author",
    AUTHOR_MAY_VIEW,
    frozenset(AUTHOR_SEES_IN_ADMIN),
    frozenset(PUBLIC | SIGNED_IN_DOWNLOADS),
)
ANONYMOUS = Policy("anonymous visitor", ANONYMOUS_MAY_VIEW, frozenset(), frozenset(PUBLIC))
# The public site: pages, feeds, search, documents; only public content, whoever asks.
PUBLIC_SITE = Allow("the public site")
# Wagtail errors that are no way in: the root page has no parent whose permissions to check.
KNOWN_CRASHES = {("wagtailadmin_pages:set_page_position", "root"): "AttributeError"}
REFUSED = {301, 302, 303, 400, 403, 404, 405, 410}  # 410: a review link that has ended
DONE = {200, 201, 204}


def judge(outcome, policy):
    """What is wrong with one outcome, or None."""
    request = outcome.request
    if is_admin(request.path):
        entries = policy.admin.get(request.route.name, ())
        entry = next((entry for entry in entries if entry.covers(outcome)), None)
        visible = policy.admin_sees | (entry.canaries if entry else frozenset())
    else:
        entry = PUBLIC_SITE
        visible = frozenset(PUBLIC)
        if request.route.name == "wagtaildocs_serve":
            visible |= policy.downloads
    issues = []
    if outcome.changed:
        issues.append(f"changed {', '.join(outcome.changed)}")
    if leaked := sorted(set(outcome.canaries) - visible):
        issues.append(f"showed {', '.join(leaked)}")
    if outcome.status in DONE and entry is None:
        issues.append(f"answered {outcome.status}, not a URL the {policy.who} may use")
    elif outcome.status == 500:
        known = KNOWN_CRASHES.get((request.route.name, request.subject), "")
        crash = entry.crash if entry else known
        if not (crash and outcome.error.startswith(crash)):
            issues.append("crashed")
    elif outcome.status not in REFUSED | DONE:
        issues.append(f"answered {outcome.status}")
    return f"{outcome}: {'; '.join(issues)}" if issues else None


def summary(policy, routes, outcomes):
    statuses = {}
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    answered = {}
    for outcome in outcomes:
        if outcome.status in DONE and is_admin(outcome.request.path):
            entries = policy.admin.get(outcome.request.route.name, ())
            entry = next((entry for entry in entries if entry.covers(outcome)), None)
            key = (outcome.request.route.name, entry.reason if entry else "NOT ALLOWED")
            answered.setdefault(key, set()).add(outcome.request.subject)
    lines = [
        f"As the {policy.who}: {len(routes)} URL patterns walked "
        f"({sum(is_admin('/' + r.route) for r in routes)} under /admin/), "
        f"{len(outcomes)} requests; statuses {dict(sorted(statuses.items()))}",
        "Admin URLs that answered:",
        *(
            f"  {name} [{', '.join(sorted(subjects))}]: {reason}"
            for (name, reason), subjects in sorted(answered.items())
        ),
    ]
    return "\n".join(lines)


# --- The walks ------------------------------------------------------------------------------------


logger = logging.getLogger(__name__)


# What matters most, by (URL name, what it is about): each must have been walked, and refused
# to every method and body. The walk finds these by itself; naming them guards the walk.
MUST_REFUSE = {
    ("wagtailforms:list_submissions", "book_a_call"),
    ("wagtailforms:list_submissions_results", "book_a_call"),
    ("wagtailforms:delete_submissions", "book_a_call"),
    ("wagtailsettings:edit", "consultancy_site.calltoactionsettings"),
    ("wagtailsettings:edit", "consultancy_site.siteidentitysettings"),
    *(
        (f"wagtailadmin_pages:{view}", page)
        for view in ("edit", "preview_on_edit", "view_draft", "revisions_index", "lock", "copy")
        for page in ("home", "writing", "topic", "book_a_call", "private_service")
    ),
    ("wagtailadmin_pages:revisions_view", "topic"),
    ("wagtailadmin_pages:revisions_compare", "topic"),
    ("wagtailadmin_pages:workflow_preview", "topic"),
    ("wagtailadmin_pages:workflow_action", "topic"),
    ("wagtailadmin_pages:collect_workflow_action_data", "topic"),
    ("wagtailadmin_pages:revisions_unschedule", "topic2"),
    *(
        (f"wagtailadmin_pages:{view}", "editor_article")
        for view in ("unpublish", "delete", "move", "lock", "unlock", "set_privacy")
    ),
    ("wagtailadmin_pages:set_privacy", "private_article"),
    ("wagtailusers_users:index", "-"),
    ("wagtailusers_users:edit", "editor"),
    ("wagtailusers_users:edit", "author"),
    ("wagtailusers_users:delete", "editor"),
    ("wagtailusers_groups:edit", "authors_group"),
    ("wagtailadmin_workflows:index", "-"),
    ("wagtailadmin_workflows:edit", "workflow"),
    ("wagtailadmin_workflows:disable", "workflow"),
    ("wagtailadmin_workflows:remove", "root"),
    ("wagtailadmin_workflows:edit_task", "task"),
    ("wagtailadmin_workflows:disable_task", "task"),
    ("wagtailredirects:index", "-"),
    ("wagtailredirects:add", "-"),
    ("wagtailredirects:edit", "redirect"),
    ("wagtailredirects:delete", "redirect"),
    ("wagtailimages:edit", "image"),
    ("wagtailimages:delete", "image"),
    ("wagtaildocs:edit", "public_doc"),
    ("wagtaildocs:delete", "public_doc"),
    ("wagtaildocs:edit", "private_doc"),
    ("wagtaildocs:delete", "private_doc"),
    ("wagtailadmin_collections:edit", "private_collection"),
    ("wagtailadmin_collections:set_privacy", "private_collection"),
    ("wagtailsites:edit", "site"),
    *(("review_links:index", page) for page in ("topic", "editor_article", "draft_article")),
    ("review_links:revoke", "topic"),
    # Editors' reports: who is behind on reviews, where enquiries come from.
    ("articles_due_for_review", "-"),
    ("articles_due_for_review_results", "-"),
    ("book_a_call_conversions", "-"),
    ("book_a_call_conversions_results", "-"),
}


# The walks are long (every URL, GET and POSTs, each checked against the protected state):
# they are cut into shards that run side by side; together they send every request.
SHARDS = 4


def walk_shard(client, world, shard):
    routes, requests = all_requests(world)
    return walk(client, world, requests[shard::SHARDS])


def test_the_walks_request_every_url_pattern_and_each_that_must_refuse(world):
    routes, requests = all_requests(world)
    assert {request.route for request in requests} == set(routes)
    asked = {(request.route.name, request.subject) for request in requests}
    assert not MUST_REFUSE - asked, f"the walk never requests {sorted(MUST_REFUSE - asked)}"


@pytest.mark.parametrize("shard", range(SHARDS))
def test_an_author_gets_nothing_they_may_not_touch_from_any_url(world, shard):
    outcomes = walk_shard(factories.logged_in(world.author), world, shard)
    logger.warning(summary(AUTHOR, {outcome.request.route for outcome in outcomes}, outcomes))
    problems = [problem for outcome in outcomes if (problem := judge(outcome, AUTHOR))]
    assert not problems, "\n".join(problems)
    for name, subject in sorted(MUST_REFUSE):
        answers = {
            (outcome.method, outcome.status)
            for outcome in outcomes
            if outcome.request.route.name == name and outcome.request.subject == subject
        }
        assert {status for _method, status in answers} <= REFUSED, (name, subject, answers)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_an_anonymous_visitor_gets_nothing_private_from_any_url(world, shard):
    outcomes = walk_shard(Client(), world, shard)
    logger.warning(summary(ANONYMOUS, {outcome.request.route for outcome in outcomes}, outcomes))
    problems = [problem for outcome in outcomes if (problem := judge(outcome, ANONYMOUS))]
    assert not problems, "\n".join(problems)


# --- The walk is not empty: the author is signed in and can work ---------------------------------


def admin_url(name, *args):
    return reverse(name, args=args)


def test_the_author_of_the_walk_can_write(world):
    """What the walk refuses, it refuses to somebody who can do their own work."""
    client = factories.logged_in(world.author)
    pages = world.pages
    for url in [
        admin_url("wagtailadmin_pages:edit", pages["editor_article"].pk),
        admin_url("wagtailadmin_pages:add", "topics", "articlepage", pages["topic"].pk),
        admin_url("wagtailimages:edit", world.author_image.pk),
    ]:
        assert client.get(url).status_code == 200, url
    for url in [
        admin_url("wagtailadmin_pages:edit", pages["topic"].pk),
        admin_url("wagtailimages:edit", world.image.pk),
        admin_url("wagtaildocs:edit", world.documents["public_doc"].pk),
        admin_url("wagtailforms:list_submissions", pages["book_a_call"].pk),
        admin_url(
            "wagtailsettings:edit", "consultancy_site", "calltoactionsettings", world.site.pk
        ),
    ]:
        assert client.get(url).status_code in REFUSED, url


def test_an_author_pressing_publish_on_the_editors_article_publishes_nothing(world):
    article = world.pages["editor_article"]
    live_revision = article.live_revision_id
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "date": article.date.isoformat(),
            "summary": "Pushed live by an author",
            "body": streamfield([("paragraph", rich_text("<p>Pushed live by an author</p>"))]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
        }
    )
    data["action-publish"] = "action-publish"

    response = factories.logged_in(world.author).post(
        admin_url("wagtailadmin_pages:edit", article.pk), data
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    article = type(article).objects.get(pk=article.pk)
    # The form was taken (authors edit any article): saved as a draft, not published.
    assert article.get_latest_revision_as_object().summary == "Pushed live by an author"
    assert article.live_revision_id == live_revision
    assert article.summary != "Pushed live by an author"
    assert not Revision.objects.exclude(approved_go_live_at=None).filter(object_id=str(article.pk))
    page = Client().get(article.url).content.decode()
    assert "Pushed live by an author" not in page


# --- Anonymous visitors: no draft, no preview, no private page or document ------------------------


def test_a_draft_article_is_not_found(world):
    response = Client().get("/writing/data-engineering/work-in-progress/")
    assert response.status_code == 404
    assert CANARY["article_draft"] not in response_text(response)


def test_live_pages_show_their_live_version_not_the_draft(world):
    visitor = Client()
    for label, canary in [
        ("home", "home_draft"),
        ("writing", "writing_draft"),
        ("topic", "topic_draft"),
        ("book_a_call", "call_draft"),
        ("editor_article", "article_pending"),
    ]:
        response = visitor.get(world.pages[label].url)
        assert response.status_code == 200, label
        assert CANARY[canary] not in response_text(response), label


def test_previews_send_a_visitor_to_sign_in(world):
    pages, visitor = world.pages, Client()
    topic, article, draft = pages["topic"], pages["editor_article"], pages["draft_article"]
    urls = [
        admin_url("wagtailadmin_pages:preview_on_edit", page.pk) for page in (topic, article, draft)
    ] + [
        admin_url("wagtailadmin_pages:view_draft", draft.pk),
        admin_url("wagtailadmin_pages:view_draft", topic.pk),
        admin_url("wagtailadmin_pages:preview_on_add", "topics", "articlepage", topic.pk),
        admin_url("wagtailadmin_pages:revisions_view", topic.pk, world.revisions["topic"][-1]),
        admin_url("wagtailadmin_pages:workflow_preview", topic.pk, world.task.pk),
        f"/admin/pages/{draft.pk}/revisions/compare/earliest...latest/",
    ]
    for url in urls:
        for response in (visitor.get(url), visitor.post(url, {})):
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/?next="), url
            assert not any(value in response_text(response) for value in CANARY.values()), url


def test_a_password_protected_page_shows_only_its_password_form(world):
    visitor = Client()
    page = world.pages["private_service"]
    response = visitor.get(page.url)
    assert response.status_code == 200
    html = response_text(response)
    assert CANARY["private_page"] not in html and "password" in html

    password_url = admin_url(
        "wagtailcore_authenticate_with_password", world.page_restriction.pk, page.pk
    )
    wrong = visitor.post(password_url, {"password": "guess", "return_url": page.url})
    assert CANARY["private_page"] not in response_text(wrong)
    assert CANARY["private_page"] not in response_text(visitor.get(page.url))

    # The canary is the page's content: the right password shows it.
    visitor.post(password_url, {"password": PAGE_PASSWORD, "return_url": page.url})
    assert CANARY["private_page"] in response_text(visitor.get(page.url))


def test_private_and_draft_pages_are_in_no_listing_feed_sitemap_or_search(world):
    visitor = Client()
    hidden = [
        world.pages[label] for label in ("draft_article", "private_article", "private_service")
    ]
    listings = ["/", "/writing/", "/writing/data-engineering/", "/services/", "/feed/"]
    listings += ["/feed/atom/", "/sitemap-pages.xml", "/search/?q=quokka", "/search/?q=ocelot"]
    for url in listings:
        response = visitor.get(url)
        assert response.status_code == 200, url
        text = response_text(response)
        for page in hidden:
            assert page.get_url_parts()[2] not in text, (url, page.title)
        for canary in ("article_draft", "private_article", "private_page", "topic_draft"):
            assert CANARY[canary] not in text, (url, canary)


def test_a_private_document_is_not_served_to_a_visitor_but_a_public_one_is(world):
    private, public = world.documents["private_doc"], world.documents["public_doc"]

    response = Client().get(private.url)
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "login" in response["Location"]
    assert CANARY["private_doc_file"] not in response_text(response)

    response = Client().get(public.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert CANARY["doc_file"] in response_text(response)

    # Signing in is all the private collection asks.
    response = factories.logged_in(world.author).get(private.url)
    assert response.status_code == 200
    assert CANARY["private_doc_file"] in response_text(response)
