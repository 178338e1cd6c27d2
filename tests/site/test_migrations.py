"""A database migrated on the layout before features had apps of their own migrates forward
without losing a row: review links, their views and social cards move to their apps.

Run on a copy of the demo site's database (SQLite, or PostgreSQL when the suite runs on it),
migrated back to where every app stood then, filled, and migrated forward as a deploy would."""

import json

from tests import server

# Where every app stood before review links and social cards moved to apps of their own.
BEFORE = [
    ("consultancy_site", "0005_move_book_a_call_submissions"),
    ("topics", "0003_editorial_tools"),
    ("case_studies", "0002_case_study_topics"),
]

FILL = """
import datetime
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

executor = MigrationExecutor(connection)
executor.migrate(BEFORE)
old = executor.loader.project_state(BEFORE).apps
page = old.get_model("wagtailcore", "Page").objects.get(depth=1)
link_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
    app_label="consultancy_site", model="reviewlink"
)[0]
permission = old.get_model("auth", "Permission").objects.get_or_create(
    content_type=link_type, codename="view_reviewlink", defaults={"name": "Can view review link"}
)[0]
link = old.get_model("consultancy_site", "ReviewLink").objects.create(
    page=page, token_hash="a" * 64, reviewer="Jane at Acme",
    expires_at=timezone.now() + datetime.timedelta(days=7),
)
old.get_model("consultancy_site", "ReviewLinkView").objects.create(link=link, user_agent="UA")
old.get_model("consultancy_site", "SocialCard").objects.create(
    page=page, image="social-cards/1-abc.png", width=1200, height=630, fingerprint="f" * 64
)
print(json.dumps({"page": page.pk, "link": link.pk, "type": link_type.pk}))
"""

READ = """
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from consultancy_site.editorial.review_links.models import ReviewLink, ReviewLinkView
from consultancy_site.seo.models import SocialCard

link = ReviewLink.objects.get(token_hash="a" * 64)
card = SocialCard.objects.get(page__depth=1)
print(json.dumps({
    "link": [link.pk, link.page_id, link.reviewer],
    "view": ReviewLinkView.objects.get(link=link).user_agent,
    "card": [card.page_id, card.image.name, card.width, card.height],
    "type": ContentType.objects.get_for_model(ReviewLink).pk,
    "permission_type": Permission.objects.get(codename="view_reviewlink").content_type_id,
    "tables": sorted(connection.introspection.table_names()),
}))
"""


def test_review_links_and_social_cards_survive_the_move_to_their_apps(tmp_path, built_site):
    env = server.site_copy(built_site, tmp_path, "migrated")
    before = json.loads(server.run_django(env, f"import json\nBEFORE = {BEFORE!r}\n" + FILL))

    server.manage(env, "migrate", "--no-input", "-v0")

    after = json.loads(server.run_django(env, "import json\n" + READ))
    assert after["link"] == [before["link"], before["page"], "Jane at Acme"]
    assert after["view"] == "UA"
    assert after["card"] == [before["page"], "social-cards/1-abc.png", 1200, 630]
    # The content type moved with its rows: permissions granted on it still apply.
    assert after["type"] == after["permission_type"] == before["type"]
    tables = set(after["tables"])
    assert {"review_links_reviewlink", "review_links_reviewlinkview", "seo_socialcard"} <= tables
    assert not {table for table in tables if table.startswith("consultancy_site_reviewlink")}
    assert "consultancy_site_socialcard" not in tables
