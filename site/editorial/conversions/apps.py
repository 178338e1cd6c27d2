from django.apps import AppConfig


class ConversionsConfig(AppConfig):
    """Reports → "Book a call conversions": which pages bring enquiries."""

    name = "consultancy_site.editorial.conversions"
    label = "conversions"
    verbose_name = "Book a call conversions"
