"""Markdown files into draft articles submitted for review, all or nothing.

Every file is read and checked first (front matter, body, links, images, permissions, slugs),
with every problem collected as FILE:LINE: message. Only when there is none are the images and
pages written, in one transaction; if anything still fails there, the transaction is rolled back
and the image files already stored are deleted, so a failed run leaves nothing behind.
"""

import contextlib
import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_unicode_slug
from django.db import transaction
from django.utils.text import slugify
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from topics.blocks import BodyBlock
from topics.markdown.front_matter import Problem, as_date, split
from topics.markdown.links import LinkError, SiteLinks
from topics.markdown.parse import BodyParser
from topics.models import ArticlePage, TopicIndexPage

DEFAULT_COLLECTION = "Imported from Markdown"
FRONT_MATTER_KEYS = {
    "title": "required",
    "summary": "required",
    "topic": "required: the topic's slug or title",
    "date": "publication date, YYYY-MM-DD (default: today)",
    "tags": "a list, or words separated by commas",
    "slug": "the URL slug (default: made from the title)",
    "applies_to": "the versions the advice was checked against",
    "last_reviewed": "YYYY-MM-DD",
    "updated": "same as last_reviewed (what the Markdown twin writes)",
    "canonical_url": "ignored on import (written by the Markdown twin)",
    "reading_time": "ignored on import (computed from the body)",
}
CAPTION_MAX_LENGTH = 300
TAG_MAX_LENGTH = 100


class ImportFailed(Exception):
    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(eq=False)
class ImageRef:
    """An image an article shows: one already on the site, or a file to store."""

    image: object = None
    path: Path | None = None
    content: bytes = b""
    title: str = ""
    description: str = ""

    @property
    def pk(self):
        return self.image.pk


@dataclass
class ArticlePlan:
    path: str
    topic: TopicIndexPage
    title: str
    slug: str
    date: object
    summary: str
    tags: list
    applies_to: str
    last_reviewed: object
    blocks: list = field(default_factory=list)


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


def normalised(text):
    return " ".join(str(text).split()).casefold()


