import io
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Site

from consultancy_site.models import CallToActionSettings
from consultancy_site.permissions import AUTHOR_PAGE_ACTIONS, AUTHORS, EDITORS
from tests import factories, server


@dataclass
class SiteTree:
    home: object
    writing: object
    topic: object
    case_studies: object
    service: object
    book_a_call: object


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id):
    """The demo site built once for the whole run: every xdist worker copies it (site_copy)."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent
    return server.built_site(shared)


@pytest.fixture(scope="session")
def production_server(tmp_path_factory, built_site):
    """The demo site as deployed (gunicorn, production settings), shared by a session."""
    work_dir = tmp_path_factory.mktemp("production-site")
    env = server.site_copy(built_site, work_dir, "served")
    running = server.Server(env)
    running.env = env
    yield running
    running.stop()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo site, loaded once for a module's tests: they run in savepoints inside this
    transaction, so what each changes is rolled back, and the demo with it at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached (pages, navigation, settings)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_tree(db):
    """A minimal real site: home, writing index, one topic, case study index, service, form."""
    root = Page.get_first_root_node()
    home = factories.HomePageFactory(parent=root)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    writing = factories.WritingIndexPageFactory(parent=home, show_in_menus=True)
    services = factories.ServiceIndexPageFactory(parent=home)
    service = factories.ServicePageFactory(parent=services, title="Data Platform Work")
    topic = factories.TopicIndexPageFactory(
        parent=writing, title="Data Engineering", slug="data-engineering", service_page=service
    )
    case_studies = factories.CaseStudyIndexPageFactory(parent=home)
    book_a_call = factories.BookACallPageFactory(parent=home)
    for sort_order, (label, field_type, required) in enumerate(
        [
            ("Name", "singleline", True),
            ("Email", "email", True),
            ("Company", "singleline", False),
            ("Message", "multiline", True),
        ]
    ):
        factories.BookACallFormFieldFactory(
            page=book_a_call,
            sort_order=sort_order,
            label=label,
            field_type=field_type,
            required=required,
        )
    CallToActionSettings.objects.create(
        site=site,
        service_prompt="Want this kind of work?",
        book_call_heading="Have a problem worth solving?",
        book_call_text="I take a small number of engagements.",
        book_call_link_text="Book a call",
        book_call_page=book_a_call,
    )
    return SiteTree(home, writing, topic, case_studies, service, book_a_call)


# --- People: each is one fixture, here, and nowhere else --------------------------------------


@pytest.fixture
def author(db):
    """Alice, of Authors: writes and submits."""
    return factories.make_user("alice", "Alice", "Author", AUTHORS)


@pytest.fixture
def editor(db):
    """Edna, of Editors: reviews, approves, publishes."""
    return factories.make_user("edna", "Edna", "Editor", EDITORS)


@pytest.fixture
def second_editor(db):
    """Eric, of Editors too: for what two editors at once do."""
    return factories.make_user("eric", "Eric", "Editor", EDITORS)


@pytest.fixture
def as_author(author):
    return factories.logged_in(author)


@pytest.fixture
def as_editor(editor):
    return factories.logged_in(editor)


@pytest.fixture
def as_second_editor(second_editor):
    return factories.logged_in(second_editor)


@pytest.fixture
def visitor(client):
    """Somebody reading the site, not signed in."""
    return client


@pytest.fixture
def tree(site_tree):
    """The site tree, with the Authors' grant the app makes when a section's index is created
    (the factories create them as the admin or the demo loader would; nothing grants it here)."""
    authors = Group.objects.get(name=AUTHORS)
    for section in (site_tree.writing, site_tree.case_studies):
        granted = GroupPagePermission.objects.filter(group=authors, page=section)
        assert sorted(granted.values_list("permission__codename", flat=True)) == sorted(
            f"{action}_page" for action in AUTHOR_PAGE_ACTIONS
        ), f"Authors were not granted {section.title} when it was created"
    return site_tree
