"""Markdown files into pages, all or nothing.

Every file is read and checked first (front matter, body, links, images, permissions, slugs,
the pages it names), with every problem collected as FILE:LINE: message. Only when there is
none are the images and pages written, in one transaction; if anything still fails there, the
transaction is rolled back and the image files already stored are deleted, so a failed run
leaves nothing behind.

Files of one run may link to and name each other: a topic and its articles, a case study and
its topics. Their pages are created first, then given their bodies and relations, so every
link becomes a page link whatever the order of the files.

By default each new page is a draft submitted for review as its author (`import_markdown`).
`publish=True` publishes instead and `update=True` changes the pages that are already at the
files' slugs, saving a revision only for a page whose content differs (the demo loader).
"""

import contextlib
import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_unicode_slug
from django.db import transaction
from django.utils.text import slugify
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from topics.markdown.front_matter import FrontMatter, Problem, split
from topics.markdown.links import LinkError, SiteLinks, link_new_pages
from topics.markdown.parse import BodyParser
from topics.models import TopicIndexPage

from .kinds import KINDS, Kind, PagePlan, TopicKind, an, normalised, site_path

DEFAULT_COLLECTION = "Imported from Markdown"
CAPTION_MAX_LENGTH = 300


class ImportFailed(Exception):
    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(eq=False)
class ImageRef:
    """An image a page shows: one already on the site, or a file to store."""

    image: object = None
    path: Path | None = None
    content: bytes = b""
    title: str = ""
    description: str = ""

    @property
    def pk(self):
        return self.image.pk


@dataclass(eq=False)
class SourceFile:
    """A Markdown file being read: its front matter and body, its kind, the plan it makes."""

    name: str
    path: Path
    front: FrontMatter
    kind: Kind
    problem: Callable  # problem(line, message), reported against this file
    plan: PagePlan | None = None


def error_messages(error):
    """The messages inside a (possibly nested) block validation error."""
    block_errors = getattr(error, "block_errors", None)
    if block_errors:
        items = block_errors.items() if isinstance(block_errors, dict) else enumerate(block_errors)
        found = []
        for name, child in items:
            if child is None:
                continue
            prefix = f"{name}: " if isinstance(name, str) else ""
            found += [prefix + message for message in error_messages(child)]
        for child in getattr(error, "non_block_errors", None) or []:
            found += error_messages(child)
        return found
    return list(getattr(error, "messages", None) or [str(error)])


def without_ids(stream):
    return [{"type": block["type"], "value": block["value"]} for block in stream]


