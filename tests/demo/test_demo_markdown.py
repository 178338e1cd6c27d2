"""The demo site is Markdown a writer edits: it loads through the Markdown importer, shows real
images as responsive pictures, reloads only what changed, reports every problem by file and
line, and gives the benchmark its article bodies."""

import io
import re
import shutil

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from consultancy_site.demo import loader
from topics.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(tmp_path, monkeypatch):
    """A copy of the demo content that a test may edit, loaded by load_demo_content."""
    copy = tmp_path / "content"
    shutil.copytree(loader.CONTENT, copy)
    monkeypatch.setattr(loader, "CONTENT", copy)
    return copy


def load():
    output = io.StringIO()
    call_command("load_demo_content", stdout=output)
    return output.getvalue()


@pytest.mark.parametrize(
    ("url", "alt"),
    [
        ("/writing/data-engineering/data-engineering-stack/", "Seven layers stacked"),
        ("/writing/forecasting/backtesting-forecasts-properly/", None),
        ("/case-studies/supply-chain-forecasting/", "Six backtest runs, one per weekly cutoff"),
    ],
)
def test_demo_pages_show_their_diagrams_as_avif_webp_and_jpeg_pictures(client, url, alt):
    load()
    html = client.get(url).content.decode()
    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    if alt is None:  # the forecasting articles carry no image: their reading times stay
        assert pictures == []
        return
    assert len(pictures) == 1
    picture = pictures[0]
    assert re.findall(r'type="image/(\w+)"', picture) == ["avif", "webp"]
    image = re.search(r"<img [^>]*>", picture).group(0)
    assert re.search(r'src="/[^"]+\.jpg"', image), image
    assert re.search(rf'alt="{alt}[^"]+"', image), image
    # Every size in every format was drawn (the CDN or web server serves them from media).
    renditions = re.findall(r"(/\S+\.(?:avif|webp|jpg)) \d+w", picture)
    assert len(renditions) == 3 * 4
    for url in renditions:
        assert default_storage.exists(url.removeprefix(settings.MEDIA_URL)), url


def test_editing_a_demo_file_and_loading_again_changes_that_page_only(client, content):
    load()
    article = ArticlePage.objects.get(slug="python-performance")
    others = dict(Page.objects.exclude(pk=article.pk).values_list("pk", "latest_revision_id"))
    revisions = Revision.objects.count()
    path = content / "articles/data-engineering/python-performance.md"
    path.write_text(
        path.read_text().replace('title: "Python Performance:', 'title: "Fast Python:', 1)
    )

    assert "0 pages created, 1 updated" in load()

    article.refresh_from_db()
    assert article.title.startswith("Fast Python:")
    assert Revision.objects.count() == revisions + 1
    assert dict(Page.objects.exclude(pk=article.pk).values_list("pk", "latest_revision_id")) == (
        others
    )
    assert "Fast Python:" in client.get("/writing/data-engineering/").content.decode()
    assert "nothing changed" in load()


def test_a_problem_in_the_demo_content_is_reported_by_file_and_line_and_nothing_loads(content):
    pages = Page.objects.count()
    article = content / "articles/forecasting/backtesting-forecasts-properly.md"
    text = article.read_text()
    article.write_text(text.replace("\n## ", "\n![A chart](images/gone.png)\n\n## ", 1))
    line = text[: text.index("\n## ")].count("\n") + 2
    site_yaml = content / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text().replace(
            "    - /case-studies/banking-data-automation/", "    - /case-studies/gone/"
        )
    )
    yaml_line = site_yaml.read_text().splitlines().index("    - /case-studies/gone/") + 1

    with pytest.raises(CommandError) as raised:
        load()

    problems = str(raised.value).splitlines()[1:]
    assert problems == [
        f"{article}:{line}: image not found: images/gone.png (looked for "
        f"{article.parent / 'images/gone.png'})",
        f"{site_yaml}:{yaml_line}: no page is at /case-studies/gone/",
    ]
    assert Page.objects.count() == pages


def test_a_mistake_in_site_yaml_is_reported_by_line(content):
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("  headline:", "  headlin:", 1))
    line = (
        site_yaml.read_text()
        .splitlines()
        .index(next(x for x in site_yaml.read_text().splitlines() if x.startswith("  headlin:")))
    )

    with pytest.raises(CommandError) as raised:
        load()

    assert f"{site_yaml}:{line + 1}: unknown key 'headlin': the keys are title, headline" in str(
        raised.value
    )
    assert f"{site_yaml}:" in str(raised.value) and "'headline' is missing" in str(raised.value)
    assert not ArticlePage.objects.exists()


def test_the_benchmark_grows_the_site_with_the_demo_articles_bodies():
    call_command("load_bench_content", "--articles", "30", stdout=io.StringIO())

    assert ArticlePage.objects.count() == 30
    demo_bodies = [
        [block.block_type for block in article.body]
        for article in ArticlePage.objects.exclude(slug__startswith="bench-")
    ]
    made_up = list(ArticlePage.objects.filter(slug__startswith="bench-"))
    pages = set(Page.objects.values_list("pk", flat=True))
    linked = set()
    for article in made_up:
        kinds = [block.block_type for block in article.body]
        # A demo article's blocks and one more image; its links lead to the demo's pages.
        assert kinds[-1] == "image" and kinds[:-1] in demo_bodies, article.slug
        assert article.reading_time > 1
        linked |= {
            int(pk) for pk in re.findall(r'linktype="page" id="(\d+)"', str(article.body.raw_data))
        }
    assert linked and linked <= pages
