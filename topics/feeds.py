"""Atom and RSS feeds of the newest articles: the whole site, or one topic hub."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from wagtail.models import Site

from consultancy_site.listing import listed

from .models import ArticlePage, attach_topics


class ArticleRssFeed(Feed):
    item_count = 30  # a feed is the newest work, never the whole archive

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, topic=None):
        return topic

    def site_name(self):
        site = Site.find_for_request(self.request)
        return site.site_name if site else ""

    def title(self, topic):
        return f"{topic.title} · {self.site_name()}" if topic else self.site_name()

    def link(self, topic):
        return topic.url if topic else "/"

    def description(self, topic):
        return (
            topic.lede if topic else "Writing on production machine learning and data engineering."
        )

    def items(self, topic):
        articles = topic.articles() if topic else listed(ArticlePage.objects.all())
        return attach_topics(
            articles.order_by("-date", "-first_published_at", "-pk").defer_streamfields()[
                : self.item_count
            ]
        )

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # RSS descriptions and Atom summaries are read as HTML: the plain summary is escaped.
        return escape(article.summary)

    def item_link(self, article):
        return article.url

    def item_pubdate(self, article):
        return timezone.make_aware(datetime.datetime.combine(article.date, datetime.time(9)))

    def item_updateddate(self, article):
        return article.last_published_at

    def item_categories(self, article):
        return [article.topic.title] if article.topic else []


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, topic):
        return self.description(topic)
