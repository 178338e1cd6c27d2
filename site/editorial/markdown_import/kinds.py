"""The kinds of page a Markdown file can be, picked by its front matter's `type:` (an article
when there is none): which keys the front matter has, where the page goes, what the body
becomes, and which other pages it names.

Each kind reads a file into a `PagePlan`; `importer.MarkdownImport` checks every plan first and
writes them all or none.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils import timezone

from case_studies.blocks import OutcomesBlock
from case_studies.models import CaseStudyIndexPage, CaseStudyPage
from consultancy_site.models import ServiceIndexPage, ServicePage
from topics.blocks import BodyBlock, IntroBlock
from topics.markdown.front_matter import as_date
from topics.markdown.parts import intro_blocks, outcome_metrics, rich_text, split_parts
from topics.models import ArticlePage, TopicCaseStudyLink, TopicIndexPage, WritingIndexPage

TAG_MAX_LENGTH = 100
# Keys every kind of file may have.
COMMON_KEYS = {
    "type": "article (the default), topic, case study or service",
    "title": "required",
    "slug": "the URL slug (default: made from the title)",
    "search_description": "what search engines show (default: the summary or lede)",
}


def normalised(text):
    return " ".join(str(text).split()).casefold()


def an(words):
    """The words with their indefinite article: "an article", "a topic"."""
    return ("an " if words[0] in "aeiou" else "a ") + words


@dataclass(eq=False)
class PagePlan:
    """A page a file makes (or, when updating, changes), checked but not yet written."""

    file: str
    kind: "Kind"
    parent: object  # a Page, or the PagePlan of a page made by the same import
    title: str
    slug: str
    url_path: str | None  # its path on the site, when its parent has one
    page: object = None  # the page it updates, or (once written) the page it made
    fields: dict = field(default_factory=dict)  # model fields; bodies as raw block data
    tags: list | None = None
    names: dict = field(default_factory=dict)  # key -> (line, names) of other pages it names
    relations: dict = field(default_factory=dict)  # the pages (or plans) those names lead to
    images: list = field(default_factory=list)  # ImageRefs its bodies show
    first_published: object = None
    is_new: bool = True

    @property
    def parent_page(self):
        return self.parent.page if isinstance(self.parent, PagePlan) else self.parent


class Values:
    """The front matter's values, read as a kind expects; each problem names the key's line."""

    def __init__(self, front, problem):
        self.front = front
        self.values = front.values
        self.problem = problem
        self.ok = True

    def line(self, key):
        return self.front.line_of(key)

    def fail(self, key, message):
        self.problem(self.line(key), message)
        self.ok = False

    def text(self, key, required=False, max_length=None):
        value = self.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(key, f"the front matter has no {key}")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(key, f"{key} must be text")
            return ""
        value = str(value).strip()
        if max_length and len(value) > max_length:
            self.fail(key, f"{key} is {len(value)} characters long; the most is {max_length}")
        return value

    def date(self, key):
        if self.values.get(key) is None:
            return None
        value = as_date(self.values[key])
        if value is None:
            self.fail(key, f"{key} must be a date written YYYY-MM-DD, not {self.values[key]!r}")
        return value

    def words(self, key, example):
        """A YAML list, or words separated by commas; None when it is neither."""
        value = self.values.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or any(
            isinstance(item, bool) or not isinstance(item, str | int | float) for item in value
        ):
            self.fail(key, f"{key} must be a list of {example}")
            return None
        words, seen = [], set()
        for word in (str(item).strip() for item in value):
            if word and word.casefold() not in seen:
                seen.add(word.casefold())
                words.append(word)
        return words


def body_of(run, front, parse, problem, what):
    """(fields, images) of a page whose whole body is one BodyBlock stream."""
    blocks = parse(front.body, front.body_first_line)
    if not blocks:
        problem(front.end_line, f"{what} has no body below the front matter")
    run.check_blocks(problem, blocks, BodyBlock())
    return {"body": raw(blocks)}, images_of(blocks)


class Kind:
    """What one kind of file becomes. Subclasses say which page, where and from what."""

    name = ""  # as written after `type:`
    label = ""  # in messages: "article", "case study"
    plural = ""
    model = None
    # The one page this kind goes under (the Writing page for topics…), and its name.
    parent_model = None
    parent_label = ""
    keys = {}
    # Pages of a lower rank are planned and created first (topics before their articles).
    rank = 0

    @property
    def all_keys(self):
        return {**COMMON_KEYS, **self.keys}

    # Reading ---------------------------------------------------------------------------------
    def plan(self, run, file, front, problem):
        """The PagePlan of a file, or None when its front matter has problems (reported)."""
        values = Values(front, problem)
        for key in values.values:
            if key not in self.all_keys:
                values.fail(
                    key,
                    f"unknown front matter key '{key}': the keys of {an(self.label)} are "
                    f"{', '.join(self.all_keys)}",
                )
        title = values.text("title", required=True, max_length=255)
        search_description = values.text("search_description")
        fields = self.fields(run, values)
        parent = self.parent(run, values)
        slug, page = run.slug(file, values, parent, title, self) if title else (None, None)
        if not values.ok or parent is None or not slug:
            return None
        url_path = parent.url_path if isinstance(parent, PagePlan) else site_path(parent)
        plan = PagePlan(
            file=file,
            kind=self,
            parent=parent,
            title=title,
            slug=slug,
            url_path=url_path + slug + "/" if url_path else None,
            page=page,
            is_new=page is None,
        )
        plan.fields = {"title": title, "search_description": search_description, **fields}
        self.finish(run, plan, values)
        return plan

    def fields(self, run, values):
        """The page's own fields from the front matter."""
        return {}

    def finish(self, run, plan, values):
        """What needs the plan: the names of other pages, dates that depend on the page."""

    def parent(self, run, values):
        """The page this kind goes under, or None (problem reported)."""
        parent = self.parent_model.objects.order_by("path").first()
        if parent is None:
            values.fail("type", f"the site has no {self.parent_label} page to add {self.plural} to")
            return None
        return run.allowed_under(parent, self, values.line("type"), values.problem)

    def resolve(self, run, plan, problem):
        """The pages (or plans) behind the names the front matter gave."""

    def read_body(self, run, plan, front, parse, problem):
        """(fields, images) from the body; `parse(text, first_line)` gives its blocks."""
        raise NotImplementedError

    # Writing -----------------------------------------------------------------------------------
    def relations_of(self, page):
        """The relations this kind sets, as the page has them (for comparison)."""
        return {}

    def set_relations(self, page, relations):
        """Give the page its relations (pages, already created)."""

    @staticmethod
    def comparable(relations):
        """The relations of a plan in the form relations_of gives them."""
        return {}


