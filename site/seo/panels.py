"""The page's social card in its Promote tab."""

import logging

from wagtail.admin.panels import Panel

from .models import SocialCard
from .social_cards import fingerprint

logger = logging.getLogger(__name__)


class SocialCardPanel(Panel):
    """Read-only: the page's current card, or that it has none yet."""

    def __init__(self, heading="Social card", **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "seo/social_card_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            card = SocialCard.objects.filter(page_id=page.pk).first() if page.pk else None
            context["card"] = card if card and card.image else None
            outdated = False
            if context["card"] is not None:
                try:
                    outdated = card.fingerprint != fingerprint(page.social_card_text())
                except Exception:  # a draft the card cannot describe yet: say nothing
                    logger.exception("Could not compare the social card of page %s", page.pk)
            context["outdated"] = outdated
            context["changes_with"] = "sector" if hasattr(page, "sector") else "reading time"
            return context
