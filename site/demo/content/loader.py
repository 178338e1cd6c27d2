"""Builds the demo site from the modules beside this one. Idempotent: a second run changes nothing.

Pages link to each other (`<a linktype="page" id="slug:SLUG">`), so content is applied in two
passes: the first creates every page, the second resolves the links that pointed at pages that did
not exist yet. A page is only given a new revision when what it holds actually changes.
"""

import datetime
import importlib
import json
import pkgutil
import re
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from case_studies.models import CaseStudyIndexPage, CaseStudyPage
from consultancy_site.models import (
    BookACallFormField,
    BookACallPage,
    BookACallSubmission,
    CallToActionSettings,
    HomeFeaturedCaseStudy,
    HomePage,
    ServiceIndexPage,
    ServicePage,
)
from consultancy_site.visitor_source import path_of
from topics.models import ArticlePage, TopicCaseStudyLink, TopicIndexPage, WritingIndexPage

from . import case_studies, home, service, submissions, topics

SLUG_LINK = re.compile(r'id="slug:([a-z0-9-]+)"')
BLOCK_ID_NAMESPACE = uuid.UUID("7d3c2a58-93f4-4a4e-9c59-1c0a4b6f2e11")
TOPICS = [
    (topics.DATA_ENGINEERING_TOPIC, "data_engineering"),
    (topics.FORECASTING_TOPIC, "forecasting"),
]
BOOK_A_CALL_FIELDS = [
    # (label, field type, required, help text)
    ("Name", "singleline", True, ""),
    ("Email", "email", True, "I reply to this address."),
    ("Company", "singleline", False, ""),
    ("Message", "multiline", True, "What are you working on, and where does it hurt?"),
]
CALL_TO_ACTION = {
    "service_prompt": "Want this kind of work in your shop?",
    "book_call_heading": "Have a problem worth solving?",
    "book_call_text": (
        "Whether you need a quantitative researcher, a Machine Learning systems builder, or a "
        "technical advisor, I take a small number of consulting engagements at a time."
    ),
    "book_call_link_text": "Book a call",
}


def article_modules(package):
    path = f"{__package__}.articles.{package}"
    for info in sorted(pkgutil.iter_modules(importlib.import_module(path).__path__)):
        yield importlib.import_module(f"{path}.{info.name}").ARTICLE


