"""An article as Markdown: the body blocks and their rich text, in the dialect the importer reads.

Text is escaped wherever Markdown would read it as syntax, so re-importing the output gives the
same blocks. Links and images are absolute URLs (the Markdown is read away from the site).
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from wagtail.rich_text import expand_db_html

# Characters that are Markdown syntax anywhere in a line.
INLINE_SPECIAL = re.compile(r"([\\`*\[\]<])")
ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
INTRAWORD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# What opens a block when it starts a line: headings, quotes, lists, rules, fences, setext.
LINE_START = re.compile(r"^([#>+\-=~|])")
ORDERED_START = re.compile(r"^(\d{1,9})([.)])")
SPACES = re.compile(r"[ \t\r\n\f]+")
RENDITION = "width-1600"


def escape_text(text, table_cell=False):
    text = INLINE_SPECIAL.sub(r"\\\1", text)
    text = INTRAWORD_UNDERSCORE.sub(r"\\_", text)
    text = ENTITY.sub(r"\\&", text)
    if table_cell:
        text = text.replace("|", r"\|")
    return text


def escape_line_start(text):
    text = LINE_START.sub(r"\\\1", text)
    return ORDERED_START.sub(r"\1\\\2", text)


def link_destination(url):
    url = url.replace("<", "%3C").replace(">", "%3E").replace("\n", "")
    return f"<{url}>" if re.search(r"[\s()]", url) else url


def code_span(code):
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith(("`", " ")) or code.endswith(("`", " ")) else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def title_text(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')


# Rich text ---------------------------------------------------------------------------------------
class Node:
    def __init__(self, tag, attrs=None):
        self.tag = tag
        self.attrs = dict(attrs or {})
        self.children = []


class TreeBuilder(HTMLParser):
    void = {"br", "hr", "img", "embed"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in self.void:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        self.stack[-1].children.append(data)


BLOCK_TAGS = {"p", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "div"}


class RichTextMarkdown:
    """Wagtail rich text (front-end HTML, links expanded) as Markdown blocks."""

    def __init__(self, base_url):
        self.base_url = base_url
        # Two lists of a kind in a row would read as one: the second takes the other marker.
        self.previous_list = None  # (tag, alternate) of the block just written, if a list

    def reset(self):
        """Something other than rich text was written since the last call."""
        self.previous_list = None

    def convert(self, html):
        builder = TreeBuilder()
        builder.feed(html)
        builder.close()
        return "\n\n".join(self.blocks(builder.root.children))

    def blocks(self, nodes):
        out, loose = [], []

        def flush():
            if loose:
                text = self.inline(loose)
                if text:
                    out.append(text)
                loose.clear()

        for node in nodes:
            if isinstance(node, Node) and node.tag in BLOCK_TAGS:
                flush()
                written = self.block(node)
                if written and node.tag not in ("ul", "ol"):
                    self.previous_list = None
                out.extend(written)
            elif isinstance(node, Node) or node.strip():
                loose.append(node)
                self.previous_list = None
        flush()
        return out

    def block(self, node):
        if node.tag in ("ul", "ol"):
            return [self.list(node)]
        if node.tag == "blockquote":
            inner = "\n\n".join(self.blocks(node.children))
            return ["\n".join(f"> {line}".rstrip() for line in inner.split("\n"))]
        if node.tag == "hr":
            return ["---"]
        if node.tag == "div":
            return self.blocks(node.children)
        text = self.inline(node.children)
        return [text] if text else []

    def list(self, node, depth=0):
        ordered = node.tag == "ol"
        alternate = False
        if depth == 0:
            previous = self.previous_list
            alternate = previous is not None and previous[0] == node.tag and not previous[1]
            self.previous_list = (node.tag, alternate)
        lines = []
        for number, item in enumerate(
            (c for c in node.children if isinstance(c, Node) and c.tag == "li"), start=1
        ):
            marker = (
                (f"{number})" if alternate else f"{number}.")
                if ordered
                else "*"
                if alternate
                else "-"
            )
            indent = " " * (len(marker) + 1)
            inline, nested = [], []
            for child in item.children:
                if isinstance(child, Node) and child.tag in ("ul", "ol"):
                    nested.append(child)
                elif isinstance(child, Node) and child.tag == "p":
                    inline += [" ", *child.children, " "]  # paragraphs in an item: one line
                else:
                    inline.append(child)
            text = self.inline(inline)
            text_lines = text.split("\n") if text else [""]
            lines.append(f"{marker} {text_lines[0]}".rstrip())
            lines += [indent + line for line in text_lines[1:]]
            for child in nested:
                lines += [indent + line for line in self.list(child, depth + 1).split("\n")]
        return "\n".join(lines)

    def inline(self, nodes):
        writer = InlineMarkdown(self.base_url)
        writer.nodes(nodes)
        return writer.text()


class InlineMarkdown:
    markers = {"b": "**", "strong": "**", "i": "*", "em": "*"}

    def __init__(self, base_url):
        self.base_url = base_url
        self.parts = []
        self.at_line_start = True
        self.pending_space = False

    def text(self):
        return "".join(self.parts).strip()

    def emit(self, markdown):
        if self.pending_space and not self.at_line_start:
            self.parts.append(" ")
        self.pending_space = False
        self.parts.append(markdown)
        self.at_line_start = False

    def nodes(self, nodes):
        for node in nodes:
            if isinstance(node, str):
                self.string(node)
            else:
                self.node(node)

    def string(self, data):
        words = SPACES.split(data)
        for index, word in enumerate(words):
            if index > 0:
                self.pending_space = True
            if word:
                text = escape_text(word)
                if self.at_line_start:
                    text = escape_line_start(text)
                self.emit(text)

    def node(self, node):
        tag = node.tag
        if tag in self.markers:
            inner = InlineMarkdown(self.base_url)
            inner.at_line_start = False
            inner.nodes(node.children)
            text = "".join(inner.parts)
            if inner.pending_space:
                text += " "
            stripped = text.strip(" ")
            if not stripped:
                self.pending_space = self.pending_space or bool(text)
                return
            if text.startswith(" "):
                self.pending_space = True
            marker = self.markers[tag]
            self.emit(f"{marker}{stripped}{marker}")
            if text.endswith(" "):
                self.pending_space = True
        elif tag == "code":
            code = SPACES.sub(" ", "".join(text_of(node)))
            if code:
                self.emit(code_span(code))
        elif tag == "a":
            inner = InlineMarkdown(self.base_url)
            inner.at_line_start = False
            inner.nodes(node.children)
            href = node.attrs.get("href")
            if not href:
                self.emit(inner.text())
                return
            url = urljoin(self.base_url, href)
            self.emit(f"[{inner.text()}]({link_destination(url)})")
        elif tag == "br":
            self.parts.append("\\\n")
            self.pending_space = False
            self.at_line_start = True
        elif tag in ("img", "embed"):
            return
        else:
            self.nodes(node.children)


def text_of(node):
    for child in node.children:
        if isinstance(child, str):
            yield child
        else:
            yield from text_of(child)


def rich_text_markdown(source, base_url):
    """Wagtail's stored rich text (database format) as Markdown."""
    return RichTextMarkdown(base_url).convert(expand_db_html(source))


