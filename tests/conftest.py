from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import GroupPagePermission, Page, Site

from consultancy_site.models import CallToActionSettings
from consultancy_site.permissions import AUTHOR_PAGE_ACTIONS, AUTHORS, EDITORS
from tests import factories, server


@dataclass
class SiteTree:
    home: object
    writing: object
    hub: object
    case_studies: object
    service: object
    book_a_call: object


@pytest.fixture(scope="session")
def production_server(tmp_path_factory):
    """The demo site as deployed (gunicorn, production settings), shared by a session."""
    work_dir = tmp_path_factory.mktemp("production-site")
    env = server.site_environment(work_dir, server.fresh_database_url(work_dir, "served"))
    server.build_site(env)
    running = server.Server(env)
    running.env = env
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached (pages, navigation, settings)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_tree(db):
    """A minimal real site: home, writing index, one hub, case study index, service, form."""
    root = Page.get_first_root_node()
    home = factories.HomePageFactory(parent=root)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    writing = factories.WritingIndexPageFactory(parent=home, show_in_menus=True)
    services = factories.ServiceIndexPageFactory(parent=home)
    service = factories.ServicePageFactory(parent=services, title="Data Platform Work")
    hub = factories.TopicIndexPageFactory(
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
    return SiteTree(home, writing, hub, case_studies, service, book_a_call)


@pytest.fixture
def editor(db):
    """A member of Editors (tests may define their own people under the same names)."""
    return factories.make_user("edna", "Edna", "Editor", EDITORS)


@pytest.fixture
def author(db):
    """A member of Authors."""
    return factories.make_user("alice", "Alice", "Author", AUTHORS)


@pytest.fixture
def tree(site_tree):
    """The site tree, where the app granted Authors the Writing section when it was made."""
    authors = Group.objects.get(name=AUTHORS)
    granted = GroupPagePermission.objects.filter(group=authors, page=site_tree.writing)
    assert granted.count() == len(AUTHOR_PAGE_ACTIONS), "Authors were not granted Writing"
    return site_tree
