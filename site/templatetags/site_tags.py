from django import template
from wagtail.models import Site

from consultancy_site.listing import listed

register = template.Library()


@register.inclusion_tag("includes/site_navigation.html", takes_context=True)
def site_navigation(context):
    """The home page's children marked "show in menus", the current section marked."""
    site = Site.find_for_request(context.get("request"))
    page = context.get("page")
    items = listed(site.root_page.get_children()).in_menu() if site else []
    return {
        "items": [(item, bool(page and page.path.startswith(item.path))) for item in items],
    }


@register.inclusion_tag("includes/breadcrumb.html")
def breadcrumb(page):
    """The page's ancestors below the home page (home is the site name in the header)."""
    return {"ancestors": page.get_ancestors().filter(depth__gt=2), "page": page}