# Blocks ------------------------------------------------------------------------------------------
def heading(value):
    marks = "###" if value["level"] == "h3" else "##"
    text = escape_text(" ".join(value["text"].split())).replace("#", "\\#").replace("{", "\\{")
    anchor = f" {{#{value['anchor']}}}" if value.get("anchor") else ""
    return f"{marks} {text}{anchor}"


def code(value):
    source = value["source"]
    longest = max((len(run) for run in re.findall(r"^ {0,3}(`{3,})", source, re.M)), default=0)
    fence = "`" * max(3, longest + 1)
    if not source.endswith("\n"):
        source += "\n"
    return f"{fence}{value['language']}\n{source}{fence}"


def image(value, base_url):
    picture = value["image"]
    if picture is None:
        return ""
    url = urljoin(base_url, picture.get_rendition(RENDITION).url)
    alt = "" if picture.decorative else picture.contextual_alt_text or ""
    alt = escape_text(" ".join(alt.split()))
    caption = f' "{title_text(value["caption"])}"' if value.get("caption") else ""
    return f"![{alt}]({link_destination(url)}{caption})"


def quote(value):
    lines = []
    for paragraph in re.split(r"\n\s*\n", value["quote"].strip()):
        if lines:
            lines.append(">")
        for line in paragraph.split("\n"):
            text = escape_line_start(escape_text(" ".join(line.split())))
            lines.append(f"> {text}")
    if value.get("attribution"):
        lines += [">", f"> — {escape_text(value['attribution'].strip())}"]
    return "\n".join(lines)


