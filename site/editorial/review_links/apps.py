from django.apps import AppConfig


class ReviewLinksConfig(AppConfig):
    """Expiring, revocable links that show a draft to someone without an account."""

    name = "consultancy_site.editorial.review_links"
    label = "review_links"
    verbose_name = "Review links"
