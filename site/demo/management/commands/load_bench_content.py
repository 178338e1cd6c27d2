"""Grow the demo site to N articles over ten topics, for `make bench`.

Bodies are the demo articles' real bodies (headings, prose, code, images), read from their
Markdown as the demo loader reads them, with an image added, so pages cost what real ones do. Rows are inserted in bulk (Wagtail's add_child would take minutes at
10,000) and then indexed for search in bulk; the tree stays valid (`fixtree` finds nothing).
"""

import datetime
import io
import itertools
import math
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from consultancy_site.demo.loader import article_bodies
from topics.models import ArticlePage, TopicIndexPage, WritingIndexPage
from topics.reading_time import reading_time_minutes

TOPIC_COUNT = 10
BATCH = 1000


def bench_image(number):
    """A diagram-like picture drawn here, so the benchmark needs no files from anywhere."""
    title = f"Bench diagram {number}"
    image = Image.objects.filter(title=title).first()
    if image:
        return image
    picture = PILImage.new("RGB", (1600, 900), "#f5f6f8")
    draw = ImageDraw.Draw(picture)
    for column in range(4):
        left = 80 + column * 380
        draw.rectangle([left, 350, left + 300, 550], outline="#0b5cad", width=8)
        if column:
            draw.line([left - 80, 450, left, 450], fill="#0b5cad", width=8)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"bench-{number}.png"))


class Command(BaseCommand):
    help = "Grow the demo site to --articles N articles over ten topics (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument(
            "--into",
            metavar="SLUG",
            help="Put every new article into this one topic (tools/bench_delete.py deletes it).",
        )

    def handle(self, *args, articles, into=None, **options):
        if not settings.ALLOW_FAKE_CONTENT:
            raise CommandError(
                "load_bench_content fills the site with made-up articles: it runs only under "
                "development, test or benchmark settings (ALLOW_FAKE_CONTENT), never in production."
            )
        call_command("load_demo_content", stdout=io.StringIO())
        topics = self.ensure_topics()
        if into:
            topics = [topic for topic in topics if topic.slug == into]
            if not topics:
                raise CommandError(f"No topic has the slug {into!r}.")
        missing = articles - ArticlePage.objects.count()
        if missing > 0:
            self.add_articles(topics, missing)
        self.stdout.write(f"{ArticlePage.objects.count()} articles over {len(topics)} topics.")

    def ensure_topics(self):
        writing = WritingIndexPage.objects.get()
        topics = list(TopicIndexPage.objects.child_of(writing).order_by("path"))
        for number in range(len(topics) + 1, TOPIC_COUNT + 1):
            topic = TopicIndexPage(
                title=f"Benchmark topic {number}",
                slug=f"benchmark-topic-{number}",
                lede="A topic made for benchmarks: many articles, real bodies.",
            )
            writing.add_child(instance=topic)
            topic.save_revision().publish()
            topics.append(topic)
        return topics

    @transaction.atomic
    def add_articles(self, topics, count):
        images = [bench_image(1), bench_image(2)]
        # The demo is loaded: its links and images resolve to its pages and images.
        bodies = article_bodies()
        content_type = ContentType.objects.get_for_model(ArticlePage)
        now = timezone.now()
        per_topic = math.ceil(count / len(topics))
        body_for = itertools.cycle(bodies)
        created = []
        for topic_index, topic in enumerate(topics):
            topic.refresh_from_db()
            start = topic.numchild
            todo = max(0, min(per_topic, count - topic_index * per_topic))
            pages = []
            for offset in range(todo):
                number = start + offset + 1
                body = [
                    *next(body_for),
                    {
                        "type": "image",
                        "value": {
                            "image": {
                                "image": images[number % 2].pk,
                                "decorative": False,
                                "alt_text": "A pipeline of four stages",
                            },
                            "caption": "Where the data flows",
                        },
                    },
                ]
                body = [{**block, "id": str(uuid.uuid4())} for block in body]
                slug = f"bench-article-{topic_index + 1}-{number}"
                date = datetime.date(2024, 1, 1) - datetime.timedelta(days=number)
                pages.append(
                    (
                        Page(
                            content_type=content_type,
                            title=f"Benchmark article {number} in topic {topic_index + 1}",
                            draft_title=f"Benchmark article {number} in topic {topic_index + 1}",
                            slug=slug,
                            path=topic._get_path(topic.path, topic.depth + 1, number),
                            depth=topic.depth + 1,
                            numchild=0,
                            url_path=f"{topic.url_path}{slug}/",
                            live=True,
                            has_unpublished_changes=False,
                            first_published_at=now,
                            last_published_at=now,
                            locale_id=topic.locale_id,
                            translation_key=uuid.uuid4(),
                        ),
                        date,
                        body,
                    )
                )
            for batch_start in range(0, len(pages), BATCH):
                batch = pages[batch_start : batch_start + BATCH]
                Page.objects.bulk_create([page for page, _date, _body in batch])
                for page, date, body in batch:
                    article = ArticlePage(
                        page_ptr_id=page.pk,
                        date=date,
                        summary="How a production data pipeline is built, tested and kept "
                        "honest, with the code that runs it.",
                        body=body,
                        reading_time=reading_time_minutes(body),
                    )
                    article.save_base(raw=True, force_insert=True)
                created.extend(page.pk for page, _date, _body in batch)
            Page.objects.filter(pk=topic.pk).update(numchild=start + todo)
        backend = get_search_backend()
        for batch_start in range(0, len(created), BATCH):
            ids = created[batch_start : batch_start + BATCH]
            backend.add_bulk(ArticlePage, list(ArticlePage.objects.filter(pk__in=ids)))
