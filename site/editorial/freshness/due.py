"""Whether an article is still known to be right: when it was last reviewed, and which are due.

An article counts as reviewed on its publication date until someone sets `last_reviewed` to a
later day; it is due for review once that day is more than a given number of months ago.
"""

import calendar
import datetime

from django.db.models import Case, F, When
from django.utils import timezone

from topics.models import ArticlePage

DEFAULT_MONTHS = 12
MAX_MONTHS = 120


def months_before(day, months):
    """The same day `months` calendar months earlier (31 March minus one month: 28/29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# The later of the publication date and the last review, in SQL (NULL > date is not true).
REVIEWED_ON = Case(When(last_reviewed__gt=F("date"), then=F("last_reviewed")), default=F("date"))


def due_for_review(months=DEFAULT_MONTHS, today=None):
    """Live articles not reviewed (or published, if never reviewed) in the last `months` months,
    annotated with `reviewed_on`."""
    today = today or timezone.localdate()
    return (
        ArticlePage.objects.live()
        .annotate(reviewed_on=REVIEWED_ON)
        .filter(reviewed_on__lt=months_before(today, months))
    )
