from django.apps import AppConfig


class SeoConfig(AppConfig):
    """What search engines and social networks read: social cards (drawn on publish),
    share images and JSON-LD."""

    name = "consultancy_site.seo"
    label = "seo"
    verbose_name = "Search and sharing"

    def ready(self):
        from . import signal_handlers  # noqa: PLC0415 (needs the models: loaded in ready())

        signal_handlers.connect()
