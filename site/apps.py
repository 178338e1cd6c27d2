from django.apps import AppConfig


class ConsultancySiteConfig(AppConfig):
    name = "consultancy_site"
    verbose_name = "Site"

    def ready(self):
        from . import signals

        signals.connect()
