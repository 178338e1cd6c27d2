"""`import_markdown` beyond articles: topics (an introduction in sections), case studies (parts
under `#` headings, outcome figures) and service pages, files of one run linking to each other
in any order, and every problem reported as FILE:LINE: message with nothing imported."""

import pytest
from wagtail.models import Page, WorkflowState

from case_studies.models import CaseStudyPage
from consultancy_site.models import ServicePage
from consultancy_site.permissions import WORKFLOW_NAME
from tests.html import assert_in_order, visible_text
from topics.models import ArticlePage, TopicIndexPage

from .markdown_files import front, import_errors, import_markdown, publish, raw_blocks, write

pytestmark = pytest.mark.django_db

TOPIC = """---
type: topic
title: Data Platforms
lede: >-
  Where the data lives and how it moves.
service: Data Platform Work
case_studies: [bank-month-end]
---

## Start with the warehouse

[Warehouse First](/writing/data-platforms/warehouse-first/) explains **why**, with
*one* example.

- tables before tools
- owners before dashboards

---

The work behind it is in [the bank case study](/case-studies/bank-month-end/).
"""

ARTICLE = """---
title: Warehouse First
topic: data-platforms
summary: Put the data in one place before anything else.
---

Back to [the topic](/writing/data-platforms/).
"""

CASE_STUDY = """---
type: case study
title: Bank month-end
slug: bank-month-end
summary: Eight days to three.
date: 2024-03-18
client: A retail bank
sector: Banking
topics: [data-platforms, Data Engineering]
---

# Outcomes

- **8 → 3 days** from month-end close to the reporting pack
- **140**: automated checks on every load

# The problem

Reports came from spreadsheets, and figures that should agree did not.

# What was built

- Airflow and dbt, with `ledger` checks
- Runbooks for the analysts

# The story

## Where the time went

Two weeks beside the analysts through a month-end close.
"""

SERVICE = """---
type: service
title: Data Audits
summary: A fixed-price review of a pipeline before it goes live.
search_description: Pipeline audits.
---

## What you get

A written report and a call.
"""


def the_run(tmp_path):
    # The article comes first and links to a topic that a later file makes, which links back.
    return [
        write(tmp_path, "warehouse-first.md", ARTICLE),
        write(tmp_path, "bank.md", CASE_STUDY),
        write(tmp_path, "data-platforms.md", TOPIC),
        write(tmp_path, "audits.md", SERVICE),
    ]


