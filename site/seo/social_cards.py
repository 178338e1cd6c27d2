"""Social cards: the Open Graph image of every article and case study, drawn with Pillow.

A card (1200×630 PNG) shows the title, the topic, the reading time (articles) or the sector
(case studies) and the site name, in the site's light palette. It is drawn when the page is
published and stored in the default storage under social-cards/, once: it is redrawn only when
what it shows changes (its fingerprint), under a new file name, so a CDN never serves a stale
card; the old file is deleted once the new one is committed. `draw_social_cards` draws the
cards a site is missing (existing sites after a deploy, a new DESIGN_VERSION).

Fonts: DejaVu Sans and DejaVu Sans Bold are vendored in fonts/ (Bitstream Vera licence,
LICENSE-DejaVu.txt). Pillow's own font (`load_default`) has no bold and few scripts beyond
Latin, and fonts under /usr/share/fonts may be missing on a fresh machine. The text is laid out
with Pillow's basic engine (not Raqm, which a Pillow build may lack), so the same inputs give
the same bytes wherever the same Pillow runs.
"""

import datetime
import hashlib
import io
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from wagtail.models import Page, get_page_models

from consultancy_site.delivery.chrome import cached_chrome
from consultancy_site.delivery.purge import purge
from consultancy_site.delivery.showing import own_urls

from .models import SocialCard

logger = logging.getLogger(__name__)

# Bump when the drawing changes: every card is then outdated and `draw_social_cards` redraws it.
DESIGN_VERSION = 1

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
FOLDER = "social-cards"
FONTS = Path(__file__).parent / "fonts"
BOLD = FONTS / "DejaVuSans-Bold.ttf"
REGULAR = FONTS / "DejaVuSans.ttf"

# The light palette of static/css/site.css: contrast on white is 16:1 (text), 7.4:1 (muted),
# 8.3:1 (tag text on tag background).
BACKGROUND = "#ffffff"
TEXT = "#1b1d21"
MUTED = "#4f5561"
BORDER = "#d9dce2"
ACCENT = "#0b5cad"
TAG_BACKGROUND = "#e7effa"
TAG_TEXT = "#0a4a8c"

# Where each part goes, top to bottom.
TOPIC_TOP, TOPIC_SIZE, TOPIC_PADDING = 64, 26, (20, 12)
TITLE_TOP, TITLE_BOTTOM = 152, 482
TITLE_SIZES = range(72, 39, -4)  # the largest that fits; 40 px is the smallest
TITLE_LINE_HEIGHT = 1.18
RULE_Y = 512
FOOTER_TOP, FOOTER_SIZE = 540, 28
BAND_TOP = HEIGHT - 14
ELLIPSIS = "…"


@dataclass(frozen=True)
class CardText:
    """Everything a card shows; the card is redrawn exactly when this changes."""

    title: str
    topic: str
    meta: str  # "8 min read", or "Case study · Banking"
    site_name: str


@dataclass(frozen=True)
class PlacedText:
    """A line of text on the card: where it is drawn (left, top) and the box its ink covers."""

    role: str  # "topic", "title", "site" or "meta"
    text: str
    bold: bool
    size: int
    left: int
    top: int
    box: tuple  # (left, top, right, bottom) in pixels


# Drawing ---------------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def font(bold, size):
    return ImageFont.truetype(
        str(BOLD if bold else REGULAR), size, layout_engine=ImageFont.Layout.BASIC
    )


@lru_cache(maxsize=4096)
def width_of(text, bold, size):
    """The room a line takes: its advance, or its ink where a glyph reaches beyond it (a "j"
    starts left of the pen, an "f" may end right of the advance)."""
    face = font(bold, size)
    x0, _y0, x1, _y1 = face.getbbox(text, anchor="la") if text else (0, 0, 0, 0)
    return max(face.getlength(text), x1) - min(0, x0)


def placed(role, text, bold, size, left, top):
    """A line whose ink starts at `left` (the pen moves right of any glyph reaching left)."""
    x0, y0, x1, y1 = font(bold, size).getbbox(text, anchor="la")
    pen = left - min(0, x0)
    return PlacedText(role, text, bold, size, pen, top, (pen + x0, top + y0, pen + x1, top + y1))


def line_height(size):
    ascent, descent = font(True, size).getmetrics()
    return ascent + descent


def longest(count, fits):
    """The largest n in 0..count for which fits(n) holds (true up to some n, then false)."""
    low, high = 0, count
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def shorten(text, bold, size, width):
    """`text` if it fits `width`, else as many of its words as fit followed by an ellipsis
    (as much of its first word, if not even that fits)."""
    if width_of(text, bold, size) <= width:
        return text

    def fits(candidate):
        return width_of(candidate + ELLIPSIS, bold, size) <= width

    words = text.split(" ")
    count = longest(len(words), lambda n: fits(" ".join(words[:n])))
    if count:
        text = " ".join(words[:count])
    else:
        text = text[: longest(len(text), lambda n: fits(text[:n]))]
    return text.rstrip(" ,.;:–—-") + ELLIPSIS