class MarkdownImport:
    def __init__(self, user, collection_name=DEFAULT_COLLECTION):
        self.user = user
        self.collection_name = collection_name
        self.problems = []
        self.links = SiteLinks()
        self.topics = list(TopicIndexPage.objects.order_by("path"))
        self.images = {}  # resolved file path -> ImageRef (or None when unusable)
        self.first_new_image = None  # (path, line), to report a missing upload permission once
        self.slugs = {}  # (topic_page pk, slug) -> the file that takes it
        self.stored_files = []

    # Reading ------------------------------------------------------------------------------------
    def read(self, paths):
        plans = [plan for path in paths if (plan := self.read_file(path)) is not None]
        self.check_image_permission()
        return plans

    def read_file(self, path):
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
        plan = self.front_matter(name, front, problem)
        if plan is None:
            # The body is still checked, so one run reports every problem of the file.
            topic_page = None
            own_path = None
        else:
            topic_page = plan.topic
            own_path = (
                urlsplit(topic_page.url or "").path + plan.slug + "/" if topic_page.url else None
            )
        parser = BodyParser(
            problem,
            front.body_first_line,
            self.links,
            lambda src, line, alt: self.image(name, Path(path), src, line, alt),
            own_path,
        )
        body = parser.parse(front.body)
        if not body:
            problem(front.end_line, "the article has no body below the front matter")
        self.check_blocks(problem, body)
        if plan is None:
            return None
        plan.blocks = body
        return plan

    def front_matter(self, name, front, problem):
        values, ok = front.values, True
        for key in values:
            if key not in FRONT_MATTER_KEYS:
                problem(
                    front.line_of(key),
                    f"unknown front matter key '{key}': the keys are {', '.join(FRONT_MATTER_KEYS)}",
                )
                ok = False

        def text(key, required=False, max_length=None):
            nonlocal ok
            value = values.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                if required:
                    problem(front.line_of(key), f"the front matter has no {key}")
                    ok = False
                return ""
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                problem(front.line_of(key), f"{key} must be text")
                ok = False
                return ""
            value = str(value).strip()
            if max_length and len(value) > max_length:
                problem(
                    front.line_of(key),
                    f"{key} is {len(value)} characters long; the most is {max_length}",
                )
                ok = False
            return value

        title = text("title", required=True, max_length=255)
        summary = text("summary", required=True, max_length=500)
        applies_to = text("applies_to", max_length=200)
        topic = text("topic", required=True)

        def date(key):
            nonlocal ok
            if key not in values or values[key] is None:
                return None
            value = as_date(values[key])
            if value is None:
                problem(
                    front.line_of(key),
                    f"{key} must be a date written YYYY-MM-DD, not {values[key]!r}",
                )
                ok = False
            return value

        published = date("date")
        reviewed = date("last_reviewed")
        updated = date("updated")
        if "last_reviewed" in values and "updated" in values:
            problem(front.line_of("updated"), "give last_reviewed or updated, not both")
            ok = False
        reviewed = reviewed or updated

        tags = self.tags(values.get("tags"), front.line_of("tags"), problem)
        if tags is None:
            ok = False

        topic_page = self.find_topic(topic, front.line_of("topic"), problem) if topic else None
        slug = self.slug(name, values, topic_page, title, front, problem) if title else None
        if not ok or topic_page is None or not slug:
            return None
        return ArticlePlan(
            path=name,
            topic=topic_page,
            title=title,
            slug=slug,
            date=published,
            summary=summary,
            tags=tags,
            applies_to=applies_to,
            last_reviewed=reviewed,
        )

    @staticmethod
    def tags(value, line, problem):
        if value is None:
            return []
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or any(
            isinstance(tag, bool) or not isinstance(tag, str | int | float) for tag in value
        ):
            problem(line, "tags must be a list of words, e.g. tags: [sql, postgres]")
            return None
        tags, seen = [], set()
        for tag in (str(tag).strip() for tag in value):
            if len(tag) > TAG_MAX_LENGTH:
                problem(line, f"the tag '{tag[:40]}…' is longer than {TAG_MAX_LENGTH} characters")
                return None
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                tags.append(tag)
        return tags

    def find_topic(self, topic, line, problem):
        wanted = normalised(topic)
        for topic_page in self.topics:
            if wanted in (topic_page.slug.casefold(), normalised(topic_page.title)):
                break
        else:
            known = (
                "; ".join(f"{topic_page.slug} ({topic_page.title})" for topic_page in self.topics)
                or "none yet"
            )
            problem(line, f"unknown topic '{topic}': the topics are {known}")
            return None
        permissions = topic_page.permissions_for_user(self.user)
        if not permissions.can_add_subpage() or not ArticlePage.can_create_at(topic_page):
            problem(line, f"{self.user.get_username()} may not add articles to {topic_page.title}")
            return None
        return topic_page

    def slug(self, name, values, topic_page, title, front, problem):
        given = values.get("slug")
        line = front.line_of("slug" if given is not None else "title")
        slug = str(given).strip() if given is not None else slugify(title, allow_unicode=True)
        if not slug:
            problem(line, "no slug can be made from the title: give one with slug:")
            return None
        try:
            validate_unicode_slug(slug)
        except ValidationError:
            problem(line, f"the slug '{slug}' may hold only letters, numbers, - and _")
            return None
        if len(slug) > 255:
            problem(line, "the slug is longer than 255 characters")
            return None
        if topic_page is None:
            return slug
        existing = ArticlePage.objects.child_of(topic_page).filter(slug=slug).first() or (
            topic_page.get_children().filter(slug=slug).first()
        )
        if existing is not None:
            problem(
                line,
                f"{topic_page.title} already has a page at '{slug}' ({existing.title}): give this "
                "article another slug: in its front matter",
            )
            return None
        taken_by = self.slugs.get((topic_page.pk, slug))
        if taken_by is not None:
            problem(
                line, f"{taken_by} already imports an article at '{slug}' in {topic_page.title}"
            )
            return None
        self.slugs[(topic_page.pk, slug)] = name
        return slug

    def check_blocks(self, problem, parsed):
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
        body = BodyBlock()
        raw = [{"type": b.type, "value": copy.deepcopy(b.value)} for b in checked]
        try:
            body.clean(body.to_python(raw))
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

    # Images -------------------------------------------------------------------------------------
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
        if self.first_new_image is None:
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
        """Create every image and article in one transaction; nothing stays if any fails."""
        try:
            with transaction.atomic():
                self.store_images(plans)
                pages = [self.create(plan) for plan in plans]
                for page in pages:
                    workflow = page.get_workflow()
                    if workflow is not None:
                        workflow.start(page, self.user)
                return pages
        except BaseException:
            self.remove_stored_files()
            raise

    def store_images(self, plans):
        refs = {id(ref): ref for plan in plans for block in plan.blocks for ref in block.images}
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

    def create(self, plan):
        topic_page = TopicIndexPage.objects.get(
            pk=plan.topic.pk
        )  # fresh: an earlier file added to it
        page = ArticlePage(
            title=plan.title,
            slug=plan.slug,
            summary=plan.summary,
            body=[{"type": b.type, "value": resolved(b.value)} for b in plan.blocks],
            applies_to=plan.applies_to,
            last_reviewed=plan.last_reviewed,
            owner=self.user,
            live=False,
        )
        if plan.date is not None:
            page.date = plan.date
        if plan.tags:
            page.tags.add(*plan.tags)
        try:
            topic_page.add_child(instance=page)
        except ValidationError as error:
            raise ImportFailed(Problem(plan.path, 1, "; ".join(error.messages))) from error
        page.save_revision(user=self.user, log_action=True)
        return page

    def remove_stored_files(self):
        for storage, name in self.stored_files:
            with contextlib.suppress(OSError):
                storage.delete(name)
        self.stored_files = []


def resolved(value):
    """A block value with its ImageRefs replaced by image ids."""
    if isinstance(value, ImageRef):
        return value.pk
    if isinstance(value, dict):
        return {key: resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item) for item in value]
    return value
