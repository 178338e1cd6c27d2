from django.apps import AppConfig


class ConsultancySiteConfig(AppConfig):
    """The site-wide pages (home, services, Book a call), site settings, search and the text
    and sitemap URLs that belong to no section."""

    name = "consultancy_site"
    verbose_name = "Site"

    def ready(self):
        # Needs the models and views: loaded in ready(), as Django's documentation does.
        from consultancy_site.delivery.showing import register_site_listing  # noqa: PLC0415

        from . import sitemaps, views  # noqa: PLC0415

        register_site_listing(sitemaps.SITEMAP_LISTING)
        register_site_listing(views.SITE_LLMS_TXT)
