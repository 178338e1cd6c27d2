from wagtail.contrib.sitemaps import Sitemap

from consultancy_site.delivery.showing import SiteListing


class PagesSitemap(Sitemap):
    """Every live, public page, a thousand to a section, without loading page bodies.

    Wagtail's default sitemap fetches every page in its specific form; a page's URL and
    last-published date are on the base page row, so this one never asks for more.
    """

    limit = 1000

    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .only(
                "id",
                "path",
                "depth",
                "url_path",
                "last_published_at",
                "latest_revision_created_at",
                "locale_id",
            )
        )

    def _urls(self, page, protocol, domain):
        urls = []
        for item in self.paginator.page(page).object_list:
            urls.append(
                {
                    "item": item,
                    "location": item.get_full_url(self.request),
                    "lastmod": self.lastmod(item),
                }
            )
        lastmods = [url["lastmod"] for url in urls if url["lastmod"]]
        if lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


SITEMAPS = {"pages": PagesSitemap}
# The index and its first section list every page (later sections take ?p=N, never cached).
SITEMAP_LISTING = SiteListing(
    "Sitemap", models=("*",), urls=("sitemap", ("sitemap_section", {"section": "pages"}))
)