def wrap(text, size, width):
    """Greedy word wrap; a word wider than the line is cut where it must be.

    Returns the lines and whether any word had to be cut.
    """
    lines, current, cut = [], "", False
    for word in text.split():
        pieces = []
        while width_of(word, True, size) > width:  # at least a character a line
            cut = True
            length = max(
                1, longest(len(word), lambda n, w=word: width_of(w[:n], True, size) <= width)
            )
            pieces.append(word[:length])
            word = word[length:]
        pieces.append(word)
        for piece in pieces:
            candidate = f"{current} {piece}" if current else piece
            if current and width_of(candidate, True, size) > width:
                lines.append(current)
                current = piece
            else:
                current = candidate
    if current:
        lines.append(current)
    return lines, cut


def balance(text, size, width, lines):
    """The same number of lines, as even as they go (CSS `text-wrap: balance`, as the site's
    headings): the narrowest measure that still needs no more lines, found by bisection."""
    # No narrower than the widest word: a measure that cuts words is never the answer.
    narrow = max(width_of(word, True, size) for word in text.split()) - 1
    wide = width
    while wide - narrow > 2:
        middle = int(narrow + wide) // 2
        candidate, cut = wrap(text, size, middle)
        if len(candidate) <= len(lines) and not cut:
            wide, lines = middle, candidate
        else:
            narrow = middle
    return lines


def title_lines(title, width=WIDTH - 2 * MARGIN, height=TITLE_BOTTOM - TITLE_TOP):
    """The title's lines and type size: the largest size at which it fits, whole words only
    if possible; at the smallest size, lines that do not fit end in an ellipsis."""
    if not title.split():
        return [], TITLE_SIZES[0]
    for size in TITLE_SIZES:
        step = round(size * TITLE_LINE_HEIGHT)
        max_lines = 1 + (height - line_height(size)) // step
        lines, cut = wrap(title, size, width)
        if len(lines) <= max_lines and not cut:
            return balance(title, size, width, lines), size
    if len(lines) > max_lines:
        last = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], shorten(last, True, size, width)]
        # The ellipsis must show that something was left out, even when the line had room.
        if not lines[-1].endswith(ELLIPSIS):
            lines[-1] = shorten(lines[-1] + ELLIPSIS, True, size, width)
    return lines, size


