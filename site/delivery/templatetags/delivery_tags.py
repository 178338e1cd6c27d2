"""Template tags that keep rendered markup in the chrome cache until anything is published."""

import hashlib

from django import template
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

from consultancy_site.delivery.chrome import cached_chrome

register = template.Library()


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
