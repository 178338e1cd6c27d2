from django.conf import settings
from django.db import models


class ReviewLink(models.Model):
    """An expiring, revocable link that shows a page's latest draft to someone without an account.

    Only a hash of the token is kept: the link itself is shown once, when it is made.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="review_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    reviewer = models.CharField(
        max_length=120, help_text="Who the link is for, e.g. 'Jane at Acme (client)'."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Review link for {self.reviewer}"


class ReviewLinkView(models.Model):
    """One visit through a review link: when, and which revision the reviewer saw."""

    link = models.ForeignKey(ReviewLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.link} viewed {self.viewed_at:%Y-%m-%d %H:%M}"