def site_path(page):
    url = page.url
    return urlsplit(url).path if url else None


def raw(blocks):
    return [{"type": block.type, "value": block.value} for block in blocks]


def images_of(blocks):
    return [ref for block in blocks for ref in block.images]


class ArticleKind(Kind):
    name = "article"
    label = "article"
    plural = "articles"
    model = ArticlePage
    rank = 1
    keys = {
        "summary": "required, at most 500 characters",
        "topic": "required: the topic's slug or title",
        "date": "publication date, YYYY-MM-DD (default: today)",
        "tags": "a list, or words separated by commas",
        "applies_to": "the versions the advice was checked against",
        "last_reviewed": "YYYY-MM-DD",
        "updated": "same as last_reviewed (what the Markdown twin writes)",
        "canonical_url": "ignored on import (written by the Markdown twin)",
        "reading_time": "ignored on import (computed from the body)",
    }

    def fields(self, run, values):
        fields = {
            "summary": values.text("summary", required=True, max_length=500),
            "applies_to": values.text("applies_to", max_length=200),
        }
        if (published := values.date("date")) is not None:
            fields["date"] = published
        reviewed = values.date("last_reviewed")
        updated = values.date("updated")
        if "last_reviewed" in values.values and "updated" in values.values:
            values.fail("updated", "give last_reviewed or updated, not both")
        fields["last_reviewed"] = reviewed or updated
        return fields

    def parent(self, run, values):
        topic = values.text("topic", required=True)
        if not topic:
            return None
        found = run.find_topic(topic, values.line("topic"), values.problem)
        if found is None:
            values.ok = False
            return None
        if isinstance(found, PagePlan):
            return found  # checked as a topic of its own
        return run.allowed_under(found, self, values.line("topic"), values.problem)

    def finish(self, run, plan, values):
        tags = values.words("tags", "words, e.g. tags: [sql, postgres]")
        long_tag = next((tag for tag in tags or [] if len(tag) > TAG_MAX_LENGTH), None)
        if long_tag:
            values.fail(
                "tags", f"the tag '{long_tag[:40]}…' is longer than {TAG_MAX_LENGTH} characters"
            )
        plan.tags = tags or []
        if run.publish and plan.is_new:
            # An article imported as published was first published on its date.
            day = plan.fields.get("date") or timezone.localdate()
            plan.first_published = min(
                timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
                timezone.now(),
            )

    def read_body(self, run, plan, front, parse, problem):
        return body_of(run, front, parse, problem, "the article")


