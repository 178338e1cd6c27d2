"""Privacy checks read from the chrome cache keep Wagtail's types: what Wagtail calls on them
works (copying a page under a topic asks `.exists()` of its restrictions)."""

import pytest
from django.db.models import QuerySet
from wagtail.models import PageViewRestriction

from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_an_article_can_be_copied_into_its_topic(site_tree):
    article = ArticlePageFactory(parent=site_tree.topic, title="Worth a copy", slug="worth-a-copy")
    article.save_revision().publish()

    copy = article.copy(to=site_tree.topic, update_attrs={"slug": "worth-a-copy-2"})

    assert copy.get_parent().pk == site_tree.topic.pk
    assert copy.title == "Worth a copy"


def test_restrictions_are_a_queryset_that_still_filters_and_says_what_is_private(site_tree):
    restriction = PageViewRestriction.objects.create(page=site_tree.topic, restriction_type="login")
    article = ArticlePageFactory(parent=site_tree.topic)

    for page in (site_tree.topic.specific, article.specific):
        restrictions = page.get_view_restrictions()
        assert isinstance(restrictions, QuerySet)
        assert list(restrictions) == [restriction]
        assert restrictions.exists()
        assert restrictions.filter(restriction_type="password").count() == 0
    assert not site_tree.writing.specific.get_view_restrictions().exists()
