"""Markdown files for the importer's tests, and running `import_markdown` as a writer runs it.

The sample files live with the format they show, in tests/topics/markdown/.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DATA = Path(__file__).resolve().parents[2] / "topics" / "markdown"
SAMPLE = DATA / "sample.md"
BAD = DATA / "bad"


def stored_files(media):
    return sorted(p.relative_to(media) for p in Path(media).rglob("*") if p.is_file())


def import_markdown(*paths, user="alice", **options):
    out = StringIO()
    call_command("import_markdown", *map(str, paths), user=user, stdout=out, **options)
    return out.getvalue()


def import_errors(*paths, user="alice"):
    with pytest.raises(CommandError) as raised:
        import_markdown(*paths, user=user)
    return str(raised.value)


def write(folder, name, text):
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def front(title="A small article", topic="data-engineering", extra=""):
    return f"---\ntitle: {title}\nsummary: One sentence about it.\ntopic: {topic}\n{extra}---\n\n"


def raw_blocks(page, field="body"):
    return [
        {key: v for key, v in block.items() if key != "id"}
        for block in getattr(page, field).raw_data
    ]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page
