"""Reading pages the way a person does."""

import re
from html.parser import HTMLParser


class _VisibleText(HTMLParser):
    """Text a sighted reader sees: no head, scripts or visually-hidden spans."""

    hidden_tags = {"head", "script", "style", "template"}
    inline_tags = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong", "time"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "img", "hr", "meta", "link", "input", "source"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in self.hidden_tags or "visually-hidden" in classes
        inherited = bool(self.stack) and self.stack[-1][1]
        self.stack.append((tag, hidden or inherited))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag not in self.inline_tags:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.stack or not self.stack[-1][1]:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def assert_in_order(text: str, expected: list[str]):
    """Each expected string appears in `text`, after the one before it."""
    position = 0
    for item in expected:
        found = text.find(item, position)
        assert found >= 0, (
            f"{item!r} not found after position {position}: …{text[position : position + 300]}…"
        )
        position = found + len(item)
