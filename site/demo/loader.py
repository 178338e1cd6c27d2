"""Builds the demo site from `content/`: the Markdown pages through the Markdown importer (the
same one as `import_markdown`, publishing instead of submitting for review), and the site around
them from `content/site.yaml`. Idempotent: a page gets a new revision only when what it holds
changes, so a second run changes nothing.

All or nothing, as the importer is: every problem of every file is reported as FILE:LINE:
message and nothing is written.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from case_studies.models import CaseStudyIndexPage, CaseStudyPage
from consultancy_site.editorial.markdown_import.importer import MarkdownImport, comparable
from consultancy_site.editorial.markdown_import.kinds import KINDS, ArticleKind
from consultancy_site.models import (
    BookACallFormField,
    BookACallPage,
    BookACallSubmission,
    CallToActionSettings,
    HomeFeaturedCaseStudy,
    HomePage,
    ServiceIndexPage,
)
from consultancy_site.visitor_source import path_of
from topics.markdown.front_matter import Problem
from topics.markdown.links import normal_path
from topics.markdown.parse import BodyParser
from topics.markdown.parts import rich_text
from topics.models import WritingIndexPage

from .site_file import read_site_file

CONTENT = Path(__file__).resolve().parent / "content"
# The pages, in this order (a topic before its articles); images/ folders hold only images.
MARKDOWN_FILES = ["topics/*.md", "services/*.md", "case_studies/*.md", "articles/*/*.md"]
IMAGE_COLLECTION = "Demo images"


class DemoContentError(Exception):
    def __init__(self, problems):
        self.problems = problems
        lines = "\n".join(str(problem) for problem in problems)
        super().__init__(
            f"The demo content has {len(problems)} problem(s), nothing loaded:\n{lines}"
        )


class DemoArticleKind(ArticleKind):
    """Demo articles say how long ago they were reviewed, so that whenever the demo is built
    some are fresh and some due for review. Once a page has a review date it keeps it, as it
    would keep an editor's: loading again changes nothing."""

    keys = {
        **ArticleKind.keys,
        "reviewed_days_ago": "demo only: last reviewed this many days before the first load",
    }

    def finish(self, run, plan, values):
        super().finish(run, plan, values)
        days = values.values.get("reviewed_days_ago")
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
            values.fail("reviewed_days_ago", "reviewed_days_ago must be a whole number of days")
            return
        if plan.fields["last_reviewed"] is not None:
            return  # a date written in the file wins
        kept = plan.page.last_reviewed if plan.page is not None else None
        if kept is None and days is not None:
            kept = timezone.localdate() - datetime.timedelta(days=days)
        plan.fields["last_reviewed"] = kept


class DemoImport(MarkdownImport):
    kinds = {**KINDS, "article": DemoArticleKind()}


def markdown_files(content):
    return [path for pattern in MARKDOWN_FILES for path in sorted(content.glob(pattern))]


def article_bodies(content=None):
    """The demo articles' bodies as raw block data, their links and images resolved to the
    pages and images of the loaded demo (for the benchmark's made-up articles)."""
    content = content or CONTENT
    importer = DemoImport(None, IMAGE_COLLECTION, update=True)
    plans = importer.read(sorted(content.glob(MARKDOWN_FILES[-1])))
    if importer.problems:
        raise DemoContentError(importer.problems)
    return [importer.resolved(plan.fields["body"]) for plan in plans]


