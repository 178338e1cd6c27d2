import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from faker import Faker

from case_studies.models import CaseStudyIndexPage, CaseStudyPage
from consultancy_site.models import (
    BookACallFormField,
    BookACallPage,
    HomePage,
    ServiceIndexPage,
    ServicePage,
)
from topics.models import ArticlePage, TopicIndexPage, WritingIndexPage

fake = Faker()


def paragraphs(count=2):
    return factory.LazyFunction(
        lambda: [
            {"type": "paragraph", "value": f"<p>{fake.paragraph(8)}</p>"} for _ in range(count)
        ]
    )


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "site-home"  # Wagtail's placeholder page holds "home"
    headline = factory.Faker("sentence", nb_words=5)
    intro = factory.Faker("sentence", nb_words=16)

    class Meta:
        model = HomePage


class WritingIndexPageFactory(wagtail_factories.PageFactory):
    title = "Writing"
    slug = "writing"
    lede = factory.Faker("sentence")

    class Meta:
        model = WritingIndexPage


class TopicIndexPageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=3)
    lede = factory.Faker("paragraph")
    intro = factory.LazyFunction(
        lambda: [
            {
                "type": "section",
                "value": {"heading": "Start here", "body": "<p>Read these in order.</p>"},
            }
        ]
    )

    class Meta:
        model = TopicIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=6)
    date = factory.Faker("date_between", start_date=datetime.date(2020, 1, 1), end_date="today")
    summary = factory.Faker("sentence", nb_words=20)
    body = paragraphs()

    class Meta:
        model = ArticlePage


class CaseStudyIndexPageFactory(wagtail_factories.PageFactory):
    title = "Case studies"
    slug = "case-studies"

    class Meta:
        model = CaseStudyIndexPage


class CaseStudyPageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=5)
    date = factory.Faker("date_between", start_date=datetime.date(2020, 1, 1), end_date="today")
    client = factory.Faker("company")
    sector = "Banking"
    summary = factory.Faker("sentence", nb_words=18)
    problem = factory.LazyFunction(lambda: "<p>Month-end took eight days.</p>")
    solution = factory.LazyFunction(lambda: "<p>Automated reconciliation pipelines.</p>")
    outcomes = factory.LazyFunction(
        lambda: [{"type": "metric", "value": {"value": "-60%", "label": "month-end close time"}}]
    )
    body = paragraphs(1)

    class Meta:
        model = CaseStudyPage


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Services"
    slug = "services"

    class Meta:
        model = ServiceIndexPage


class ServicePageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=4)
    summary = factory.Faker("sentence")
    body = paragraphs()

    class Meta:
        model = ServicePage


class BookACallPageFactory(wagtail_factories.PageFactory):
    title = "Book a call"
    slug = "book-a-call"
    to_address = "owner@example.com"
    from_address = "website@example.com"
    subject = "New enquiry"

    class Meta:
        model = BookACallPage


class BookACallFormFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BookACallFormField


PASSWORD = "correct-horse-battery-staple"


def make_user(username, first_name, last_name, group_name, *, email=None, **extra):
    """A signed-up member of a group (Authors or Editors), with an email for notifications."""
    user = get_user_model().objects.create_user(
        username=username,
        email=email or f"{username}@example.com",
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
        **extra,
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client
