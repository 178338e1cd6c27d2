import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

from consultancy_site.delivery.chrome import cached_chrome
from consultancy_site.delivery.listing import listed
from consultancy_site.models import BookACallPage, SiteIdentitySettings
from consultancy_site.seo import structured_data as seo
from topics.models import ArticlePage, TopicIndexPage

register = template.Library()


@register.inclusion_tag("includes/site_navigation.html", takes_context=True)
def site_navigation(context):
    """The home page's children marked "show in menus", the current section marked."""
    site = Site.find_for_request(context.get("request"))
    page = context.get("page")
    items = (
        cached_chrome(
            f"navigation:{site.pk}", lambda: list(listed(site.root_page.get_children()).in_menu())
        )
        if site
        else []
    )
    return {
        "items": [
            (item, bool(page and page.path.startswith(item.path)), source_query(item, page))
            for item in items
        ],
    }


def source_query(item, page):
    """?from=<page id> on a link to the Book a call form, so a submission records its source."""
    if page is None or page.pk is None or item.pk == page.pk:
        return ""
    if not issubclass(item.specific_class or Page, BookACallPage):
        return ""
    return f"?from={page.pk}"


@register.inclusion_tag("includes/breadcrumb.html")
def breadcrumb(page):
    """The page's ancestors below the home page (home is the site name in the header)."""
    return {"ancestors": [a for a in seo.ancestors(page) if a.depth > 2], "page": page}


@register.inclusion_tag("includes/seo_head.html", takes_context=True)
def seo_head(context):
    """Description, canonical URL, Open Graph and Twitter cards, JSON-LD and feed links."""
    request = context["request"]
    page = context.get("page")
    identity = SiteIdentitySettings.for_request(request)
    site_name = context.get("site_name", "")
    if page is None:
        return {"site_name": site_name, "site_feed": True}
    description = (
        page.search_description
        or getattr(page, "summary", "")
        or getattr(page, "lede", "")
        or strip_tags(str(getattr(page, "intro", "") or ""))  # the home page's or a form's intro
    )
    canonical = page.get_full_url(request)
    listing = context.get("articles")
    if getattr(listing, "number", 1) > 1:
        # Later pages of a topic's listing are pages of their own, not copies of the first.
        canonical += f"?page={listing.number}"
    home_url = request.build_absolute_uri("/")
    image = seo.share_image(page, request, identity)
    structured = [seo.breadcrumb_list(page, request)] if page.depth > 2 else []
    if isinstance(page, ArticlePage):
        author = seo.person(identity, site_name, home_url)
        structured.append(seo.article(page, request, author, image["url"]))
    elif isinstance(page, TopicIndexPage) and listing is not None:
        structured.append(seo.collection_page(page, request, listing, canonical))
    return {
        "page": page,
        "site_name": site_name,
        "title": page.seo_title or (site_name if page.depth == 2 else page.title),
        "description": " ".join(description.split()),
        "canonical": canonical,
        "image": image,
        "og_type": "article" if hasattr(page, "reading_time") else "website",
        "structured_data": [json_ld(item) for item in structured],
        "topic_feed": getattr(page, "feed_page", lambda: None)(),
        # The Markdown twin (topics.markdown): only a live article has one.
        "markdown_url": (
            canonical + "index.md" if isinstance(page, ArticlePage) and page.live else None
        ),
    }


def json_ld(data):
    """JSON safe inside a <script> element (the same escapes as Django's json_script)."""
    return mark_safe(  # noqa: S308
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    )


JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
