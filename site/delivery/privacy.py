"""A page's view restrictions (Wagtail's privacy check) read from the chrome cache."""

from django.db.models import QuerySet
from wagtail.models import PageViewRestriction

from .chrome import cached_chrome


def evaluated(queryset: QuerySet, rows: list) -> QuerySet:
    """`queryset` already holding `rows`: iterating it, len() and exists() ask no query, and
    filtering it asks the database as any QuerySet does."""
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


class CachedViewRestrictionsMixin:
    """Page types whose privacy check (two queries on every request) comes from the chrome.

    Any change to a view restriction purges every page and the chrome (delivery's signal
    handlers). Returns a QuerySet, as Wagtail's own does (Page.copy() calls .exists() on it)."""

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        rows = cached_chrome(f"restrictions:{self.path}", lambda: list(self.load_restrictions()))
        return evaluated(PageViewRestriction.objects.filter(pk__in=[r.pk for r in rows]), rows)

    def load_restrictions(self):
        # Routing fetched every page on the way here (delivery.routing): with no alias among
        # them, the restrictions of the page and its ancestors are one query by path, not two.
        on_the_way = self.__dict__.get("_seo_ancestors")
        if on_the_way is None or any(page.alias_of_id for page in [*on_the_way, self]):
            return super().get_view_restrictions()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(page__path__in=paths)
