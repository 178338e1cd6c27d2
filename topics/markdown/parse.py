"""Markdown into the raw StreamField data of `topics.blocks.BodyBlock`.

Block by block: `##`/`###` headings (with an optional `{#anchor}`), paragraphs and lists
(merged into one rich-text block until something else comes), fenced code with its language,
an image alone in its paragraph (its title is the caption), GFM tables (a following
`Table: caption` paragraph is the caption; a first column all in bold is row headers), quotes (a last paragraph starting with an em dash is
the attribution), GitHub-style alerts (`> [!NOTE]`, `> [!WARNING]`) as callouts, and `---` as a
divider. Anything the body blocks cannot hold (raw HTML, `#` or `####` headings, code inside a
list) is reported as a problem with its line, never dropped silently.
"""

import re
from dataclasses import dataclass, field
from html import escape

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from topics.blocks import CODE_LANGUAGES

from .links import LinkError

markdown = MarkdownIt("commonmark").enable("table")
# markdown-it quietly leaves javascript: and data: links as text; SiteLinks refuses them with
# a message instead, so the writer knows.
markdown.validateLink = lambda url: True

LANGUAGES = [code for code, _label in CODE_LANGUAGES]
# Fence names writers use for the same languages.
LANGUAGE_ALIASES = {
    "": "text",
    "plain": "text",
    "plaintext": "text",
    "txt": "text",
    "py": "python",
    "python3": "python",
    "sh": "bash",
    "shell": "bash",
    "console": "bash",
    "zsh": "bash",
    "yml": "yaml",
    "postgresql": "sql",
    "postgres": "sql",
    "docker": "dockerfile",
}
CALLOUT_KINDS = {
    "NOTE": "note",
    "TIP": "note",
    "IMPORTANT": "note",
    "WARNING": "warning",
    "CAUTION": "warning",
}
ALERT = re.compile(r"^\[!([A-Za-z]+)\]\s*$")
ANCHOR = re.compile(r"(?<!\\)\{#([^}\s]*)\}\s*$")
ATTRIBUTION = re.compile(r"^\s*(?:—|―|--)\s*")
TABLE_CAPTION = re.compile(r"^Table:\s*")


def code_language(info):
    """The CodeBlock language for a fence's info string, or None if it has none of them."""
    name = (info or "").strip().split(maxsplit=1)[0].lower() if (info or "").strip() else ""
    name = LANGUAGE_ALIASES.get(name, name)
    return name if name in LANGUAGES else None


@dataclass
class ParsedBlock:
    line: int
    type: str
    value: object
    images: list = field(default_factory=list)  # ImageRefs inside the value