class ServiceKind(Kind):
    name = "service"
    label = "service"
    plural = "services"
    model = ServicePage
    parent_model = ServiceIndexPage
    parent_label = "Services"
    keys = {"summary": "required, at most 500 characters"}

    def fields(self, run, values):
        return {"summary": values.text("summary", required=True, max_length=500)}

    def read_body(self, run, plan, front, parse, problem):
        return body_of(run, front, parse, problem, "the service page")


class TopicKind(Kind):
    name = "topic"
    label = "topic"
    plural = "topics"
    model = TopicIndexPage
    parent_model = WritingIndexPage
    parent_label = "Writing"
    keys = {
        "lede": "required: the opening paragraph, under the title",
        "service": "the service the topic leads to: its slug or title",
        "case_studies": "case studies to show, in order: slugs or titles (default: those "
        "that name the topic)",
    }

    def fields(self, run, values):
        return {"lede": values.text("lede", required=True)}

    def finish(self, run, plan, values):
        service = values.text("service")
        plan.names["service_page"] = (values.line("service"), [service] if service else [])
        case_studies = values.words(
            "case_studies", "slugs or titles, e.g. case_studies: [bank-month-end]"
        )
        plan.names["case_study_links"] = (values.line("case_studies"), case_studies or [])

    def resolve(self, run, plan, problem):
        line, services = plan.names["service_page"]
        found = [run.find(ServiceKind, name, line, problem) for name in services]
        plan.relations["service_page"] = found[0] if found else None
        line, names = plan.names["case_study_links"]
        plan.relations["case_study_links"] = [
            run.find(CaseStudyKind, name, line, problem) for name in names
        ]

    def read_body(self, run, plan, front, parse, problem):
        intro = intro_blocks(parse(front.body, front.body_first_line), problem)
        run.check_blocks(problem, intro, IntroBlock())
        return {"intro": raw(intro)}, []

    def relations_of(self, page):
        return {
            "service_page": page.service_page_id,
            "case_study_links": [link.case_study_id for link in page.case_study_links.all()],
        }

    def set_relations(self, page, relations):
        page.service_page = relations["service_page"]
        page.case_study_links.set(
            [TopicCaseStudyLink(case_study=study) for study in relations["case_study_links"]]
        )

    @staticmethod
    def comparable(relations):
        service = relations["service_page"]
        return {
            "service_page": service.pk if service is not None else None,
            "case_study_links": [study.pk for study in relations["case_study_links"]],
        }


