from django.db import models


class SocialCard(models.Model):
    """The Open Graph image drawn for an article or case study; redrawn when what it shows changes."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="social_card"
    )
    image = models.ImageField(upload_to="social-cards/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    # A hash of everything drawn (title, topic, reading time, design version).
    fingerprint = models.CharField(max_length=64)
    drawn_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Social card of page {self.page_id}"
