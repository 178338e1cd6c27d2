from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    """Reports → "Articles due for review", and its line on the dashboard."""

    name = "consultancy_site.editorial.freshness"
    label = "freshness"
    verbose_name = "Freshness"