class BodyParser:
    """One Markdown body into blocks; problems go to `problem(line, message)`.

    `links` resolves link URLs (a `links.SiteLinks`), `images(src, line, alt)` returns a
    reference to an image (or None after reporting why not), `own_path` is the article's future
    URL path.
    """

    def __init__(self, problem, first_line, links, images, own_path=None):
        self.problem = problem
        self.first_line = first_line
        self.links = links
        self.images = images
        self.own_path = own_path
        self.blocks = []
        self.rich = []  # rich-text pieces waiting to become one paragraph block
        self.rich_line = None

    def parse(self, text):
        nodes = SyntaxTreeNode(markdown.parse(text)).children
        previous = None
        for node in nodes:
            self.block(node, previous)
            previous = node
        self.flush()
        return self.blocks

    # Helpers --------------------------------------------------------------------------------
    def line(self, node):
        return self.first_line + (node.map[0] if node.map else 0)

    def add(self, line, block_type, value, images=()):
        self.flush()
        self.blocks.append(ParsedBlock(line, block_type, value, list(images)))

    def add_rich(self, line, html):
        if self.rich_line is None:
            self.rich_line = line
        self.rich.append(html)

    def flush(self):
        if self.rich:
            self.blocks.append(ParsedBlock(self.rich_line, "paragraph", "".join(self.rich)))
        self.rich, self.rich_line = [], None

    # Blocks ---------------------------------------------------------------------------------
    def block(self, node, previous):
        line = self.line(node)
        kind = node.type
        if kind == "paragraph":
            self.paragraph(node, previous)
        elif kind in ("bullet_list", "ordered_list"):
            self.add_rich(line, self.list_html(node))
        elif kind == "heading":
            self.heading(node)
        elif kind in ("fence", "code_block"):
            self.code(node)
        elif kind == "blockquote":
            self.blockquote(node)
        elif kind == "table":
            self.table(node)
        elif kind == "hr":
            self.add(line, "divider", None)
        elif kind == "html_block":
            self.problem(line, "raw HTML is not imported: write it in Markdown")
        else:
            self.problem(line, f"this kind of Markdown ({kind}) has no place in an article")

    def paragraph(self, node, previous):
        line = self.line(node)
        inline = node.children[0]
        parts = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
        images = [c for c in inline.children if c.type == "image"]
        if images and len(parts) == 1:
            self.image(images[0], line)
            return
        if images:
            self.problem(
                line, "an image must stand alone in its own paragraph (blank lines around it)"
            )
            return
        text = plain_text(inline)
        if (
            TABLE_CAPTION.match(text)
            and previous is not None
            and previous.type == "table"
            and self.blocks
            and self.blocks[-1].type == "table"
            and not self.blocks[-1].value["table_caption"]
        ):
            self.blocks[-1].value["table_caption"] = TABLE_CAPTION.sub("", text).strip()
            return
        self.add_rich(line, f"<p>{self.inline_html(inline, line)}</p>")

    def heading(self, node):
        line = self.line(node)
        level = int(node.tag[1])
        if level == 1:
            self.problem(
                line, "a '#' heading: the title comes from the front matter; use '##' for sections"
            )
            return
        if level > 3:
            self.problem(
                line,
                f"a level-{level} heading: articles have '##' sections and '###' subsections only",
            )
            return
        inline = node.children[0]
        text, anchor = plain_text(inline).strip(), ""
        raw = ANCHOR.search(inline.content)
        if raw:
            anchor = raw.group(1)
            text = re.sub(r"\s*\{#[^}\s]*\}\s*$", "", text).strip()
        self.add(line, "heading", {"text": text, "level": f"h{level}", "anchor": anchor})

    def code(self, node):
        line = self.line(node)
        info = node.info if node.type == "fence" else ""
        language = code_language(info)
        if language is None:
            name = info.strip().split()[0]
            self.problem(
                line,
                f"unknown code language '{name}': use one of {', '.join(LANGUAGES)} "
                "(or 'text' for plain text)",
            )
            return
        self.add(line, "code", {"language": language, "source": node.content})

    def image(self, image_node, line):
        alt = plain_text(image_node).strip()
        ref = self.images(str(image_node.attrs.get("src", "")), line, alt)
        caption = str(image_node.attrs.get("title") or "").strip()
        if ref is None:
            return
        self.add(
            line,
            "image",
            {
                "image": {"image": ref, "decorative": not alt, "alt_text": alt},
                "caption": caption,
            },
            [ref],
        )

    def blockquote(self, node):
        line = self.line(node)
        children = node.children
        first = children[0] if children else None
        alert = None
        if first is not None and first.type == "paragraph":
            # The raw source, so that an escaped \[!NOTE] stays text.
            match = ALERT.match(first.children[0].content.split("\n", 1)[0])
            alert = match.group(1).upper() if match else None
        if alert is not None:
            self.callout(node, alert)
            return
        paragraphs = []
        for child in children:
            if child.type != "paragraph":
                self.problem(
                    self.line(child),
                    "a quote holds plain paragraphs only (no lists, code or headings)",
                )
                return
            paragraphs.append(plain_text(child.children[0]).strip())
        attribution = ""
        if len(paragraphs) > 1 and ATTRIBUTION.match(paragraphs[-1]):
            attribution = ATTRIBUTION.sub("", paragraphs.pop()).strip()
        self.add(line, "quote", {"quote": "\n\n".join(paragraphs), "attribution": attribution})

    def callout(self, node, alert):
        line = self.line(node)
        kind = CALLOUT_KINDS.get(alert)
        if kind is None:
            self.problem(line, f"unknown alert [!{alert}]: use [!NOTE] or [!WARNING]")
            return
        parts = []
        for index, child in enumerate(node.children):
            child_line = self.line(child)
            if child.type == "paragraph":
                inline = child.children[0]
                if index == 0:
                    # Drop the "[!NOTE]" line; the rest of the paragraph is text.
                    rest = inline.children[1:]
                    while rest and rest[0].type in ("softbreak", "hardbreak"):
                        rest = rest[1:]
                    html = self.inline_html_of(rest, child_line + 1)
                    if html.strip():
                        parts.append(f"<p>{html}</p>")
                else:
                    parts.append(f"<p>{self.inline_html(inline, child_line)}</p>")
            elif child.type in ("bullet_list", "ordered_list"):
                parts.append(self.list_html(child))
            else:
                self.problem(child_line, "a note or warning holds paragraphs and lists only")
                return
        if not parts:
            self.problem(line, f"the [!{alert}] has no text")
            return
        self.add(line, "callout", {"kind": kind, "text": "".join(parts)})

    def table(self, node):
        line = self.line(node)
        rows, first_cells = [], []
        for section in node.children:  # thead, tbody
            for row in section.children:
                cells = []
                for cell in row.children:
                    inline = cell.children[0] if cell.children else None
                    if inline is not None and any(c.type == "image" for c in inline.children):
                        self.problem(self.line(row), "a table cell holds text only, not images")
                    cells.append(plain_text(inline).strip() if inline is not None else "")
                    if section.type == "tbody" and len(cells) == 1 and inline is not None:
                        first_cells.append(
                            [c for c in inline.children if c.type != "text" or c.content.strip()]
                        )
                rows.append(cells)
        # A first column written all in bold is a column of row headers.
        filled = [parts for parts in first_cells if parts]
        first_col = bool(filled) and all(
            len(parts) == 1 and parts[0].type == "strong" for parts in filled
        )
        self.add(
            line,
            "table",
            {
                "data": rows,
                "first_row_is_table_header": True,
                "first_col_is_header": first_col,
                "table_header_choice": "both" if first_col else "row",
                "table_caption": "",
            },
        )

    # Rich text ------------------------------------------------------------------------------
    def list_html(self, node):
        tag = "ol" if node.type == "ordered_list" else "ul"
        items = []
        for item in node.children:
            pieces, texts = [], []
            for child in item.children:
                if child.type == "paragraph":
                    texts.append(self.inline_html(child.children[0], self.line(child)))
                elif child.type in ("bullet_list", "ordered_list"):
                    pieces.append(self.list_html(child))
                else:
                    self.problem(
                        self.line(child),
                        "a list item holds text and nested lists only: put code, quotes, images "
                        "and tables after the list",
                    )
            items.append(f"<li>{' '.join(texts)}{''.join(pieces)}</li>")
        return f"<{tag}>{''.join(items)}</{tag}>"

    def inline_html(self, inline, line):
        return self.inline_html_of(inline.children, line)

    def inline_html_of(self, children, line):
        converter = InlineHtml(self, line)
        return "".join(converter.convert(child) for child in children)