class MarkdownImport:
    """One run of the importer: `read(paths)` checks, then `write(plans)` when no problems.

    `user` is the author: owner of the pages, checked for permission to add (and, updating or
    publishing, to edit and publish) them. None is a trusted run of the site itself (the demo
    loader): no permission is checked and the pages have no owner.
    """

    kinds = KINDS

    def __init__(self, user, collection_name=DEFAULT_COLLECTION, *, publish=False, update=False):
        self.user = user
        self.collection_name = collection_name
        self.publish = publish
        self.update = update
        self.problems = []
        self.links = SiteLinks()
        self.topics = list(TopicIndexPage.objects.order_by("path"))
        self.plans = []
        self.images = {}  # resolved file path -> ImageRef (or None when unusable)
        self.first_new_image = None  # (path, line), to report a missing upload permission once
        self.slugs = {}  # (where, slug) -> the file that takes it
        self.stored_files = []
        self.page_ids = {}  # site path of a page made by this run -> its id
        self.created = []
        self.updated = []

    # Reading ------------------------------------------------------------------------------------
    def read(self, paths):
        """Check every file; the plans of those without problems (see self.problems)."""
        files = [source for path in paths if (source := self.open(path)) is not None]
        # Parents first: the topics articles go under are planned before the articles.
        for source in sorted(files, key=lambda source: source.kind.rank):
            source.plan = source.kind.plan(self, source.name, source.front, source.problem)
            if source.plan is not None:
                self.plans.append(source.plan)
                if source.plan.url_path:
                    self.links.planned[source.plan.url_path] = source.plan
        for source in files:
            if source.plan is not None:
                source.kind.resolve(self, source.plan, source.problem)
        for source in files:
            self.read_body(source)
        self.check_image_permission()
        # In the order of the files.
        self.plans = [source.plan for source in files if source.plan is not None]
        return list(self.plans)

    def open(self, path):
        """The file's text split into front matter and body, and its kind; None on a problem."""
        name = str(path)

        def problem(line, message):
            self.problems.append(Problem(name, line, message))

        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            problem(1, "no such file")
            return None
        except OSError as error:
            problem(1, f"cannot read the file: {error.strerror}")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problem(data[: error.start].count(b"\n") + 1, "the file is not UTF-8 text")
            return None
        front = split(name, text)
        self.problems.extend(front.problems)
        if front.problems:
            return None
        kind_name = front.values.get("type", "article")
        kind = self.kinds.get(normalised(str(kind_name)).replace("-", " ").replace("_", " "))
        if kind is None:
            problem(
                front.line_of("type"),
                f"unknown type '{kind_name}': the types are {', '.join(self.kinds)}",
            )
            return None
        return SourceFile(name, Path(path), front, kind, problem)

    def read_body(self, source):
        """The body into the plan's fields. The body is checked even when the front matter had
        problems, so one run reports every problem of the file."""
        plan = source.plan

        def parse(text, first_line):
            parser = BodyParser(
                source.problem,
                first_line,
                self.links,
                lambda src, line, alt: self.image(source.name, source.path, src, line, alt),
                plan.url_path if plan is not None else None,
            )
            return parser.parse(text)

        fields, images = source.kind.read_body(self, plan, source.front, parse, source.problem)
        if plan is not None:
            plan.fields.update(fields)
            plan.images = images

    # Where pages go ---------------------------------------------------------------------------
    def allowed_under(self, parent, kind, line, problem):
        """`parent` if the user may add the kind's pages under it; else None (reported)."""
        if self.user is None:
            return parent
        permissions = parent.permissions_for_user(self.user)
        if not permissions.can_add_subpage() or not kind.model.can_create_at(parent):
            problem(line, f"{self.user.get_username()} may not add {kind.plural} to {parent.title}")
            return None
        if self.publish and not permissions.can_publish_subpage():
            problem(
                line, f"{self.user.get_username()} may not publish {kind.plural} in {parent.title}"
            )
            return None
        return parent

    def slug(self, name, values, parent, title, kind):
        """(slug, the page it updates or None); (None, None) after reporting a problem."""
        given = values.values.get("slug")
        line = values.line("slug" if given is not None else "title")
        slug = str(given).strip() if given is not None else slugify(title, allow_unicode=True)
        failed = (None, None)
        if not slug:
            values.problem(line, "no slug can be made from the title: give one with slug:")
            return failed
        try:
            validate_unicode_slug(slug)
        except ValidationError:
            values.problem(line, f"the slug '{slug}' may hold only letters, numbers, - and _")
            return failed
        if len(slug) > 255:
            values.problem(line, "the slug is longer than 255 characters")
            return failed
        if parent is None:
            return slug, None
        parent_page = parent.page if isinstance(parent, PagePlan) else parent
        existing = (
            parent_page.get_children().filter(slug=slug).specific().first() if parent_page else None
        )
        page = None
        if existing is not None and self.update and type(existing) is kind.model:
            page = existing
            if self.user is not None:
                permissions = page.permissions_for_user(self.user)
                if not permissions.can_edit() or (self.publish and not permissions.can_publish()):
                    values.problem(
                        line, f"{self.user.get_username()} may not change {existing.title}"
                    )
                    return failed
        elif existing is not None:
            values.problem(
                line,
                f"{parent.title} already has a page at '{slug}' ({existing.title}): give this "
                f"{kind.label} another slug: in its front matter",
            )
            return failed
        where = ("new", id(parent)) if isinstance(parent, PagePlan) else ("page", parent.pk)
        taken_by = self.slugs.get((where, slug))
        if taken_by is not None:
            values.problem(
                line, f"{taken_by} already imports {an(kind.label)} at '{slug}' in {parent.title}"
            )
            return failed
        self.slugs[(where, slug)] = name
        return slug, page

    # Pages other files name -------------------------------------------------------------------
    def find_topic(self, name, line, problem):
        """The topic called `name` (slug or title): a page, or one this run makes."""
        return self.find(TopicKind, name, line, problem, existing=self.topics)

    def find(self, kind, name, line, problem, existing=None):
        """The page of a kind (a Kind class) called `name` (its slug, title or path on the
        site): one this run makes or changes, or one already on the site."""
        planned = [plan for plan in self.plans if isinstance(plan.kind, kind)]
        changed = {plan.page.pk for plan in planned if plan.page is not None}
        if existing is None:
            existing = list(kind.model.objects.order_by("path"))
        candidates = [(plan, plan.slug, plan.title, plan.url_path) for plan in planned] + [
            (page, page.slug, page.title, site_path(page))
            for page in existing
            if page.pk not in changed
        ]
        wanted = normalised(name)
        for found, slug, title, path in candidates:
            if wanted in (slug.casefold(), normalised(title)) or (path and name.strip() == path):
                return found
        known = "; ".join(f"{slug} ({title})" for _found, slug, title, _path in candidates)
        problem(line, f"unknown {kind.label} '{name}': the {kind.plural} are {known or 'none yet'}")
        return None

    # Blocks and images ----------------------------------------------------------------------------
    def check_blocks(self, problem, parsed, stream_block):
        """Each block by the rules of the stream block it goes in, reported on its line."""
        for block in parsed:
            if block.type == "image" and len(block.value["caption"]) > CAPTION_MAX_LENGTH:
                problem(
                    block.line,
                    f"the caption is {len(block.value['caption'])} characters long; the most "
                    f"is {CAPTION_MAX_LENGTH}",
                )
        # Images are checked above and when read; every other block by the body's own rules.
        checked = [block for block in parsed if block.type != "image"]
        if not checked:
            return
        raw = [{"type": b.type, "value": copy.deepcopy(b.value)} for b in checked]
        try:
            stream_block.clean(stream_block.to_python(raw))
        except blocks.StreamBlockValidationError as error:
            for index, child in (error.block_errors or {}).items():
                for message in error_messages(child):
                    problem(checked[index].line, message)
            for child in error.non_block_errors or []:
                for message in error_messages(child):
                    problem(checked[0].line, message)
        except ValidationError as error:
            for message in error_messages(error):
                problem(checked[0].line, message)

    def image(self, name, md_path, src, line, alt):
        def problem(message):
            self.problems.append(Problem(name, line, message))

        src = src.strip()
        if not src:
            problem("an image needs a file: ![what it shows](file.png)")
            return None
        try:
            existing = self.links.media_image(src)
        except LinkError as error:
            problem(str(error))
            return None
        if existing is not None:
            return ImageRef(image=existing)
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or src.startswith("/"):
            problem(
                f"the image {src} is not a file: save it beside the Markdown file and give "
                "its relative path"
            )
            return None
        file = (md_path.parent / unquote(parts.path)).resolve()
        key = str(file)
        if key in self.images:
            ref = self.images[key]
            if ref is None:
                problem(f"the image {src} cannot be used (see above)")
            return ref
        self.images[key] = None
        if not file.is_file():
            problem(f"image not found: {src} (looked for {file})")
            return None
        field = WagtailImageField()
        if field.max_upload_size is not None and file.stat().st_size > field.max_upload_size:
            problem(f"the image {src} is larger than {field.max_upload_size_text}")
            return None
        content = file.read_bytes()
        try:
            field.clean(SimpleUploadedFile(file.name, content))
        except ValidationError as error:
            problem(f"the image {src} cannot be used: {' '.join(error.messages)}")
            return None
        file_hash = hashlib.sha1(content, usedforsecurity=False).hexdigest()
        same = get_image_model().objects.filter(file_hash=file_hash).first()
        if same is not None:
            ref = ImageRef(image=same)  # the very same file is on the site already
        else:
            ref = ImageRef(
                path=file,
                content=content,
                title=(alt or file.stem)[:255],
                description=alt[:255],
            )
            self.first_new_image = self.first_new_image or (name, line)
        self.images[key] = ref
        return ref

    def collection(self):
        return Collection.objects.filter(depth=2, name=self.collection_name).first()

    def check_image_permission(self):
        if self.first_new_image is None or self.user is None:
            return
        target = self.collection() or Collection.get_first_root_node()
        allowed = policy_registry.get_by_type(
            get_image_model()
        ).collections_user_has_permission_for(self.user, "add")
        if not allowed.filter(pk=target.pk).exists():
            name, line = self.first_new_image
            self.problems.append(
                Problem(
                    name,
                    line,
                    f"{self.user.get_username()} may not add images to the "
                    f"'{self.collection_name}' collection",
                )
            )

    # Writing ------------------------------------------------------------------------------------
    def write(self, plans):
        """Create (or change) every image and page in one transaction; nothing stays if any
        fails. The pages created or changed, in the order of the files."""
        try:
            with transaction.atomic():
                self.store_images(plans)
                for plan in sorted(plans, key=lambda plan: plan.kind.rank):
                    self.place(plan)
                revisions = [(plan, revision) for plan in plans if (revision := self.apply(plan))]
                for plan, revision in revisions:
                    if self.publish:
                        revision.publish(user=self.user)
                        plan.page.refresh_from_db()
                    elif (workflow := plan.page.get_workflow()) is not None:
                        if plan.page.current_workflow_state is None:
                            workflow.start(plan.page, self.user)
                return [plan.page for plan, _revision in revisions]
        except BaseException:
            self.remove_stored_files()
            raise

    def store_images(self, plans):
        refs = {id(ref): ref for plan in plans for ref in plan.images}
        new = [ref for ref in refs.values() if ref.image is None]
        if not new:
            return
        collection = self.collection()
        if collection is None:
            collection = Collection.get_first_root_node().add_child(name=self.collection_name)
        image_model = get_image_model()
        for ref in new:
            image = image_model(
                title=ref.title,
                description=ref.description,
                collection=collection,
                uploaded_by_user=self.user,
                file=ContentFile(ref.content, name=ref.path.name),
            )
            image._set_image_file_metadata()
            image.save()
            self.stored_files.append((image.file.storage, image.file.name))
            ref.image = image

    def place(self, plan):
        """A new plan's page, created with its content as far as the pages it links to exist."""
        if not plan.is_new:
            if plan.url_path:
                self.page_ids[plan.url_path] = plan.page.pk
            return
        parent = plan.parent_page.specific_class.objects.get(pk=plan.parent_page.pk)
        page = plan.kind.model(
            slug=plan.slug,
            owner=self.user,
            live=False,
            **{name: self.resolved(value, links=False) for name, value in plan.fields.items()},
        )
        if plan.first_published is not None:
            page.first_published_at = plan.first_published
        if plan.tags:
            page.tags.add(*plan.tags)
        try:
            parent.add_child(instance=page)
        except ValidationError as error:
            raise ImportFailed(Problem(plan.file, 1, "; ".join(error.messages))) from error
        plan.page = page
        if plan.url_path:
            self.page_ids[plan.url_path] = page.pk

    def apply(self, plan):
        """The plan's content and relations on its page, as a new revision; None when the page
        already holds exactly that (an update that changes nothing)."""
        fields = {name: self.resolved(value) for name, value in plan.fields.items()}
        relations = {
            name: [self.page_of(target) for target in value]
            if isinstance(value, list)
            else self.page_of(value)
            for name, value in plan.relations.items()
        }
        # Fresh from the database: pages added under it since it was read changed its tree
        # fields, which saving an older copy would undo.
        page = type(plan.page).objects.get(pk=plan.page.pk)
        if plan.is_new:
            for name, value in fields.items():
                setattr(page, name, value)
            plan.kind.set_relations(page, relations)
            page.save()
            self.created.append(page)
        else:
            if page.has_unpublished_changes:
                page = page.get_latest_revision_as_object()
            changed = [
                name
                for name, value in fields.items()
                if comparable(page, name, getattr(page, name)) != comparable(page, name, value)
            ]
            relations_changed = plan.kind.relations_of(page) != plan.kind.comparable(relations)
            tags_changed = plan.tags is not None and sorted(page.tags.names()) != sorted(plan.tags)
            if not changed and not relations_changed and not tags_changed:
                return None
            for name in changed:
                setattr(page, name, fields[name])
            if relations_changed:
                plan.kind.set_relations(page, relations)
            if tags_changed:
                page.tags.clear()
                page.tags.add(*plan.tags)
            self.updated.append(page)
        plan.page = page
        return page.save_revision(user=self.user, log_action=True)

    def page_of(self, target):
        return target.page if isinstance(target, PagePlan) else target

    def resolved(self, value, links=True):
        """A field value with its ImageRefs replaced by image ids and, with `links`, its links
        to pages this run makes by their ids."""
        if isinstance(value, ImageRef):
            return value.pk
        if isinstance(value, str):
            return link_new_pages(value, self.page_ids) if links else value
        if isinstance(value, dict):
            return {key: self.resolved(item, links) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolved(item, links) for item in value]
        return value

    def remove_stored_files(self):
        for storage, name in self.stored_files:
            with contextlib.suppress(OSError):
                storage.delete(name)
        self.stored_files = []


def comparable(page, name, value):
    """A field's value in one form, whether it came from the database or from a file."""
    field = page._meta.get_field(name)
    if isinstance(field, StreamField):
        stream = field.to_python(value) if isinstance(value, list) else value
        prepared = json.loads(json.dumps(stream.get_prep_value(), cls=DjangoJSONEncoder))
        return without_ids(prepared)
    if field.is_relation:
        return getattr(value, "pk", value)
    return field.to_python(value)
