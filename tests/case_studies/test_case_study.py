"""A case study page: what the engagement was, its outcomes, its topics and related articles."""

import pytest

from tests.factories import ArticlePageFactory, CaseStudyPageFactory
from tests.html import assert_in_order, visible_text

pytestmark = pytest.mark.django_db


def test_case_study_page_shows_client_problem_solution_outcomes_topics_and_articles(
    client, site_tree
):
    article = ArticlePageFactory(parent=site_tree.topic, title="Related reading")
    case_study = CaseStudyPageFactory(
        parent=site_tree.case_studies,
        title="Month-end in three days",
        client="",
        sector="Banking",
    )
    case_study.topics.add(site_tree.topic)
    case_study.save_revision().publish()
    text = visible_text(client.get(case_study.url).content.decode())
    assert_in_order(
        text,
        [
            "Month-end in three days",
            "Client Confidential",
            "Sector Banking",
            "Outcomes",
            "month-end close time -60%",
            "The problem",
            "Month-end took eight days.",
            "What was built",
            "Automated reconciliation pipelines.",
            "Topics",
            site_tree.topic.title,
            "Related articles",
            article.title,
        ],
    )
    index_text = visible_text(client.get(site_tree.case_studies.url).content.decode())
    assert "Month-end in three days" in index_text
