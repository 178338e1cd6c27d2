"""The benchmark's made-up site stays out of production: its command refuses to run there, and
the ceiling view is in the benchmark's URLconf only."""

import subprocess
import sys

from django.urls import get_resolver
from wagtail import views as wagtail_views

from tests import server


def test_filling_a_site_with_made_up_articles_is_refused_under_production_settings(tmp_path):
    env = server.site_environment(tmp_path, server.fresh_database_url(tmp_path, "refused"))
    refused = subprocess.run(
        [sys.executable, "manage.py", "load_bench_content", "--articles", "50"],
        cwd=server.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert "never in production" in refused.stderr


def test_the_ceiling_view_is_not_in_the_sites_urls():
    """/_util/ceiling/ is only Wagtail's catch-all page route on the site (a 404: no such page)."""
    match = get_resolver("consultancy_site.urls").resolve("/_util/ceiling/")
    assert match.func is wagtail_views.serve
