from wagtail.search import index
from wagtail.signals import page_published

from .models import ArticlePage


def index_article_with_its_tags(sender, instance, **kwargs):
    """Saving indexes the page before modelcluster writes its tags: index it again with them,
    so the search its tag links lead to finds it."""
    index.insert_or_update_object(instance)


def connect():
    page_published.connect(
        index_article_with_its_tags, sender=ArticlePage, dispatch_uid="index-article-tags"
    )
