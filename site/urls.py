from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.http import require_POST
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import account
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from consultancy_site.editorial.review_links.views import review
from topics.feeds import ArticleAtomFeed, ArticleRssFeed

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    # Signing out takes a POST: Wagtail's view would answer a GET (a link, an <img>) with
    # "you have been logged out" while the session lived on.
    path("admin/logout/", require_POST(account.LogoutView.as_view()), name="wagtailadmin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("feed/", ArticleRssFeed(), name="feed_rss"),
    path("feed/atom/", ArticleAtomFeed(), name="feed_atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Browsers and crawlers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", views.favicon),
    path("healthz/", views.healthz, name="healthz"),
    path("review/<str:token>/", review, name="review_link"),
    # Articles' Markdown twins (<article>/index.md) and topics' llms.txt: sub-routes of their
    # pages, through Wagtail's serve view (its routing and privacy checks); Wagtail's own
    # pattern only takes paths ending in a slash.
    re_path(r"^((?:[\w\-]+/)+(?:index\.md|llms\.txt))$", wagtail_views.serve, name="page_text"),
    path("llms.txt", views.site_llms_txt, name="llms_txt"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    from django.views.static import serve

    urlpatterns.append(
        re_path(
            r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")),
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

urlpatterns += [path("", include(wagtail_urls))]
