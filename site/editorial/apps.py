from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Authors write and submit, editors approve and publish (consultancy_site.permissions)."""

    name = "consultancy_site.editorial"
    label = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self):
        from . import signal_handlers  # noqa: PLC0415 (needs the models: loaded in ready())

        signal_handlers.connect()