def callout(value, base_url):
    label = "[!WARNING]" if value["kind"] == "warning" else "[!NOTE]"
    text = rich_text_markdown(value["text"].source, base_url)
    return "\n".join([f"> {label}", *(f"> {line}".rstrip() for line in text.split("\n"))])


def table(value):
    rows = [
        [escape_text(" ".join(str(cell or "").split()), table_cell=True) for cell in row]
        for row in value.get("data") or []
    ]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    if value.get("first_col_is_header"):
        for row in rows[1:]:
            row[0] = f"**{row[0]}**" if row[0] else ""
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    if value.get("table_caption"):
        lines += ["", f"Table: {escape_text(value['table_caption'].strip())}"]
    return "\n".join(lines)


def body_markdown(stream, base_url):
    """A BodyBlock StreamValue as Markdown blocks separated by blank lines."""
    rich = RichTextMarkdown(base_url)
    parts = []
    for block in stream:
        kind, value = block.block_type, block.value
        if kind != "paragraph":
            rich.reset()
        if kind == "heading":
            parts.append(heading(value))
        elif kind == "paragraph":
            parts.append(rich.convert(expand_db_html(value.source)))
        elif kind == "code":
            parts.append(code(value))
        elif kind == "image":
            parts.append(image(value, base_url))
        elif kind == "quote":
            parts.append(quote(value))
        elif kind == "callout":
            parts.append(callout(value, base_url))
        elif kind == "table":
            parts.append(table(value))
        elif kind == "divider":
            parts.append("---")
    return "\n\n".join(part for part in parts if part)


# The article -------------------------------------------------------------------------------------
def yaml_string(value):
    # JSON strings are YAML double-quoted scalars.
    return json.dumps(str(value), ensure_ascii=False)


def article_markdown(page, base_url):
    """The article's Markdown twin: front matter, then the body."""
    topic = page.topic
    tags = [tag.name for tag in page.tags.all()]
    lines = [
        "---",
        f"title: {yaml_string(page.title)}",
        f"slug: {page.slug}",
        f"date: {page.date.isoformat()}",
        f"summary: {yaml_string(' '.join(page.summary.split()))}",
    ]
    if topic is not None:
        lines.append(f"topic: {topic.slug}")
    lines.append(f"tags: [{', '.join(yaml_string(tag) for tag in tags)}]")
    lines.append(f"canonical_url: {base_url}")
    lines.append(f"reading_time: {page.reading_time}")
    if page.last_reviewed:
        lines.append(f"updated: {page.last_reviewed.isoformat()}")
    if page.applies_to:
        lines.append(f"applies_to: {yaml_string(page.applies_to)}")
    lines += ["---", "", body_markdown(page.body, base_url)]
    return "\n".join(lines).rstrip("\n") + "\n"
