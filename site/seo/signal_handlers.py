"""Cards are drawn when their page is published, and their files go with them."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published

from .models import SocialCard
from .social_cards import card_page_types, delete_file, ensure_card, purge_pages

logger = logging.getLogger(__name__)


def draw_when_published(sender, instance, **kwargs):
    """Draw the page's card if what it shows changed, then purge the page, whose <head> names
    the card (whatever the order of the other publish handlers). Never stops the publish."""
    try:
        with transaction.atomic():  # a failure here must not break the publish's transaction
            _card, drawn = ensure_card(instance)
    except Exception:
        logger.exception("Could not draw the social card of page %s", instance.pk)
        return
    if drawn:
        purge_pages([instance])


def delete_file_with_card(sender, instance, **kwargs):
    """A card deleted (with its page) takes its file along, once the deletion is committed."""
    if instance.image:
        name = instance.image.name
        transaction.on_commit(lambda: delete_file(name))


def connect():
    for model in card_page_types():
        page_published.connect(
            draw_when_published, sender=model, dispatch_uid=f"draw-card-{model._meta.label_lower}"
        )
    post_delete.connect(delete_file_with_card, sender=SocialCard, dispatch_uid="delete-card-file")