def layout(text):
    """Where every line of the card goes (exposed so tests can check nothing overflows)."""
    inner = WIDTH - 2 * MARGIN
    lines = []
    if text.topic:
        pad_x, pad_y = TOPIC_PADDING
        topic = shorten(text.topic, True, TOPIC_SIZE, inner - 2 * pad_x)
        lines.append(placed("topic", topic, True, TOPIC_SIZE, MARGIN + pad_x, TOPIC_TOP + pad_y))
    title, size = title_lines(text.title)
    step = round(size * TITLE_LINE_HEIGHT)
    # Centred in its room, so a short title does not leave a hole under it.
    block = (len(title) - 1) * step + line_height(size)
    first_top = TITLE_TOP + max(0, (TITLE_BOTTOM - TITLE_TOP - block) // 2)
    for number, line in enumerate(title):
        lines.append(placed("title", line, True, size, MARGIN, first_top + number * step))
    # The footer: the site name on the left, the reading time or sector on the right. The
    # meta is short and keeps its room; the site name gives way.
    meta = shorten(text.meta, False, FOOTER_SIZE, inner // 2)
    meta_width = width_of(meta, False, FOOTER_SIZE)
    site_name = shorten(text.site_name, True, FOOTER_SIZE, inner - meta_width - 40)
    if site_name:
        lines.append(placed("site", site_name, True, FOOTER_SIZE, MARGIN, FOOTER_TOP))
    if meta:
        left = WIDTH - MARGIN - meta_width
        lines.append(placed("meta", meta, False, FOOTER_SIZE, left, FOOTER_TOP))
    return lines


COLOURS = {"topic": TAG_TEXT, "title": TEXT, "site": TEXT, "meta": MUTED}


def draw(text):
    """The card as a Pillow image."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    canvas = ImageDraw.Draw(image)
    lines = layout(text)
    for line in lines:
        if line.role == "topic":  # a pill behind it, as the site's tags
            pad_x, pad_y = TOPIC_PADDING
            right = line.box[2] + pad_x
            bottom = line.top + line_height(line.size) + pad_y
            radius = (bottom - TOPIC_TOP) // 2
            canvas.rounded_rectangle(
                (MARGIN, TOPIC_TOP, right, bottom), radius=radius, fill=TAG_BACKGROUND
            )
    for line in lines:
        face = font(line.bold, line.size)
        canvas.text(
            (line.left, line.top), line.text, font=face, fill=COLOURS[line.role], anchor="la"
        )
    canvas.line((MARGIN, RULE_Y, WIDTH - MARGIN, RULE_Y), fill=BORDER, width=2)
    canvas.rectangle((0, BAND_TOP, WIDTH, HEIGHT), fill=ACCENT)
    return image


def render_png(text):
    buffer = io.BytesIO()
    draw(text).save(buffer, format="PNG")  # optimize=True: 3× the time for 5% smaller
    return buffer.getvalue()


def fingerprint(text):
    drawn = [DESIGN_VERSION, text.title, text.topic, text.meta, text.site_name]
    return hashlib.sha256(json.dumps(drawn, ensure_ascii=False).encode()).hexdigest()


# Pages and their cards -------------------------------------------------------------------------
def site_name(page):
    """The name of the site `page` belongs to, as its card shows it."""
    site = page.get_site()
    return (site and site.site_name) or settings.WAGTAIL_SITE_NAME


def has_card(model):
    """Page types with a card declare what it shows: `social_card_text() -> CardText`."""
    return callable(getattr(model, "social_card_text", None))


def card_page_types():
    return [model for model in get_page_models() if has_card(model)]


def file_name(page, digest):
    # Unique per content: a CDN or a browser never keeps an old card under a new card's URL.
    return f"{page.pk}-{digest[:16]}.png"


def is_current(card, digest):
    return bool(
        card is not None
        and card.fingerprint == digest
        and card.image
        and card.image.storage.exists(card.image.name)
    )


def ensure_card(page):
    """Draw the card of `page` unless its stored card already shows what the page holds.

    Returns (card, drawn). The old file is deleted once the new card is committed.
    """
    page = page.specific
    text = page.social_card_text()
    digest = fingerprint(text)
    card = SocialCard.objects.filter(page_id=page.pk).first()
    if is_current(card, digest):
        return card, False
    png = render_png(text)
    card = card or SocialCard(page_id=page.pk)
    old_name = card.image.name if card.image else None
    card.fingerprint = digest
    card.image.save(file_name(page, digest), ContentFile(png), save=False)
    new_name = card.image.name
    card.width, card.height = WIDTH, HEIGHT  # what was drawn (the field leaves a new row's unset)
    try:
        card.save()
    except Exception:
        default_storage.delete(new_name)  # no file without its row
        raise
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: delete_file(old_name))
    return card, True


def delete_file(name):
    try:
        default_storage.delete(name)
    except Exception:
        logger.exception("Could not delete the old social card %s", name)


# Drawing every card that is missing -------------------------------------------------------------
def draw_missing(log=lambda message: None):
    """Draw the cards that live articles and case studies lack or that are outdated.

    Returns (drawn pages, failed pages, orphaned files removed). Pages whose card changed are
    purged from the caches, as a publish would.
    """
    drawn, failed = [], []
    pages = Page.objects.live().type(*card_page_types()).specific().order_by("path")
    for page in pages.iterator(chunk_size=200):
        try:
            with transaction.atomic():
                _card, changed = ensure_card(page)
        except Exception:
            logger.exception("Could not draw the social card of page %s", page.pk)
            failed.append(page)
            continue
        if changed:
            drawn.append(page)
            log(f"Drew the card of {page.title!r}")
    if drawn:
        purge_pages(drawn)
    return drawn, failed, remove_orphans()


def purge_pages(pages):
    """The page itself shows its card (in its <head>): purge it and the chrome it is read from."""
    purge([shown for page in pages for shown in own_urls(page, group="Social card")])


ORPHAN_AGE = datetime.timedelta(hours=1)


def remove_orphans():
    """Delete card files no card points to (a publish rolled back after drawing).

    Only files older than an hour: a younger one may belong to a publish not yet committed.
    """
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    known = {Path(name).name for name in SocialCard.objects.values_list("image", flat=True)}
    removed, now = [], timezone.now()
    for name in sorted(set(files) - known):
        path = f"{FOLDER}/{name}"
        if now - default_storage.get_modified_time(path) > ORPHAN_AGE:
            default_storage.delete(path)
            removed.append(path)
    return removed


# Reading the card on a public page -------------------------------------------------------------
def card_for_page(page):
    """(url, width, height) of the page's card, or None; from the chrome cache (no query once
    warm). The publish that redraws a card purges the chrome, so this is never stale."""
    if not has_card(type(page)) or not page.pk:
        return None

    def load():
        # A routed page brought its card along (`route_select_related`): no query then.
        try:
            card = page.social_card
        except SocialCard.DoesNotExist:
            card = None
        # () and not None: "no card" is worth keeping too (None reads as a cache miss).
        return (card.image.url, card.width, card.height) if card and card.image else ()

    return cached_chrome(f"social-card:{page.pk}", load) or None
