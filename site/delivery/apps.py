from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Serving pages fast and true: page and chrome caches, routing, listings, what shows what,
    and the purge when an editor publishes."""

    name = "consultancy_site.delivery"
    label = "delivery"
    verbose_name = "Delivery"

    def ready(self):
        from . import signal_handlers  # noqa: PLC0415 (needs the models: loaded in ready())

        signal_handlers.connect()