class InlineHtml:
    """Inline Markdown into Wagtail's stored rich-text HTML (b, i, code, a, br)."""

    wrappers = {"strong": "b", "em": "i"}

    def __init__(self, parser, line):
        self.parser = parser
        self.line = line

    def convert(self, node):
        kind = node.type
        if kind == "text":
            return escape(node.content, quote=False)
        if kind == "softbreak":
            self.line += 1
            return " "
        if kind == "hardbreak":
            self.line += 1
            return "<br/>"
        if kind in self.wrappers:
            tag = self.wrappers[kind]
            return f"<{tag}>{self.children(node)}</{tag}>"
        if kind == "code_inline":
            return f"<code>{escape(node.content, quote=False)}</code>"
        if kind == "link":
            line = self.line
            inner = self.children(node)
            try:
                tag = self.parser.links.link_tag(
                    str(node.attrs.get("href", "")), self.parser.own_path
                )
            except LinkError as error:
                self.parser.problem(line, str(error))
                return inner
            return f"{tag}{inner}</a>"
        if kind == "image":
            self.parser.problem(
                self.line, "an image must stand alone in its own paragraph (blank lines around it)"
            )
            return ""
        if kind == "html_inline":
            self.parser.problem(
                self.line, f"raw HTML ({node.content}) is not imported: write it in Markdown"
            )
            return ""
        return self.children(node)

    def children(self, node):
        return "".join(self.convert(child) for child in node.children)


def plain_text(node):
    """The text of inline Markdown without its formatting (for headings, quotes, cells, alt)."""
    if node is None:
        return ""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(plain_text(child) for child in node.children)
