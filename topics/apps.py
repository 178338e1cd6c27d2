from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "topics"
    verbose_name = "Topics and articles"

    def ready(self):
        # Needs the models: loaded in ready(), as Django's documentation does.
        from consultancy_site.delivery.showing import register_site_listing  # noqa: PLC0415

        from . import feeds, signal_handlers  # noqa: PLC0415

        register_site_listing(feeds.SITE_FEEDS)
        signal_handlers.connect()