class DemoContentLoader:
    def __init__(self, log=print, content=None):
        self.log = log
        self.content = content or CONTENT
        self.created = []
        self.updated = []
        self.submissions = []

    def load(self):
        site_file = read_site_file(self.content / "site.yaml")
        if site_file.problems:
            raise DemoContentError(site_file.problems)
        with transaction.atomic():
            home_page = self.home_page(site_file.values["home"])
            self.sections(home_page, site_file.values)
            importer = DemoImport(None, IMAGE_COLLECTION, publish=True, update=True)
            plans = importer.read(markdown_files(self.content))
            texts = self.book_a_call_texts(site_file, importer)
            self.check_paths(site_file, importer)
            if importer.problems:
                raise DemoContentError(importer.problems)
            importer.write(plans)
            self.created += importer.created
            self.updated += importer.updated
            book_a_call = self.book_a_call(home_page, site_file.values["book_a_call"], texts)
            self.featured_case_studies(home_page, site_file.values["home"])
            self.call_to_action_settings(site_file.values["calls_to_action"], book_a_call)
            self.add_demo_submissions(site_file.values.get("submissions") or [])
        return self.created, self.updated

    # Pages ---------------------------------------------------------------------------------------
    def upsert(self, parent, model, slug, fields):
        """The page at `slug` under `parent` holding `fields`; a revision only when they change."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = model(slug=slug, **fields)
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.created.append(page)
            return page
        changed = [
            name
            for name, value in fields.items()
            if comparable(page, name, getattr(page, name)) != comparable(page, name, value)
        ]
        if changed:
            for name in changed:
                setattr(page, name, fields[name])
            page.save_revision().publish()
            self.updated.append(page)
        return page

    def sync_children(self, page, relation, model, rows, key_fields):
        """Make an inline panel hold exactly `rows` (dicts), in order; new revision if changed."""
        current = [
            {name: getattr(child, name) for name in key_fields}
            for child in getattr(page, relation).all()
        ]
        if current == rows:
            return
        getattr(page, relation).set([model(**row) for row in rows])
        page.save_revision().publish()
        if page not in self.created:
            self.updated.append(page)

    def home_page(self, home):
        fields = {
            "title": home["title"],
            "headline": home["headline"],
            "intro": " ".join(home["intro"].split()),
            "search_description": home.get("search_description") or "",
            "show_in_menus": False,
        }
        site = Site.objects.get(is_default_site=True)
        home_page = HomePage.objects.first()
        if home_page is None:
            home_page = HomePage(slug="home-page", **fields)
            Page.get_first_root_node().add_child(instance=home_page)
            home_page.save_revision().publish()
            self.created.append(home_page)
        if site.root_page_id != home_page.pk or site.site_name != settings.WAGTAIL_SITE_NAME:
            old_root = site.root_page
            site.root_page = home_page
            site.site_name = settings.WAGTAIL_SITE_NAME
            site.save()
            # Wagtail's placeholder "Welcome" page, never anything an editor made.
            if old_root.pk != home_page.pk and type(old_root.specific) is Page:
                if not old_root.get_children().exists():
                    old_root.delete()
        return self.upsert(home_page.get_parent(), HomePage, home_page.slug, fields)

    def sections(self, home_page, values):
        """The writing, case studies and services indexes the Markdown pages go under."""
        return {
            name: self.upsert(
                home_page,
                model,
                slug,
                {
                    "title": values[name]["title"],
                    "lede": " ".join((values[name].get("lede") or "").split()),
                    "show_in_menus": True,
                },
            )
            for name, model, slug in [
                ("writing", WritingIndexPage, "writing"),
                ("case_studies", CaseStudyIndexPage, "case-studies"),
                ("services", ServiceIndexPage, "services"),
            ]
        }

    def book_a_call_texts(self, site_file, importer):
        """Book a call's rich text, written in Markdown in site.yaml, checked like a page's."""
        texts = {}
        for name in ("intro", "thank_you_text"):
            text = site_file.get("book_a_call", name) or ""
            line = site_file.text_lines.get(("book_a_call", name), 1)

            def problem(at, message, name=name):
                importer.problems.append(Problem(site_file.path, at, f"{name}: {message}"))

            def no_images(src, at, alt):
                problem(at, "Book a call shows no images")

            blocks = BodyParser(problem, line, importer.links, no_images).parse(text)
            field = BookACallPage._meta.get_field(name)
            texts[name] = rich_text(blocks, field.features, "Book a call's text", problem)
        return texts

    def check_paths(self, site_file, importer):
        """Every path site.yaml names leads to a page (on the site, or one the import makes)."""
        named = [
            (("home", "featured_case_studies", index), path)
            for index, path in enumerate(site_file.get("home", "featured_case_studies") or [])
        ] + [
            (("submissions", index, "from"), item["from"])
            for index, item in enumerate(site_file.get("submissions") or [])
            if item.get("from")
        ]
        for key, path in named:
            if self.page_at(path) is None and normal_path(path) not in importer.links.planned:
                importer.problems.append(
                    Problem(site_file.path, site_file.line(*key), f"no page is at {path}")
                )

    @staticmethod
    def page_at(path):
        root = Site.objects.get(is_default_site=True).root_page
        url_path = root.url_path.rstrip("/") + normal_path(path)
        return Page.objects.filter(url_path=url_path).first()

    def book_a_call(self, home_page, values, texts):
        page = self.upsert(
            home_page,
            BookACallPage,
            "book-a-call",
            {
                "title": values["title"],
                "intro": texts["intro"],
                "thank_you_text": texts["thank_you_text"],
                "to_address": settings.SITE_OWNER_EMAIL,
                "subject": values["subject"],
                "show_in_menus": True,
            },
        )
        self.sync_children(
            page,
            "form_fields",
            BookACallFormField,
            [
                {
                    "label": field["label"],
                    "field_type": field["type"],
                    "required": field.get("required", False),
                    "help_text": field.get("help_text") or "",
                }
                for field in values["fields"]
            ],
            ["label", "field_type", "required", "help_text"],
        )
        return page

    def featured_case_studies(self, home_page, home):
        studies = [self.page_at(path).specific for path in home.get("featured_case_studies") or []]
        self.sync_children(
            home_page,
            "featured_case_studies",
            HomeFeaturedCaseStudy,
            [{"case_study": study} for study in studies if isinstance(study, CaseStudyPage)],
            ["case_study"],
        )

    def call_to_action_settings(self, values, book_a_call):
        site = Site.objects.get(is_default_site=True)
        cta = CallToActionSettings.for_site(site)
        wanted = {
            "service_prompt": values["service_prompt"],
            "book_call_heading": values["book_call_heading"],
            "book_call_text": " ".join((values.get("book_call_text") or "").split()),
            "book_call_link_text": values["book_call_link_text"],
            "book_call_page_id": book_a_call.pk,
        }
        if any(getattr(cta, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(cta, name, value)
            cta.save()
            self.updated.append(cta)

    # Book a call submissions ------------------------------------------------------------------
    def add_demo_submissions(self, submissions):
        """A few Book a call submissions from different pages over the last months, for the
        conversions report; only while the form has none (never beside real ones)."""
        form_page = BookACallPage.objects.first()
        if form_page is None or form_page.get_submissions().exists():
            return
        now = timezone.now()
        for item in submissions:
            source = self.page_at(item["from"]) if item.get("from") else None
            submission = BookACallSubmission.objects.create(
                page=form_page,
                form_data={
                    "name": f"{item['name']} (demo)",
                    "email": f"{slugify(item['name'])}@example.com",
                    "company": item.get("company") or "",
                    "message": item["message"],
                },
                source_page=source,
                source_path=path_of(source),
            )
            # submit_time is set on creation; the demo spreads them over the past months.
            days_ago = item["days_ago"]
            sent = now - datetime.timedelta(days=days_ago, hours=(days_ago * 7) % 10)
            BookACallSubmission.objects.filter(pk=submission.pk).update(submit_time=sent)
            self.submissions.append(submission)
        self.log(f"Added {len(self.submissions)} demo Book a call submissions.")
