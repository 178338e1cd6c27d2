"""Atom and RSS feeds of the newest articles: the whole site's, or one topic's.

A feed lists the `newest_articles()` of its page: the topic page's, or the site's home page's
for the site feed (at /feed/ and /feed/atom/)."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from wagtail.models import Site

from consultancy_site.delivery.showing import SiteListing

# The site feeds list the newest articles with their topic's title: a purge declaration.
SITE_FEEDS = SiteListing(
    "Site feeds",
    models=("topics.ArticlePage", "topics.TopicIndexPage"),
    urls=("feed_rss", "feed_atom"),
)


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
        page = topic or Site.find_for_request(self.request).root_page.specific
        return page.newest_articles(self.item_count)

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