def test_an_editor_imports_a_topic_its_article_a_case_study_and_a_service_in_one_run(
    site_tree, editor, client, tmp_path
):
    output = import_markdown(*the_run(tmp_path), user="edna")

    assert output.count(f"(submitted to {WORKFLOW_NAME})") == 4
    topic = TopicIndexPage.objects.get(slug="data-platforms")
    article = ArticlePage.objects.get(slug="warehouse-first")
    study = CaseStudyPage.objects.get(slug="bank-month-end")
    service = ServicePage.objects.get(slug="data-audits")
    assert topic.get_parent().pk == site_tree.writing.pk
    assert article.get_parent().pk == topic.pk
    assert service.get_parent().pk == site_tree.service.get_parent().pk
    for page in (topic, article, study, service):
        assert not page.live
        assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
        assert page.owner == editor

    # The topic: its lede, its service and case study by name, its introduction in sections
    # whose links point at the pages made in the same run.
    assert topic.lede == "Where the data lives and how it moves."
    assert topic.service_page_id == site_tree.service.pk
    assert [link.case_study_id for link in topic.case_study_links.all()] == [study.pk]
    assert raw_blocks(topic, "intro") == [
        {
            "type": "section",
            "value": {
                "heading": "Start with the warehouse",
                "body": f'<p><a linktype="page" id="{article.pk}">Warehouse First</a> explains '
                "<b>why</b>, with <i>one</i> example.</p>"
                "<ul><li>tables before tools</li><li>owners before dashboards</li></ul>",
            },
        },
        {
            "type": "paragraph",
            "value": f'<p>The work behind it is in <a linktype="page" id="{study.pk}">the bank '
            "case study</a>.</p>",
        },
    ]
    assert raw_blocks(article) == [
        {
            "type": "paragraph",
            "value": f'<p>Back to <a linktype="page" id="{topic.pk}">the topic</a>.</p>',
        }
    ]

    # The case study: its facts, figures, parts and topics (one made here, one on the site).
    assert (study.client, study.sector, str(study.date)) == (
        "A retail bank",
        "Banking",
        "2024-03-18",
    )
    assert [block["value"] for block in raw_blocks(study, "outcomes")] == [
        {"value": "8 → 3 days", "label": "from month-end close to the reporting pack"},
        {"value": "140", "label": "automated checks on every load"},
    ]
    assert study.problem == (
        "<p>Reports came from spreadsheets, and figures that should agree did not.</p>"
    )
    assert study.solution == (
        "<ul><li>Airflow and dbt, with <code>ledger</code> checks</li>"
        "<li>Runbooks for the analysts</li></ul>"
    )
    assert [block["type"] for block in raw_blocks(study)] == ["heading", "paragraph"]
    assert sorted(study.topics.values_list("slug", flat=True)) == [
        "data-engineering",
        "data-platforms",
    ]
    assert service.search_description == "Pipeline audits."

    # Once approved, readers see them as written.
    for page in (topic, article, study, service):
        publish(page)
    text = visible_text(client.get(topic.url).content.decode())
    assert_in_order(
        text,
        [
            "Data Platforms",
            "Where the data lives and how it moves.",
            "Start with the warehouse",
            "Warehouse First explains why, with one example.",
            "The work behind it is in the bank case study.",
            "Warehouse First",
            "Bank month-end",
            "Data Platform Work →",
        ],
    )
    text = visible_text(client.get(study.url).content.decode())
    assert_in_order(
        text,
        [
            "Outcomes",
            "from month-end close to the reporting pack",
            "8 → 3 days",
            "The problem",
            "What was built",
            "Airflow and dbt, with ledger checks",
            "Where the time went",
        ],
    )


def test_an_author_may_import_a_case_study_but_not_a_topic_or_a_service(
    site_tree, author, tmp_path
):
    topic = write(tmp_path, "topic.md", TOPIC)
    service = write(tmp_path, "service.md", SERVICE)
    case_study = write(tmp_path, "bank.md", CASE_STUDY.replace("data-platforms, ", ""))

    errors = import_errors(topic, service, case_study)

    assert f"{topic}:2: alice may not add topics to {site_tree.writing.title}" in errors
    assert f"{service}:2: alice may not add services to " in errors
    assert CaseStudyPage.objects.count() == 0

    import_markdown(case_study)
    assert CaseStudyPage.objects.get().owner == author


