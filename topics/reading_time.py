"""Reading time, computed once from a body's raw StreamField data when the page is saved.

Working on the raw data (not rendered HTML) keeps it cheap and free of database access,
so saving a page never renders it and no listing ever has to load a body.
"""

import math
import re
from collections.abc import Iterable, Mapping

PROSE_WORDS_PER_MINUTE = 230
# Code is read token by token and usually twice: about half the pace of prose.
CODE_WORDS_PER_MINUTE = 115
SECONDS_PER_IMAGE = 12

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\S+")


def _count_words(value) -> int:
    """Words in every string inside a block value (rich text tags stripped)."""
    if isinstance(value, str):
        return len(_WORD.findall(_TAG.sub(" ", value)))
    if isinstance(value, Mapping):
        return sum(_count_words(v) for v in value.values())
    if isinstance(value, Iterable):
        return sum(_count_words(v) for v in value)
    return 0


def reading_seconds(raw_blocks: Iterable[Mapping]) -> float:
    seconds = 0.0
    for block in raw_blocks:
        block_type, value = block.get("type"), block.get("value")
        if block_type == "image":
            seconds += SECONDS_PER_IMAGE
            value = (value or {}).get("caption", "")
        if block_type == "code":
            seconds += _count_words((value or {}).get("source", "")) * 60 / CODE_WORDS_PER_MINUTE
        else:
            seconds += _count_words(value) * 60 / PROSE_WORDS_PER_MINUTE
    return seconds


def reading_time_minutes(raw_blocks: Iterable[Mapping]) -> int:
    """Whole minutes, rounded up, never below one."""
    return max(1, math.ceil(reading_seconds(raw_blocks) / 60))
