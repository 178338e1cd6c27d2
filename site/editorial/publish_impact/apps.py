from django.apps import AppConfig


class PublishImpactConfig(AppConfig):
    """What publishing a page refreshes, shown before anybody publishes it."""

    name = "consultancy_site.editorial.publish_impact"
    label = "publish_impact"
    verbose_name = "Publish impact"