TOPIC_FRONT = "---\ntype: topic\ntitle: Platforms\nlede: A lede.\n---\n\n"
CASE_STUDY_FRONT = "---\ntype: case study\ntitle: Bank\nsummary: Eight days to three.\n---\n\n"
PARTS = "# The problem\n\nP.\n\n# What was built\n\nS.\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (TOPIC_FRONT + "### Deep\n\nText.\n", 7, "a topic's introduction has '##' sections only"),
        (TOPIC_FRONT + "## Lonely\n\n---\n\nAfter.\n", 7, "the section 'Lonely' has no text"),
        (TOPIC_FRONT + "## S\n\nSee `code`.\n", 9, "the introduction cannot show inline code"),
        (TOPIC_FRONT + "## S\n\nText.\n\n```sql\nSELECT 1;\n```\n", 11, "not a code block"),
        (TOPIC_FRONT + "## S {#s}\n\nText.\n", 7, "link anchor is made from its heading"),
        (TOPIC_FRONT.replace("lede: A lede.\n", ""), 1, "the front matter has no lede"),
        (
            TOPIC_FRONT.replace("---\n\n", "service: nowhere\n---\n\n"),
            5,
            "unknown service 'nowhere': the services are",
        ),
        (
            TOPIC_FRONT.replace("---\n\n", "case_studies: [missing]\n---\n\n"),
            5,
            "unknown case study 'missing': the case studies are none yet",
        ),
        (
            TOPIC_FRONT.replace("---\n\n", "summary: For articles.\n---\n\n"),
            5,
            "unknown front matter key 'summary': the keys of a topic are type, title, slug, "
            "search_description, lede, service, case_studies",
        ),
        (CASE_STUDY_FRONT + "Intro.\n\n" + PARTS, 7, "a case study's text goes under the"),
        (CASE_STUDY_FRONT + "# Lessons\n\nL.\n\n" + PARTS, 7, "unknown part '# Lessons'"),
        (CASE_STUDY_FRONT + "# The problem\n\nP.\n", 5, "has no # What was built part"),
        (CASE_STUDY_FRONT + "# Outcomes\n\n- 12% faster\n\n" + PARTS, 9, "figure in bold"),
        (CASE_STUDY_FRONT + "# Outcomes\n\n- **12%**\n\n" + PARTS, 9, "say what 12% measures"),
        (
            CASE_STUDY_FRONT + "# Outcomes\n\n- **" + "9" * 21 + "** nines\n\n" + PARTS,
            9,
            "value: Ensure this value has at most 20 characters",
        ),
        (
            CASE_STUDY_FRONT + "# The problem\n\n```python\nx = 1\n```\n\n# What was built\n\nS.\n",
            9,
            "'# The problem' holds text and lists only, not a code block",
        ),
        (
            CASE_STUDY_FRONT + "# The problem\n\nUses `code`.\n\n# What was built\n\nS.\n",
            9,
            "'# The problem' cannot show inline code",
        ),
        (
            CASE_STUDY_FRONT.replace("---\n\n", "topics: [nowhere]\n---\n\n") + PARTS,
            5,
            "unknown topic 'nowhere': the topics are data-engineering (Data Engineering)",
        ),
        ("---\ntype: service\ntitle: Audits\nsummary: Short.\n---\n", 5, "no body"),
        ("---\ntype: podcast\ntitle: X\n---\n", 2, "unknown type 'podcast': the types are "),
    ],
    ids=[
        "topic-h3",
        "topic-empty-section",
        "topic-inline-code",
        "topic-code-block",
        "topic-anchor",
        "topic-no-lede",
        "topic-unknown-service",
        "topic-unknown-case-study",
        "topic-article-key",
        "case-study-text-before-parts",
        "case-study-unknown-part",
        "case-study-missing-part",
        "case-study-outcome-not-bold",
        "case-study-outcome-no-label",
        "case-study-outcome-too-long",
        "case-study-code-in-problem",
        "case-study-inline-code-in-problem",
        "case-study-unknown-topic",
        "service-empty",
        "unknown-type",
    ],
)
def test_page_problems_name_their_file_and_line_and_nothing_is_imported(
    site_tree, editor, tmp_path, text, line, message
):
    pages = Page.objects.count()
    good = write(tmp_path, "good.md", front("Fine") + "Text.\n")
    path = write(tmp_path, "page.md", text)

    errors = import_errors(good, path, user="edna")

    problem = next((e for e in errors.splitlines() if e.startswith(f"{path}:{line}: ")), errors)
    assert message in problem
    assert Page.objects.count() == pages


def test_two_files_of_one_run_cannot_make_the_same_page(site_tree, editor, tmp_path):
    one = write(tmp_path, "one.md", CASE_STUDY_FRONT + PARTS)
    two = write(tmp_path, "two.md", CASE_STUDY_FRONT + PARTS)

    errors = import_errors(one, two, user="edna")

    assert (
        f"{two}:3: {one} already imports a case study at 'bank' in {site_tree.case_studies.title}"
        in errors
    )
    assert not CaseStudyPage.objects.exists()
