import logging

from django import template

from consultancy_site.editorial.publish_impact.impact import publish_impact

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag
def publish_impact_for_mail(page):
    """What publishing `page` refreshes, for a mail. A mail is sent for every recipient from the
    same page object: computed once. A failure leaves the list out, never the mail."""
    if not hasattr(page, "_publish_impact"):
        try:
            page._publish_impact = publish_impact(page)
        except Exception:
            logger.exception("Could not list what publishing page %s refreshes", page.pk)
            page._publish_impact = None
    return page._publish_impact
