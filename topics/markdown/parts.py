"""Markdown for pages other than articles: the parts of a file under `#` headings (a case study's
"The problem", "What was built", …), a topic's introduction in sections, outcome figures, and
rich-text fields that hold text and lists only.

Like `parse.py`, everything here reports problems as `problem(line, message)` with the line in
the file, and never drops what it cannot place.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it.tree import SyntaxTreeNode

from .parse import ParsedBlock, markdown, plain_text

# What a rich-text field may be limited to, by the names Wagtail's rich text features have.
FEATURE_NAMES = {
    "bold": "bold text",
    "italic": "italic text",
    "code": "inline code",
    "link": "links",
    "document-link": "links to documents",
    "ul": "lists",
    "ol": "numbered lists",
}
SECTION_FEATURES = {"bold", "italic", "link", "ul", "ol"}
INTRO_PARAGRAPH_FEATURES = {"bold", "italic", "link"}
OUTCOME_SEPARATOR = re.compile(r"^\s*[:—–]\s*")
BLOCK_NAMES = {"code": "code block", "callout": "note or warning"}


def a_block(block_type):
    """A kind of block as a writer names it: "a table", "an image", "a code block"."""
    name = BLOCK_NAMES.get(block_type, block_type)
    return ("an " if name[0] in "aeiou" else "a ") + name


@dataclass
class Part:
    """The text under one `#` heading (title None: the text before the first one)."""

    title: str | None
    line: int  # the heading's line in the file
    text: str
    first_line: int  # the file line of the text's first line


def split_parts(text, first_line):
    """The body cut at its top-level `#` headings (a `#` inside code or a quote is not one)."""
    tokens = markdown.parse(text)
    lines = text.splitlines(keepends=True)
    parts, title, line, start = [], None, first_line, 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and token.level == 0:
            parts.append(
                Part(title, line, "".join(lines[start : token.map[0]]), first_line + start)
            )
            title = tokens[index + 1].content.strip()
            line, start = first_line + token.map[0], token.map[1]
    parts.append(Part(title, line, "".join(lines[start:]), first_line + start))
    return parts


class _Features(HTMLParser):
    def __init__(self):
        super().__init__()
        self.used = set()

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.used.add("document-link" if dict(attrs).get("linktype") == "document" else "link")
        else:
            self.used.add({"b": "bold", "i": "italic"}.get(tag, tag))


def features_used(html):
    """The rich-text features (bold, italic, code, link, document-link, ul, ol) html uses."""
    parser = _Features()
    parser.feed(html)
    parser.close()
    return parser.used & set(FEATURE_NAMES)


def check_features(block, allowed, where, problem):
    """Report rich text that uses what `where` cannot show (inline code in a topic's intro…)."""
    missing = sorted(features_used(block.value) - set(allowed))
    if missing:
        names = sorted({FEATURE_NAMES[name] for name in missing})
        problem(block.line, f"{where} cannot show {' or '.join(names)}")


def rich_text(blocks, allowed, where, problem):
    """The HTML of blocks that must be text and lists only (a case study's problem…)."""
    html = []
    for block in blocks:
        if block.type != "paragraph":
            problem(block.line, f"{where} holds text and lists only, not {a_block(block.type)}")
            continue
        check_features(block, allowed, where, problem)
        html.append(block.value)
    return "".join(html)


def intro_blocks(blocks, problem):
    """A topic's introduction: each `##` heading with the text under it is a section; text
    before the first heading, or after a `---` that ends a section, is a paragraph of its own."""
    intro, heading = [], None

    def no_text():
        problem(heading.line, f"the section '{heading.value['text']}' has no text under it")

    for block in blocks:
        if block.type == "heading":
            if heading is not None:
                no_text()
            heading = None
            if block.value["level"] != "h2":
                problem(block.line, "a topic's introduction has '##' sections only, no '###'")
            elif block.value["anchor"]:
                problem(block.line, "a section's link anchor is made from its heading: drop {#…}")
            else:
                heading = block
        elif block.type == "paragraph":
            if heading is not None:
                check_features(block, SECTION_FEATURES, "a section of the introduction", problem)
                intro.append(
                    ParsedBlock(
                        heading.line,
                        "section",
                        {"heading": heading.value["text"], "body": block.value},
                    )
                )
                heading = None
            else:
                check_features(
                    block, INTRO_PARAGRAPH_FEATURES, "a paragraph of the introduction", problem
                )
                intro.append(block)
        elif block.type == "divider":
            if heading is not None:
                no_text()
            heading = None
        else:
            problem(
                block.line,
                "a topic's introduction holds sections ('## heading' and text) and paragraphs "
                f"only, not {a_block(block.type)}",
            )
    if heading is not None:
        no_text()
    return intro


def outcome_metrics(text, first_line, problem):
    """Outcome figures written as a list, one per item: `- **-12%** forecast error (WAPE)`."""
    metrics = []
    example = "- **-12%** forecast error across 40k SKUs"
    for node in SyntaxTreeNode(markdown.parse(text)).children:
        line = first_line + node.map[0]
        if node.type != "bullet_list":
            problem(line, f"outcomes are a list with one figure per item: {example}")
            continue
        for item in node.children:
            item_line = first_line + item.map[0]
            children = item.children
            if len(children) != 1 or children[0].type != "paragraph":
                problem(item_line, f"an outcome is one line: {example}")
                continue
            inline = children[0].children[0].children
            start = next(
                (i for i, c in enumerate(inline) if c.type != "text" or c.content.strip()), None
            )
            if start is None or inline[start].type != "strong":
                problem(item_line, f"an outcome starts with its figure in bold: {example}")
                continue
            value = plain_text(inline[start]).strip()
            label = "".join(plain_text(child) for child in inline[start + 1 :])
            label = OUTCOME_SEPARATOR.sub("", label).strip()
            if not label:
                problem(item_line, f"say what {value} measures after the figure: {example}")
                continue
            metrics.append(ParsedBlock(item_line, "metric", {"value": value, "label": label}))
    return metrics
