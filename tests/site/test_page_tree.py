import pytest
from wagtail.models import Page

from case_studies.models import CaseStudyIndexPage, CaseStudyPage
from consultancy_site.models import BookACallPage, HomePage, ServiceIndexPage, ServicePage
from tests.factories import ArticlePageFactory, CaseStudyPageFactory
from tests.html import assert_in_order, visible_text
from topics.models import ArticlePage, TopicIndexPage, WritingIndexPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "parent_attr"),
    [
        (WritingIndexPage, "home"),
        (TopicIndexPage, "writing"),
        (ArticlePage, "topic"),
        (CaseStudyPage, "case_studies"),
        (ServicePage, "service.get_parent"),
        (BookACallPage, "home"),
    ],
)
def test_page_types_can_be_created_only_where_they_belong(site_tree, model, parent_attr):
    target, _, method = parent_attr.partition(".")
    parent = getattr(site_tree, target)
    parent = getattr(parent, method)().specific if method else parent
    everywhere = [
        site_tree.home,
        site_tree.writing,
        site_tree.topic,
        site_tree.case_studies,
        site_tree.service.get_parent().specific,
        site_tree.service,
        site_tree.book_a_call,
        Page.get_first_root_node(),
    ]
    allowed = [page for page in everywhere if model.can_create_at(page)]
    # Singletons (one writing index, one Book a call page) exist already: no second one.
    if model in (WritingIndexPage, BookACallPage):
        assert allowed == []
        assert model in HomePage.allowed_subpage_models()
    else:
        assert allowed == [parent]


def test_articles_live_only_under_topics_and_topics_only_under_writing():
    assert ArticlePage.allowed_parent_page_models() == [TopicIndexPage]
    assert TopicIndexPage.allowed_subpage_models() == [ArticlePage]
    assert TopicIndexPage.allowed_parent_page_models() == [WritingIndexPage]
    assert CaseStudyPage.allowed_parent_page_models() == [CaseStudyIndexPage]
    assert ServicePage.allowed_parent_page_models() == [ServiceIndexPage]
    assert BookACallPage.allowed_parent_page_models() == [HomePage]
    assert ArticlePage.allowed_subpage_models() == []


def test_every_page_type_renders(client, site_tree):
    article = ArticlePageFactory(parent=site_tree.topic, title="An article")
    case_study = CaseStudyPageFactory(parent=site_tree.case_studies, title="A case study")
    case_study.topics.add(site_tree.topic)
    case_study.save_revision().publish()
    pages = [
        site_tree.home,
        site_tree.writing,
        site_tree.topic,
        article,
        site_tree.case_studies,
        case_study,
        site_tree.service.get_parent(),
        site_tree.service,
        site_tree.book_a_call,
    ]
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert html.count("<h1") == 1, page.url
        assert 'href="#main"' in html and 'id="main"' in html


def test_home_page_shows_intro_topics_latest_articles_case_studies_and_book_a_call(
    client, site_tree
):
    article = ArticlePageFactory(parent=site_tree.topic, title="Newest article")
    case_study = CaseStudyPageFactory(parent=site_tree.case_studies, title="Featured work")
    text = visible_text(client.get("/").content.decode())
    assert_in_order(
        text,
        [
            site_tree.home.headline,
            site_tree.home.intro,
            "Topics",
            site_tree.topic.title,
            "Latest articles",
            f"data-engineering {article.reading_time} min read",
            "Newest article",
            "Featured case studies",
            case_study.title,
            "Book a call",
        ],
    )


def test_unknown_url_gets_the_branded_404(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in visible_text(response.content.decode())
