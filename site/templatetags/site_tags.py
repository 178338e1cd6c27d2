import hashlib
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site
from wagtail.templatetags.wagtailcore_tags import richtext

from consultancy_site import seo
from consultancy_site.cache import cached_chrome
from consultancy_site.listing import listed
from consultancy_site.models import BookACallPage, SiteIdentitySettings
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
        # Later pages of a hub are pages of their own, not copies of the first.
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


@register.simple_tag(takes_context=True)
def stream(context, page, field_name):
    """A page's StreamField, block by block, rendered once per publish.

    Rendering a body resolves its rich-text links, image renditions and highlighted code; the
    HTML is kept in the chrome cache (dropped whenever anything is published, since a link's
    target may have moved) under the page's last publication. Previews always render afresh.
    """
    value = getattr(page, field_name)

    def render():
        flat = context.flatten()
        return "".join(str(child.render_as_block(context=flat)) for child in value)

    request = context.get("request")
    if getattr(request, "is_preview", False) or not page.live or not page.last_published_at:
        return mark_safe(render())  # noqa: S308 (blocks escape their own content)
    key = f"stream:{page.pk}:{field_name}:{page.last_published_at.timestamp()}"
    return mark_safe(cached_chrome(key, render))  # noqa: S308


@register.filter
def cached_richtext(value):
    """`richtext`, resolved once until anything is published (links may move)."""
    source = str(getattr(value, "source", value) or "")
    key = "richtext:" + hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()
    return mark_safe(cached_chrome(key, lambda: str(richtext(source))))  # noqa: S308


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        request = context.get("request")
        page = context.get("page")
        if getattr(request, "is_preview", False) or (page is not None and not page.live):
            return self.nodelist.render(context)
        key = "fragment:" + ":".join(str(part.resolve(context)) for part in self.parts)
        return cached_chrome(key, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    """{% fragment "name" part… %}…{% endfragment %}: markup rendered once until anything is
    published (the chrome cache), keyed by its parts. Never cached in previews or for drafts."""
    parts = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parts)