# A case study's parts, by the `#` heading that starts each (lower case), and the field it fills.
CASE_STUDY_PARTS = {
    "outcomes": "outcomes",
    "the problem": "problem",
    "problem": "problem",
    "what was built": "solution",
    "solution": "solution",
    "the story": "body",
    "story": "body",
}
PART_HEADINGS = {
    "outcomes": "# Outcomes",
    "problem": "# The problem",
    "solution": "# What was built",
    "body": "# The story",
}


class CaseStudyKind(Kind):
    name = "case study"
    label = "case study"
    plural = "case studies"
    model = CaseStudyPage
    parent_model = CaseStudyIndexPage
    parent_label = "Case studies"
    keys = {
        "summary": "required, at most 500 characters",
        "date": "when the engagement ended, YYYY-MM-DD (default: today)",
        "client": "who the work was for (anonymous is fine)",
        "sector": "e.g. Banking",
        "topics": "the topics this work belongs to: slugs or titles",
    }

    def fields(self, run, values):
        fields = {
            "summary": values.text("summary", required=True, max_length=500),
            "client": values.text("client", max_length=200),
            "sector": values.text("sector", max_length=100),
        }
        if (ended := values.date("date")) is not None:
            fields["date"] = ended
        return fields

    def finish(self, run, plan, values):
        topics = values.words("topics", "slugs or titles, e.g. topics: [data-engineering]")
        plan.names["topics"] = (values.line("topics"), topics or [])

    def resolve(self, run, plan, problem):
        line, names = plan.names["topics"]
        plan.relations["topics"] = [run.find_topic(name, line, problem) for name in names]

    def read_body(self, run, plan, front, parse, problem):
        parts = split_parts(front.body, front.body_first_line)
        headings = ", ".join(PART_HEADINGS.values())
        fields, images, seen = {"outcomes": [], "body": []}, [], {}
        before = parts.pop(0)
        if before.text.strip():
            first = next(i for i, text in enumerate(before.text.splitlines()) if text.strip())
            problem(
                before.first_line + first,
                f"a case study's text goes under the headings of its parts: {headings}",
            )
        for part in parts:
            name = CASE_STUDY_PARTS.get(normalised(part.title))
            if name is None:
                problem(
                    part.line,
                    f"unknown part '# {part.title}': a case study has the parts {headings}",
                )
                continue
            if name in seen:
                problem(part.line, f"{PART_HEADINGS[name]} is already on line {seen[name]}")
                continue
            seen[name] = part.line
            if name == "outcomes":
                metrics = outcome_metrics(part.text, part.first_line, problem)
                run.check_blocks(problem, metrics, OutcomesBlock())
                fields["outcomes"] = raw(metrics)
                continue
            blocks = parse(part.text, part.first_line)
            if name == "body":
                run.check_blocks(problem, blocks, BodyBlock())
                fields["body"] = raw(blocks)
                images += images_of(blocks)
                continue
            rich_text_field = CaseStudyPage._meta.get_field(name)
            where = f"'{PART_HEADINGS[name]}'"
            html = rich_text(blocks, rich_text_field.features, where, problem)
            if not blocks:
                problem(part.line, f"{where} has no text under it")
            fields[name] = html
        for name in ("problem", "solution"):
            if name not in seen:
                problem(front.end_line, f"the case study has no {PART_HEADINGS[name]} part")
        return fields, images

    def relations_of(self, page):
        return {"topics": sorted(topic.pk for topic in page.topics.all())}

    def set_relations(self, page, relations):
        page.topics.set(relations["topics"])

    @staticmethod
    def comparable(relations):
        return {"topics": sorted(topic.pk for topic in relations["topics"])}


KINDS = {kind.name: kind for kind in (ArticleKind(), TopicKind(), CaseStudyKind(), ServiceKind())}
