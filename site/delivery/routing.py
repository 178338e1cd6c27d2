"""Routing a reader's URL to its page with one query for the whole path, and from the route
cache once the URL has been seen."""

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from .chrome import cached_chrome


def claims_sub_route(page, path_components):
    """Whether a live routable page answers `path_components` with one of its own sub-routes
    (a topic's feed/): Wagtail tries those before the page's children, and so does this."""
    model = page.specific_class
    if not (page.live and model and issubclass(model, RoutablePageMixin)):
        return False
    try:
        model.get_resolver().resolve("/" + "/".join(path_components) + "/")
    except (Http404, Resolver404):
        return False
    return True


class CachedRoutingMixin:
    """For the root page of a site: find the page at a URL with one query for the whole path,
    not two per level.

    Wagtail's route() walks down one level at a time (find the child, then its specific form).
    Here every page on the way comes back in one query by slug and depth; only the deepest one
    is fetched in its specific form, along with what its template needs (`route_select_related`).
    Anything the deepest page does not consume (a routable page's sub-route, or a missing page)
    is left to its own route().
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            page, consumed = self.deepest_page(path_components)
        else:
            # A reader's request: the page at an exact page URL comes from the chrome cache,
            # which every publish, unpublish, move, rename and privacy change invalidates.
            # Sub-routes and missing pages are not kept, so made-up URLs cannot fill it.
            page, consumed = cached_chrome(
                f"route:{self.pk}:{'/'.join(path_components)}",
                lambda: self.deepest_page(path_components),
                keep=lambda found: found[1] == len(path_components),
            )
        return page.route(request, path_components[consumed:])

    def deepest_page(self, path_components):
        """The deepest page along the path, in its specific form, and how many components it
        took; Http404 when not even the first is a page."""
        # Slugs are indexed (url_path is not): every candidate page in one query, then the
        # chain is the one whose each page is the child of the one before.
        candidates = {
            (page.path[: -Page.steplen], page.slug): page
            for page in Page.objects.filter(
                slug__in=set(path_components),
                depth__gt=self.depth,
                depth__lte=self.depth + len(path_components),
                path__startswith=self.path,
            )
        }
        chain, parent_path = [], self.path
        for position, component in enumerate(path_components):
            page = candidates.get((parent_path, component))
            if page is None:
                break
            if chain and claims_sub_route(chain[-1], path_components[position:]):
                break
            chain.append(page)
            parent_path = page.path
        if not chain:
            raise Http404
        deepest = chain[-1]
        model = deepest.specific_class
        if model is None:
            raise Http404
        pages = model.objects.all()
        if related := getattr(model, "route_select_related", None):
            pages = pages.select_related(*related)
        page = pages.get(pk=deepest.pk)
        # The breadcrumb and JSON-LD need the ancestors: they came with the same query.
        page._seo_ancestors = [self, *chain[:-1]]
        return page, len(chain)
