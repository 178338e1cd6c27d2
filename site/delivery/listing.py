"""What a visitor may see in a listing, decided inside the listing's own query."""

import math

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction

from .chrome import cached_chrome


def listed(pages):
    """Live pages with no view restriction on them or any ancestor.

    Wagtail's `.public()` first loads every restriction in a separate query; this asks the
    database in the same query, so a page with three listings does not pay three extra queries.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.live().filter(~Exists(restricted))


class ListingPage:
    """One page of a paginated listing, as plain data: it pickles into the cache without
    dragging its whole queryset along (a Django Page keeps a reference to its Paginator's)."""

    def __init__(self, page):
        self.object_list = list(page.object_list)
        self.number = page.number
        self.num_pages = page.paginator.num_pages
        self.count = page.paginator.count
        self.first_index = page.start_index()

    @property
    def paginator(self):
        return self  # templates ask page.paginator.num_pages / .count

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __bool__(self):
        return bool(self.object_list)

    def start_index(self):
        return self.first_index

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def paginate(queryset, number, per_page):
    """A ListingPage of `queryset`: ?page=abc or 0 gives the first page, past the end the last."""
    return ListingPage(Paginator(queryset, per_page).get_page(number))


def cached_listing(key, queryset, requested, per_page):
    """The requested page of a listing from the chrome cache.

    Keys use the page number actually shown (?page=abc, -1 or 99999 land on a real page), so
    made-up page numbers cannot fill the cache with copies.
    """
    count = cached_chrome(f"{key}:count", queryset.count)
    last = max(1, math.ceil(count / per_page))
    try:
        number = int(requested)
    except (TypeError, ValueError):
        number = 1
    if not 1 <= number <= last:
        number = last  # as Django's Paginator.get_page does

    return cached_chrome(f"{key}:{number}", lambda: paginate(queryset, number, per_page))
