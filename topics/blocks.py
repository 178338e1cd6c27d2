"""The one body StreamBlock shared by articles, case studies and service pages."""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.images.blocks import ImageBlock

BODY_RICH_TEXT_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "code",
    "blockquote",
]


# Ids the page templates give to their own parts; a heading may not take one of them.
RESERVED_ANCHORS = frozenset(
    {
        "main",
        "toc-heading",
        "more-in-topic",
        "related-case-studies",
        "related-articles",
        "outcomes",
        "problem",
        "solution",
        "topics",
        "site-search-q",
    }
)


def heading_anchor(value) -> str:
    """The id of a heading: its own anchor, or one made from its text."""
    return slugify(value["anchor"] or value["text"]) or "section"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (h2)"), ("h3", "Subsection (h3)")],
        default="h2",
        help_text="Use h2 for sections and h3 for parts of a section; the page title is the h1.",
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="Optional link target (#anchor). Left empty, it is made from the heading text.",
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = heading_anchor(value)
        return context

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "Why the data layer fails first", "level": "h2"}


CODE_LANGUAGES = [
    ("python", "Python"),
    ("sql", "SQL"),
    ("bash", "Shell"),
    ("yaml", "YAML"),
    ("json", "JSON"),
    ("toml", "TOML"),
    ("dockerfile", "Dockerfile"),
    ("text", "Plain text"),
]


@lru_cache(maxsize=2048)
def highlight_code(language: str, source: str) -> str:
    """Pygments HTML for a code block. Cached: the same source is never highlighted twice."""
    lexer = get_lexer_by_name(language or "text", stripnl=False)
    return highlight(source, lexer, HtmlFormatter(nowrap=True))


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(choices=CODE_LANGUAGES, default="python")
    source = blocks.TextBlock(
        help_text="Paste the code as it is; it is highlighted on the server, with no script."
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["highlighted"] = mark_safe(highlight_code(value["language"], value["source"]))  # noqa: S308
        context["language_label"] = dict(CODE_LANGUAGES).get(value["language"], value["language"])
        return context

    class Meta:
        icon = "code"
        template = "blocks/code_block.html"
        preview_value = {
            "language": "sql",
            "source": "SELECT customer_id, SUM(amount)\nFROM orders\nGROUP BY 1;",
        }


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(
        help_text="Describe the image for someone who cannot see it, unless it is purely decorative."
    )
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {
            "quote": "All models are wrong, but some are useful.",
            "attribution": "George Box",
        }


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=[("note", "Note"), ("warning", "Warning")], default="note")
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "code", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        preview_value = {"kind": "note", "text": "<p>Backfills are where pipelines break.</p>"}


class TableBlock(WagtailTableBlock):
    def clean(self, value):
        value = super().clean(value)
        if not value or not any(cell for row in value.get("data") or [] for cell in row if cell):
            raise ValidationError("A table needs at least one filled cell.")
        return value

    class Meta:
        icon = "table"
        template = "blocks/table_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=BODY_RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>Most failures live in the <b>data layer</b>.</p>",
    )
    code = CodeBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    table = TableBlock()
    divider = blocks.StaticBlock(
        admin_text="A horizontal rule between parts of the text.",
        icon="horizontalrule",
        template="blocks/divider_block.html",
    )

    def clean(self, value):
        value = super().clean(value)
        seen = {}
        for index, block in enumerate(value):
            if block.block_type != "heading":
                continue
            anchor = heading_anchor(block.value)
            if anchor in RESERVED_ANCHORS:
                raise blocks.StreamBlockValidationError(
                    block_errors={
                        index: ValidationError(
                            f'"#{anchor}" is already used by the page around the article. Give '
                            "this heading an anchor of its own."
                        )
                    }
                )
            if anchor in seen:
                raise blocks.StreamBlockValidationError(
                    block_errors={
                        index: ValidationError(
                            f'Another heading already links as "#{anchor}". Give this one its '
                            "own anchor so each section has its own link."
                        )
                    }
                )
            seen[anchor] = index
        return value


class SectionBlock(blocks.StructBlock):
    """A heading and its text: the sections of a topic page's introduction."""

    heading = blocks.CharBlock(max_length=200)
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value["heading"])
        return context

    class Meta:
        icon = "doc-full"
        template = "blocks/section_block.html"


class IntroBlock(blocks.StreamBlock):
    section = SectionBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
