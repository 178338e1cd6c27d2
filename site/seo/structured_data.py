"""What search engines and social networks read: descriptions, share images, JSON-LD."""

from django.templatetags.static import static
from django.utils import timezone

from . import social_cards

SCHEMA = "https://schema.org"


def first_body_image(page):
    """A page's own image: the first image in its body, if it has one."""
    for block in getattr(page, "body", None) or []:
        if block.block_type == "image":
            return block.value["image"]
    return None


def share_image(page, request, identity):
    """The image shown when the page is shared: its absolute `url`, and for a drawn social card
    (articles and case studies) its `width`, `height` and `alt` text (the title)."""
    card = social_cards.card_for_page(page) if page is not None else None
    if card:
        url, width, height = card
        return {
            "url": request.build_absolute_uri(url),
            "width": width,
            "height": height,
            "alt": page.title,
        }
    return {"url": share_image_url(page, request, identity)}


def share_image_url(page, request, identity):
    """Absolute URL of the image shown when a page without a social card is shared, 1200×630."""
    image = (page and first_body_image(page)) or identity.default_share_image
    if image is not None:
        # fill- crops around the image's focal point, so the subject stays in the card.
        return request.build_absolute_uri(image.get_rendition("fill-1200x630|format-jpeg").url)
    return request.build_absolute_uri(static("img/share-default.png"))


def person(identity, site_name, home_url):
    return {"@type": "Person", "name": identity.author_name or site_name, "url": home_url}


def ancestors(page):
    """The page's ancestors from the home page down, fetched once per page object."""
    if "_seo_ancestors" not in page.__dict__:
        page._seo_ancestors = list(page.get_ancestors().filter(depth__gt=1))
    return page._seo_ancestors


def breadcrumb_list(page, request):
    trail = [*ancestors(page), page]
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.title,
                "item": crumb.get_full_url(request),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def date_modified(page):
    """When the article last changed: its last publication, or its last review if that is later
    (a review can be entered after the fact), or else its publication date."""
    modified = page.last_published_at or page.latest_revision_created_at
    if modified is None:
        return (page.updated_on or page.date).isoformat()
    if page.updated_on and page.updated_on > timezone.localdate(modified):
        return page.updated_on.isoformat()
    return modified.isoformat()


def article(page, request, author, image_url):
    return {
        "@context": SCHEMA,
        "@type": "Article",
        "headline": page.title,
        "description": page.search_description or page.summary,
        "datePublished": page.date.isoformat(),
        "dateModified": date_modified(page),
        "author": author,
        "timeRequired": f"PT{page.reading_time}M",
        "image": image_url,
        "mainEntityOfPage": page.get_full_url(request),
        "url": page.get_full_url(request),
    }


def collection_page(page, request, articles, canonical):
    """A topic page: the page of its article list being shown (`articles` is a Paginator page)."""
    return {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "name": page.title,
        "description": page.search_description or page.lede,
        "url": canonical,
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": articles.paginator.count,
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": item.get_full_url(request),
                    "name": item.title,
                }
                for position, item in enumerate(articles, start=articles.start_index())
            ],
        },
    }