class DemoContentLoader:
    def __init__(self, log=print):
        self.log = log
        self.created = []
        self.updated = []
        self.submissions = []
        self.resolving = False

    # Links and block ids ---------------------------------------------------------------------
    def resolve_links(self, html):
        def replace(match):
            page = Page.objects.filter(slug=match.group(1)).first()
            if page is None:
                if self.resolving:
                    raise LookupError(f"Demo content links to a missing page: {match.group(1)}")
                return 'id="0"'  # resolved in the second pass
            return f'id="{page.pk}"'

        return SLUG_LINK.sub(replace, html)

    def resolve_nested(self, value):
        if isinstance(value, str):
            return self.resolve_links(value)
        if isinstance(value, dict):
            return {key: self.resolve_nested(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve_nested(item) for item in value]
        return value

    def stream(self, key, blocks):
        """Raw StreamField data with links resolved and stable block ids (so reruns match)."""
        raw = self.resolve_nested(blocks)
        for index, block in enumerate(raw):
            block["id"] = str(uuid.uuid5(BLOCK_ID_NAMESPACE, f"{key}:{index}"))
        return raw

    # Pages -----------------------------------------------------------------------------------
    @staticmethod
    def comparable(page, name, value):
        field = page._meta.get_field(name)
        if isinstance(field, StreamField):
            value = field.to_python(value) if isinstance(value, list) else value
            return json.loads(json.dumps(value.get_prep_value(), cls=DjangoJSONEncoder))
        if field.is_relation:
            return getattr(value, "pk", value)
        return field.to_python(value)

    def upsert(self, parent, model, slug, fields, first_published=None):
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = model(slug=slug, **fields)
            if first_published:
                page.first_published_at = first_published
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.created.append(page)
            return page
        changed = [
            name
            for name, value in fields.items()
            if self.comparable(page, name, getattr(page, name))
            != self.comparable(page, name, value)
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

    # The site --------------------------------------------------------------------------------
    def load(self):
        with transaction.atomic():
            self.apply()
            self.resolving = True
            self.apply()
            self.add_demo_submissions()
        return self.created, self.updated

    @staticmethod
    def first_review(hub, article):
        """The demo review date, some days before the first load, so that some articles are
        fresh and some due for review whenever the demo is built. Once set it is kept, as an
        editor's would be: a second load changes nothing."""
        days = article.get("reviewed_days_ago")
        if days is None:
            return None
        page = ArticlePage.objects.child_of(hub).filter(slug=article["slug"]).first()
        if page is not None and page.last_reviewed is not None:
            return None
        return timezone.localdate() - datetime.timedelta(days=days)

    def add_demo_submissions(self):
        """A few Book a call submissions from different pages over the last months, for the
        conversions report; only while the form has none (never beside real ones)."""
        form_page = BookACallPage.objects.first()
        if form_page is None or form_page.get_submissions().exists():
            return
        now = timezone.now()
        for slug, days_ago, name, company, message in submissions.SUBMISSIONS:
            if slug == submissions.HOME:
                source = HomePage.objects.first()
            else:
                source = Page.objects.filter(slug=slug).first() if slug else None
            submission = BookACallSubmission.objects.create(
                page=form_page,
                form_data={
                    "name": f"{name} (demo)",
                    "email": f"{slugify(name)}@example.com",
                    "company": company,
                    "message": message,
                },
                source_page=source,
                source_path=path_of(source),
            )
            # submit_time is set on creation; the demo spreads them over the past months.
            sent = now - datetime.timedelta(days=days_ago, hours=(days_ago * 7) % 10)
            BookACallSubmission.objects.filter(pk=submission.pk).update(submit_time=sent)
            self.submissions.append(submission)
        self.log(f"Added {len(self.submissions)} demo Book a call submissions.")

    def home_page(self):
        site = Site.objects.get(is_default_site=True)
        home_page = HomePage.objects.first()
        if home_page is None:
            root = Page.get_first_root_node()
            home_page = HomePage(slug="home-page", **self.home_fields())
            root.add_child(instance=home_page)
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
        return self.upsert(home_page.get_parent(), HomePage, home_page.slug, self.home_fields())

    @staticmethod
    def home_fields():
        return {
            "title": home.HOME["title"],
            "headline": home.HOME["headline"],
            "intro": home.HOME["intro"],
            "search_description": home.HOME["search_description"],
            "show_in_menus": False,
        }

    def apply(self):
        home_page = self.home_page()
        writing = self.upsert(
            home_page,
            WritingIndexPage,
            "writing",
            {**home.WRITING_INDEX, "show_in_menus": True},
        )
        case_study_index = self.upsert(
            home_page,
            CaseStudyIndexPage,
            "case-studies",
            {**home.CASE_STUDY_INDEX, "show_in_menus": True},
        )
        services = self.upsert(
            home_page,
            ServiceIndexPage,
            "services",
            {**service.SERVICES_INDEX, "show_in_menus": True},
        )
        service_page = self.upsert(
            services,
            ServicePage,
            service.SERVICE["slug"],
            {
                "title": service.SERVICE["title"],
                "summary": service.SERVICE["summary"],
                "search_description": service.SERVICE["search_description"],
                "body": self.stream(service.SERVICE["slug"], service.SERVICE["body"]),
            },
        )
        book_a_call = self.upsert(
            home_page,
            BookACallPage,
            "book-a-call",
            {
                "title": home.BOOK_A_CALL["title"],
                "intro": self.resolve_links(home.BOOK_A_CALL["intro"]),
                "thank_you_text": self.resolve_links(home.BOOK_A_CALL["thank_you_text"]),
                "to_address": settings.SITE_OWNER_EMAIL,
                "subject": "Book a call: a new message from the website",
                "show_in_menus": True,
            },
        )
        self.sync_children(
            book_a_call,
            "form_fields",
            BookACallFormField,
            [
                {"label": label, "field_type": kind, "required": required, "help_text": help_text}
                for label, kind, required, help_text in BOOK_A_CALL_FIELDS
            ],
            ["label", "field_type", "required", "help_text"],
        )

        hubs = {}
        for topic, package in TOPICS:
            hub = self.upsert(
                writing,
                TopicIndexPage,
                topic["slug"],
                {
                    "title": topic["title"],
                    "lede": topic["lede"],
                    "search_description": topic["search_description"],
                    "intro": self.stream(topic["slug"], topic["intro"]),
                    "service_page": service_page,
                },
            )
            hubs[topic["slug"]] = hub
            for article in article_modules(package):
                date = datetime.date.fromisoformat(article["date"])
                fields = {
                    "title": article["title"],
                    "date": date,
                    "summary": article["summary"],
                    "search_description": article["search_description"],
                    "body": self.stream(article["slug"], article["body"]),
                    "applies_to": article.get("applies_to", ""),
                }
                if reviewed := self.first_review(hub, article):
                    fields["last_reviewed"] = reviewed
                self.upsert(
                    hub,
                    ArticlePage,
                    article["slug"],
                    fields,
                    first_published=timezone.make_aware(
                        datetime.datetime.combine(date, datetime.time(9))
                    ),
                )

        studies = {}
        for study in case_studies.CASE_STUDIES:
            page = self.upsert(
                case_study_index,
                CaseStudyPage,
                study["slug"],
                {
                    "title": study["title"],
                    "date": datetime.date.fromisoformat(study["date"]),
                    "client": study["client"],
                    "sector": study["sector"],
                    "summary": study["summary"],
                    "search_description": study["search_description"],
                    "problem": self.resolve_links(study["problem"]),
                    "solution": self.resolve_links(study["solution"]),
                    "outcomes": self.stream(
                        f"{study['slug']}:outcomes",
                        [{"type": "metric", "value": metric} for metric in study["outcomes"]],
                    ),
                    "body": self.stream(study["slug"], study["body"]),
                },
            )
            wanted = sorted(hubs[slug].pk for slug in study["topics"] if slug in hubs)
            if sorted(page.topics.values_list("pk", flat=True)) != wanted:
                page.topics.set(wanted)
                page.save_revision().publish()
                if page not in self.created:
                    self.updated.append(page)
            studies[study["slug"]] = page

        for topic, _package in TOPICS:
            self.sync_children(
                hubs[topic["slug"]],
                "case_study_links",
                TopicCaseStudyLink,
                [{"case_study": studies[slug]} for slug in topic.get("case_studies", [])],
                ["case_study"],
            )
        self.sync_children(
            home_page,
            "featured_case_studies",
            HomeFeaturedCaseStudy,
            [{"case_study": page} for page in studies.values()],
            ["case_study"],
        )
        self.call_to_action_settings(
            home_page.get_site() or Site.objects.get(is_default_site=True), book_a_call
        )

    def call_to_action_settings(self, site, book_a_call):
        cta = CallToActionSettings.for_site(site)
        wanted = {**CALL_TO_ACTION, "book_call_page_id": book_a_call.pk}
        if any(getattr(cta, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(cta, name, value)
            cta.save()
            self.updated.append(cta)
