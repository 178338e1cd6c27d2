"""What a visitor may see in a listing, decided inside the listing's own query."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def listed(pages):
    """Live pages with no view restriction on them or any ancestor.

    Wagtail's `.public()` first loads every restriction in a separate query; this asks the
    database in the same query, so a page with three listings does not pay three extra queries.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.live().filter(~Exists(restricted))
