"""Security headers and failure pages of the site as deployed, seen from outside.

- `manage.py check --deploy` passes with the documented production environment, and production
  settings refuse to start without a real SECRET_KEY and ALLOWED_HOSTS.
- Every public response grades A+ on an HTTP Observatory-style grader (`grade()`, after
  Mozilla's published v2 scoring, tests/observatory.py), as a browser sees it through the TLS proxy the app sits behind;
  the Wagtail admin keeps its relaxed policy to /admin/ and its grade does not slip.
- A request for a host the site does not serve gets the branded 400, and no error page (400,
  404, 500) shows a traceback, a setting or the framework's name.
- /healthz/ answers 200 with the database up.

The site runs under gunicorn with production settings and SECURE_SSL_REDIRECT on, on its own
fresh demo database (SQLite, or PostgreSQL when DATABASE_URL names one). "Through the proxy"
means the request carries `X-Forwarded-Proto: https`, as the load balancer in front sends it.
"""

import contextlib
import json
import os
import secrets
import string
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils.csp import build_policy

from tests import server
from tests.observatory import ORIGIN, at_least, grade, parse_csp, parse_set_cookie

STRONG_CSP = "default-src 'none'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
STRONG = {
    "Content-Security-Policy": STRONG_CSP,
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}
SESSION = "sessionid=abc; Path=/; Secure; HttpOnly; SameSite=Lax"


