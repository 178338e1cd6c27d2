"""Keeping cached pages true: what happens when an editor publishes.

Publish, unpublish (deleting a live page unpublishes it first), move and rename purge what
showed the page before and what shows it after (`showing.urls_showing`), here and at the CDN
(`purge.purge`). Privacy, sites and settings show on every page: a change purges everything.
Every handler is connected with a sender, once per page model, as Wagtail's frontend cache does.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    pre_page_move,
)

from .purge import purge
from .showing import union, urls_showing
from .site_settings import ChromeCachedSetting

# Kept on the page object between pre_save and page_published (Wagtail sends both for the same
# object): what showed the live version that the publish replaces.
SHOWN_BEFORE = "_delivery_shown_before_publish"
# Kept on the deletion (Django's `origin`) and on each page it deletes (Wagtail's `.specific`
# copies it to the page its unpublish signal names): every page was purged already.
PURGED_WITH_SUBTREE = "_delivery_purged_with_subtree"


def remember_what_showed_the_live_version(sender, instance, raw=False, update_fields=None, **kw):
    # Publishing saves the whole row with a new live revision; draft saves name their fields.
    if raw or update_fields is not None or instance.pk is None:
        return
    stored = Page.objects.filter(pk=instance.pk, live=True).first()
    if stored is not None and stored.live_revision_id != instance.live_revision_id:
        instance.__dict__[SHOWN_BEFORE] = urls_showing(stored)


def purge_everything_once_for_a_deleted_subtree(sender, instance, origin=None, **kwargs):
    """Deleting a page with pages below it (a topic and its articles) purges every page, once:
    the pages below do not each work out what showed them, which would cost the square of
    their number. Deleting a page alone goes through its unpublish signal as usual."""
    if origin is None:
        return
    if instance.numchild and not getattr(origin, PURGED_WITH_SUBTREE, False):
        purge(None)
        setattr(origin, PURGED_WITH_SUBTREE, True)
    if getattr(origin, PURGED_WITH_SUBTREE, False):
        instance.__dict__[PURGED_WITH_SUBTREE] = True


def purge_what_shows_it(sender, instance, **kwargs):
    """Published or unpublished: what showed the live version and what shows it now."""
    if instance.__dict__.pop(PURGED_WITH_SUBTREE, False):
        return
    before = instance.__dict__.pop(SHOWN_BEFORE, [])
    purge(union(before, urls_showing(instance)))


def purge_old_urls(sender, instance, instance_before, **kwargs):
    # Every page below moved to a new URL: their old URLs must go too.
    purge(None if instance.numchild else urls_showing(instance_before))


def purge_what_showed_it_before_the_move(sender, instance, **kwargs):
    # Purged now and at commit: what shows it after the move is purged once it has moved.
    purge(None if instance.numchild else urls_showing(instance))


def purge_what_shows_it_after_the_move(sender, instance, **kwargs):
    purge(None if instance.numchild else urls_showing(instance))


def purge_everything(sender, **kwargs):
    purge(None)


def purge_everything_for_a_changed_setting(sender, created=False, **kwargs):
    # A settings row made on first use (mid-render, with its defaults) has not been shown yet.
    if not created:
        purge(None)


def setting_models():
    return [model for model in apps.get_models() if issubclass(model, ChromeCachedSetting)]


def connect():
    for model in get_page_models():
        uid = model._meta.label_lower
        if model is not Page:  # publishing always saves the page in its specific form
            pre_save.connect(
                remember_what_showed_the_live_version, sender=model, dispatch_uid=f"remember-{uid}"
            )
        page_published.connect(purge_what_shows_it, sender=model, dispatch_uid=f"purge-{uid}")
        page_unpublished.connect(purge_what_shows_it, sender=model, dispatch_uid=f"purge-{uid}")
        page_slug_changed.connect(purge_old_urls, sender=model, dispatch_uid=f"purge-{uid}")
        pre_page_move.connect(
            purge_what_showed_it_before_the_move, sender=model, dispatch_uid=f"purge-{uid}"
        )
        post_page_move.connect(
            purge_what_shows_it_after_the_move, sender=model, dispatch_uid=f"purge-{uid}"
        )
    # Deleting collects every page of the subtree as a base Page first.
    pre_delete.connect(
        purge_everything_once_for_a_deleted_subtree, sender=Page, dispatch_uid="purge-subtree"
    )
    # Privacy changes what every listing may show; sites and settings show on every page.
    for model in [PageViewRestriction, Site]:
        uid = model._meta.label_lower
        post_save.connect(purge_everything, sender=model, dispatch_uid=f"purge-{uid}")
        post_delete.connect(purge_everything, sender=model, dispatch_uid=f"purge-{uid}")
    for model in setting_models():
        post_save.connect(
            purge_everything_for_a_changed_setting,
            sender=model,
            dispatch_uid=f"purge-{model._meta.label_lower}",
        )
