"""Two app servers on one PostgreSQL and one Redis, as a site that outgrew one machine runs.

An article published through one server is on the topic the other serves at the very next
request, and a signed-in session works on both. Needs PostgreSQL (DATABASE_URL) and Redis
(REDIS_URL, default redis://127.0.0.1:6379/0): `make test` skips it, saying why, when either is
missing; CI runs it against its own and sets REQUIRE_TWO_SERVERS=1 so it can never be skipped.
"""

import html
import http.cookiejar
import os
import re
import secrets
import time
import urllib.parse
import urllib.request

import pytest
import redis

from tests import server

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
SETUP = """
from django.contrib.auth.models import Group, User
from topics.models import ArticlePage, TopicIndexPage
editor = User.objects.create_user("editor", "editor@example.com", sys.argv[1])
editor.groups.add(Group.objects.get(name="Editors"))
topic = TopicIndexPage.objects.get(slug="data-engineering")
draft = ArticlePage(title="Published through server A", slug="through-server-a",
    summary="Seen on server B at once.", body=[{"type": "paragraph", "value": "<p>Hi.</p>"}],
    live=False)
topic.add_child(instance=draft)
draft.save_revision(user=editor)
print(draft.pk)
"""


def unavailable():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL does not name a PostgreSQL database"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:  # noqa: BLE001
        return f"no Redis at {REDIS_URL}: {error}"
    return None


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, built_site):
    if reason := unavailable():
        if os.environ.get("REQUIRE_TWO_SERVERS"):
            pytest.fail(f"two-server test required but {reason}")
        pytest.skip(f"two-server test skipped: {reason}")
    work = tmp_path_factory.mktemp("two-servers")
    env = server.site_copy(
        built_site,
        work,
        "two_servers",
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"two-servers-{time.time_ns()}",  # one secret key for both servers
    )
    password = secrets.token_urlsafe(16)
    draft_id = server.run_django(env, SETUP, password).split()[-1]
    servers = [server.Server(env), server.Server(env)]
    try:
        yield [running.url for running in servers], password, draft_id
    finally:
        for running in servers:
            running.stop()


class Browser:
    """A reader's browser: one cookie jar for the site, whichever server answers."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url):
        with self.opener.open(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode()

    def post(self, url, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(urllib.request.Request(url, data=data), timeout=20) as response:
            return response.status, response.url, response.read().decode()

    def csrf_token(self, url):
        _status, _headers, body = self.get(url)
        return html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1])


def test_published_on_one_server_is_on_the_other_at_the_next_request(two_servers):
    (server_a, server_b), password, draft_id = two_servers
    reader, editor = Browser(), Browser()
    topic = "/writing/data-engineering/"

    reader.get(server_b + topic)
    _status, headers, body = reader.get(server_b + topic)
    assert headers["X-Cache"] == "HIT"  # server B holds the topic in the shared cache
    assert "Published through server A" not in body

    token = editor.csrf_token(server_a + "/admin/login/")
    _status, landed, _body = editor.post(
        server_a + "/admin/login/",
        {
            "username": "editor",
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        },
    )
    assert urllib.parse.urlsplit(landed).path == "/admin/"
    # The same session works on the other server.
    _status, _headers, dashboard = editor.get(server_b + "/admin/")
    assert "Dashboard" in dashboard and "Sign in" not in dashboard

    publish = f"/admin/bulk/wagtailcore/page/publish/?id={draft_id}&next=/admin/"
    token = editor.csrf_token(server_a + publish)
    status, _landed, _body = editor.post(server_a + publish, {"csrfmiddlewaretoken": token})
    assert status == 200

    _status, headers, body = reader.get(server_b + topic)
    assert "Published through server A" in body
    assert headers["X-Cache"] == "MISS"

    # And back: unpublished through server B, gone from server A's topic at once.
    unpublish = f"/admin/pages/{draft_id}/unpublish/"
    token = editor.csrf_token(server_b + unpublish)
    editor.post(server_b + unpublish, {"csrfmiddlewaretoken": token})
    _status, _headers, body = reader.get(server_a + topic)
    assert "Published through server A" not in body