@pytest.mark.parametrize(
    ("headers", "cookies", "score", "letter"),
    [
        # -25 CSP, -20 HSTS, -5 nosniff, -20 framing
        ({}, [], 30, "D"),
        # +10 CSP none, +5 cookies, +5 referrer, +5 frame-ancestors, +10 CORP
        (STRONG, [SESSION], 135, "A+"),
        # script-src 'unsafe-inline': -20, and 80 < 90 withholds every bonus
        (
            {
                **STRONG,
                "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            },
            [SESSION],
            80,
            "B+",
        ),
        # a session cookie without HttpOnly (-30) is worse than one without Secure under HSTS
        (STRONG, ["sessionid=abc; Path=/; SameSite=Lax"], 70, "B"),
        # short HSTS -10, 'unsafe-eval' -10: 80
        (
            {
                **STRONG,
                "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-eval'; frame-ancestors 'none'",
                "Strict-Transport-Security": "max-age=86400",
            },
            [],
            80,
            "B+",
        ),
    ],
    ids=["nothing", "everything", "unsafe-inline", "session-not-httponly", "eval-and-short-hsts"],
)
def test_grader_matches_hand_worked_cases(headers, cookies, score, letter):
    assert grade(headers, cookies)[:2] == (score, letter)


# -------------------------------------------------------------------------------------------------
# Production settings
# -------------------------------------------------------------------------------------------------


def random_key(length=50):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def production_env(tmp_path, **values):
    """The README's production environment; a value of None leaves that variable out."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    for name in ("SECURE_SSL_REDIRECT", "CSRF_TRUSTED_ORIGINS"):
        env.pop(name, None)  # the documented defaults: redirect on
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    wanted = {
        "DJANGO_SETTINGS_MODULE": "consultancy_site.settings.production",
        "SECRET_KEY": random_key(),
        "ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp_path / "var"),
        **values,
    }
    for name, value in wanted.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def python(env, *args):
    return subprocess.run(
        [sys.executable, *args],
        cwd=server.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_the_documented_environment(tmp_path):
    result = python(
        production_env(tmp_path), "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "values",
    [
        {"SECRET_KEY": None},
        {"SECRET_KEY": ""},
        {"SECRET_KEY": random_key(20)},
        {"SECRET_KEY": "dev-" + random_key(46)},
        {"SECRET_KEY": "test-" + random_key(45)},
        {"ALLOWED_HOSTS": None},
        {"ALLOWED_HOSTS": " , "},
    ],
    ids=["no-key", "empty-key", "short-key", "dev-key", "test-key", "no-hosts", "blank-hosts"],
)
def test_production_settings_refuse_to_start(tmp_path, values):
    result = python(production_env(tmp_path, **values), "-c", "import django; django.setup()")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "key",
    [random_key(32), "django-insecure-" + random_key(50)],
    ids=["32-characters", "django-insecure-prefix"],
)
def test_production_refuses_every_key_the_deploy_check_rejects(tmp_path, key):
    """Keys Django's deploy check rejects (security.W009: under 50 characters, under 5 distinct,
    a 'django-insecure-' prefix) are refused by production settings before anything starts."""
    env = production_env(tmp_path, SECRET_KEY=key)
    check = python(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert check.returncode != 0 and "SECRET_KEY must be set" in check.stderr
    started = python(env, "-c", "import django; django.setup()")
    assert started.returncode != 0 and "ImproperlyConfigured" in started.stderr, (
        "production settings start with a SECRET_KEY that `check --deploy` rejects (W009)"
    )


# -------------------------------------------------------------------------------------------------
# The site behind its TLS proxy
# -------------------------------------------------------------------------------------------------

DOCUMENTS = """
import json, os
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection
root = Collection.get_first_root_node()
document = Document(title="Security headers check", collection=root)
document.file.save("headers-check.txt", ContentFile(b"Plain text to download."), save=True)
# A document whose file cannot be read (a directory where the file should be): a 500.
os.makedirs(os.path.join(settings.MEDIA_ROOT, "documents", "unreadable.txt"), exist_ok=True)
broken = Document(title="Unreadable", collection=root)
broken.file.name = "documents/unreadable.txt"
broken.save()
print(json.dumps({"download": document.url, "broken": broken.url}))
"""


@contextlib.contextmanager
def probes_through_the_proxy():
    """tests.server.Server waits for /healthz/ over plain HTTP, which with SECURE_SSL_REDIRECT on
    answers 301 to https:// (test_healthz_answers_a_plain_http_probe): its probe goes through
    the proxy too, while the server starts."""
    opener = urllib.request.build_opener()
    opener.addheaders.append(("X-Forwarded-Proto", "https"))
    previous = urllib.request._opener
    urllib.request.install_opener(opener)
    try:
        yield
    finally:
        urllib.request.install_opener(previous)


@pytest.fixture(scope="module")
def tls_site(tmp_path_factory, built_site):
    """The demo site under gunicorn, production settings, SECURE_SSL_REDIRECT on."""
    work_dir = tmp_path_factory.mktemp("security-headers")
    env = server.site_copy(built_site, work_dir, "headers", SECURE_SSL_REDIRECT="true")
    documents = json.loads(server.run_django(env, DOCUMENTS).splitlines()[-1])
    with probes_through_the_proxy():
        running = server.Server(env)
    running.env = env
    running.documents = documents
    yield running
    running.stop()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass
class Reply:
    status: int
    headers: object  # http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def cookies(self):
        return self.headers.get_all("Set-Cookie") or []

    def grade(self):
        html = self.text if "html" in self.headers.get("Content-Type", "") else None
        return grade(self.headers, self.cookies, html)


def fetch(site, path, *, proxied=True, host=None, origin=None):
    """GET as a browser through the TLS proxy (X-Forwarded-Proto: https); no redirects followed."""
    headers = {"X-Forwarded-Proto": "https"} if proxied else {}
    if host:
        headers["Host"] = host
    if origin:
        headers["Origin"] = origin
    request = urllib.request.Request(site.url + path, headers=headers)
    try:
        with OPENER.open(request, timeout=20) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())


def graded(site, path):
    reply = fetch(site, path, origin=ORIGIN)
    score, letter, notes = reply.grade()
    report = f"{path} -> {reply.status}: {score} {letter}\n" + "\n".join(notes)
    print(report)  # noqa: T201 (the grades this test measured)
    return reply, score, letter, report


def directives(header):
    return parse_csp(header)


PUBLIC_CSP = directives(build_policy(settings.SECURE_CSP))
ADMIN_CSP = directives(build_policy(settings.ADMIN_CSP))
TOPIC = "/writing/data-engineering/"
ARTICLE = "/writing/data-engineering/sql-for-data-scientists/"


@pytest.mark.parametrize("path", ["/", TOPIC, ARTICLE], ids=["home", "topic", "article"])
def test_public_pages_grade_a_plus_fresh_and_from_the_page_cache(tls_site, path):
    for _attempt in ("first", "cached"):
        reply, score, letter, report = graded(tls_site, path)
        assert reply.status == 200, report
        assert letter == "A+", report
        assert directives(reply.headers["Content-Security-Policy"]) == PUBLIC_CSP
        assert "unsafe-inline" not in reply.headers["Content-Security-Policy"]
        assert not reply.cookies, f"a public page sets cookies: {reply.cookies}"
    assert reply.headers.get("X-Cache") == "HIT", "the second response was not from the cache"


def test_not_found_page_grades_a_plus(tls_site):
    reply, score, letter, report = graded(tls_site, "/writing/no-such-article/")
    assert reply.status == 404, report
    assert letter == "A+", report
    assert directives(reply.headers["Content-Security-Policy"]) == PUBLIC_CSP


def test_document_download_is_an_attachment_locked_down_and_grades_a_plus(tls_site):
    reply, score, letter, report = graded(tls_site, tls_site.documents["download"])
    assert reply.status == 200, report
    assert reply.body == b"Plain text to download."
    assert reply.headers["Content-Disposition"].startswith("attachment"), report
    assert reply.headers.get_all("Content-Security-Policy") == ["default-src 'none'"], report
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert letter == "A+", report


ADMIN_FLOOR = (80, "B+")  # measured: see the docstring below


def test_admin_sign_in_keeps_its_relaxed_policy_to_itself_and_its_grade(tls_site):
    """The admin's sign-in page grades B+ (80) today, and must not fall below that.

    What keeps it below A+: ADMIN_CSP allows 'unsafe-inline' in script-src (the Wagtail admin
    still needs inline script), csp-implemented-with-unsafe-inline, -20. That leaves 80 before
    bonuses, and bonuses only count from 90, so its +5 Referrer-Policy, +5 frame-ancestors and
    +5 SameSite cookies (csrftoken: Secure, SameSite=Lax) are withheld: 80, B+. Without
    'unsafe-inline' in script-src (nonces, or 'unsafe-inline' in style-src only) it would be 115.
    """
    reply, score, letter, report = graded(tls_site, "/admin/login/")
    assert reply.status == 200, report
    assert score >= ADMIN_FLOOR[0] and at_least(letter, ADMIN_FLOOR[1]), report
    assert directives(reply.headers["Content-Security-Policy"]) == ADMIN_CSP
    # The only penalty is the admin's script-src; every other header is as strict as the site's.
    penalties = [note for note in report.splitlines() if note.lstrip().startswith("-")]
    assert len(penalties) == 1 and "csp-implemented-with-unsafe-inline" in penalties[0], report
    for cookie in reply.cookies:
        _name, attributes = parse_set_cookie(cookie)
        assert "secure" in attributes and attributes.get("samesite", "").lower() == "lax"
    # The relaxation stays under /admin/: nothing else allows inline script.
    assert "'unsafe-inline'" in ADMIN_CSP["script-src"]
    assert "'unsafe-inline'" not in PUBLIC_CSP["script-src"] | PUBLIC_CSP["style-src"]


def test_plain_http_is_redirected_to_https(tls_site):
    reply = fetch(tls_site, ARTICLE, proxied=False)
    assert reply.status == 301
    assert reply.headers["Location"] == f"https://127.0.0.1:{tls_site.port}{ARTICLE}"


# -------------------------------------------------------------------------------------------------
# Hosts the site does not serve, and error pages
# -------------------------------------------------------------------------------------------------

LEAKS = [
    "Traceback",
    'File "',
    "site-packages",
    "Django",
    "django",
    "DisallowedHost",
    "Invalid HTTP_HOST",
    "ALLOWED_HOSTS",
    "SECRET_KEY",
    "DEBUG",
    "DATABASE",
    "SECURE_",
    "settings",
    "Error:",
    "Errno",
]


def assert_branded_error(reply, status, heading):
    assert reply.status == status, reply.text[:500]
    assert f"<h1>{heading}</h1>" in reply.text, reply.text[:500]
    assert 'href="/"' in reply.text  # a way back home
    leaked = [marker for marker in LEAKS if marker in reply.text]
    assert not leaked, f"{status} page shows {leaked}"


@pytest.mark.parametrize("proxied", [True, False], ids=["through-proxy", "plain-http"])
@pytest.mark.parametrize("path", ["/no-such-page/", "/healthz/", "/admin/login/"])
def test_unknown_host_gets_the_branded_400(tls_site, path, proxied):
    reply = fetch(tls_site, path, proxied=proxied, host="attacker.example")
    assert_branded_error(reply, 400, "Bad request")


@pytest.mark.parametrize("path", ["/", TOPIC], ids=["home", "topic"])
def test_unknown_host_gets_400_for_a_cached_page_too(tls_site, path):
    """Host validation must not depend on whether the page happens to be in the page cache."""
    assert fetch(tls_site, path).status == 200
    assert fetch(tls_site, path).headers.get("X-Cache") == "HIT"
    reply = fetch(tls_site, path, host="attacker.example")
    assert_branded_error(reply, 400, "Bad request")


def test_error_pages_show_no_traceback(tls_site):
    assert_branded_error(fetch(tls_site, "/writing/no-such-article/"), 404, "Page not found")
    assert_branded_error(fetch(tls_site, tls_site.documents["broken"]), 500, "Something went wrong")
    unknown_host = fetch(tls_site, "/no-such-page/", host="attacker.example:80")
    assert_branded_error(unknown_host, 400, "Bad request")


def test_error_pages_carry_the_public_policy(tls_site):
    for path, host in [
        ("/writing/no-such-article/", None),
        (tls_site.documents["broken"], None),
        ("/no-such-page/", "attacker.example"),
    ]:
        reply = fetch(tls_site, path, host=host)
        assert reply.status >= 400
        assert directives(reply.headers["Content-Security-Policy"]) == PUBLIC_CSP, path


# -------------------------------------------------------------------------------------------------
# Health check
# -------------------------------------------------------------------------------------------------


def test_healthz_reports_the_database_up(tls_site):
    reply = fetch(tls_site, "/healthz/")
    assert reply.status == 200, reply.text
    body = json.loads(reply.body)
    assert body["status"] == "ok" and body["database"] == "ok", body
    assert reply.headers["Cache-Control"] == "no-store"


def test_healthz_answers_a_plain_http_probe(tls_site):
    """Load balancers probe the app itself over plain HTTP, without X-Forwarded-Proto: the
    health check must answer them, not redirect them to https:// (where nothing listens)."""
    reply = fetch(tls_site, "/healthz/", proxied=False)
    assert reply.status == 200, f"{reply.status} Location: {reply.headers.get('Location')}"
    assert json.loads(reply.body)["database"] == "ok"
