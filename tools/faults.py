"""Fault drills against the real PostgreSQL and Redis on 127.0.0.1 (run by CI after the tests).

    python tools/faults.py        (needs root to stop and start the local PostgreSQL and Redis)

1. PostgreSQL stopped while the site serves: a branded 503 within seconds, /healthz/ says so,
   and the site recovers by itself when the database is back.
2. Redis stopped, then hung: pages are still served (uncached), a signed-in editor stays signed
   in, and no request waits more than a couple of seconds.
3. A worker killed mid-request while an editor publishes: later requests succeed and the page
   tree and its revisions check out.
4. Load: 64 concurrent connections for 30 s on a topic page and on an article: no 5xx, no socket errors.
Prints what it saw; exits non-zero on the first broken promise.
"""

import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import server  # noqa: E402 (the same production-site helpers the tests use)

PG_CLUSTER = ["pg_ctlcluster", "--skip-systemctl-redirect"]
TOPIC = "/writing/data-engineering/"
ARTICLE = "/writing/data-engineering/sql-for-data-scientists/"
SETUP = """
from django.contrib.auth.models import Group, User
user = User.objects.create_user("drill-editor", "drill@example.com", sys.argv[1])
user.groups.add(Group.objects.get(name="Editors"))
"""
TREE_CHECK = """
import json
from wagtail.models import Page, Revision
revision_ids = set(Revision.objects.values_list("pk", flat=True))
print(json.dumps({
    "tree_problems": [len(group) for group in Page.find_problems()],
    "revisions_ok": all(
        pk is None or pk in revision_ids
        for pk in Page.objects.values_list("latest_revision_id", flat=True)
    ),
}))
"""


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        raise SystemExit(1)


def fetch(url, opener=None, timeout=10):
    started = time.monotonic()
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=timeout) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started


def postgres(action):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run([*PG_CLUSTER, version, "main", action], check=False, capture_output=True)
    if action == "start":
        for _ in range(30):
            if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0:
                return
            time.sleep(1)


def redis_cli(*args):
    return subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", *args], check=False, capture_output=True, text=True
    )


def signed_in(site, password):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    _status, body, _took = fetch(site + "/admin/login/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]
    data = urllib.parse.urlencode(
        {"username": "drill-editor", "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(site + "/admin/login/", data=data), timeout=10)
    return opener


def main():

    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    work = Path(tempfile.mkdtemp(prefix="faults-"))
    env = server.site_environment(
        work,
        server.fresh_database_url(work, "fault_drills"),
        REDIS_URL="redis://127.0.0.1:6379/0",
        CACHE_KEY_PREFIX=f"faults-{time.time_ns()}",
        PAGE_CACHE_SECONDS="0",  # every request reaches the database: that is what is drilled
    )
    server.build_site(env)
    password = secrets.token_urlsafe(16)
    server.run_django(env, SETUP, password)
    site = server.Server(env, workers=2)
    try:
        # 1. PostgreSQL away and back.
        postgres("stop")
        try:
            status, body, took = fetch(site.url + ARTICLE)
            check(
                status == 503 and "Back in a moment" in body and took < 5,
                f"database stopped: {status} branded page in {took:.1f} s",
            )
            status, body, _took = fetch(site.url + "/healthz/")
            check(status == 503 and json.loads(body)["database"] != "ok", f"/healthz/ says {body}")
        finally:
            postgres("start")
        status, _body, _took = fetch(site.url + ARTICLE)
        check(status == 200, "database back: the site recovered by itself")

        # 2. Redis stopped, then hung.
        editor = signed_in(site.url, password)
        redis_cli("shutdown", "nosave")
        try:
            for path in (TOPIC, ARTICLE, "/"):
                status, _body, took = fetch(site.url + path)
                check(status == 200 and took < 3, f"Redis stopped: {path} {status} in {took:.2f} s")
            status, body, _took = fetch(site.url + "/admin/", editor)
            check(
                status == 200 and "Dashboard" in body,
                "Redis stopped: the editor is still signed in",
            )
        finally:
            subprocess.run(
                ["redis-server", "--daemonize", "yes", "--port", "6379", "--save", ""], check=False
            )
            time.sleep(1)
        time.sleep(6)  # let the circuit breaker close
        hang = subprocess.Popen(["redis-cli", "-h", "127.0.0.1", "debug", "sleep", "4"])
        time.sleep(0.2)
        for path in (TOPIC, ARTICLE):
            status, _body, took = fetch(site.url + path)
            check(status == 200 and took < 3, f"Redis hung: {path} {status} in {took:.2f} s")
        hang.wait()

        # 3. A worker killed while publishing.
        workers = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(site.process.pid)], capture_output=True, text=True
        ).stdout.split()
        publisher = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, django; django.setup(); from topics.models import ArticlePage\n"
                "for page in ArticlePage.objects.all()[:5]:\n"
                "    page.save_revision().publish()",
            ],
            cwd=ROOT,
            env=env,
        )
        os.kill(int(workers[0]), signal.SIGKILL)
        publisher.wait()
        statuses = [fetch(site.url + TOPIC)[0] for _ in range(10)]
        check(
            statuses == [200] * 10, f"worker killed: the next requests all succeed {set(statuses)}"
        )
        tree = json.loads(server.run_django(env, TREE_CHECK).splitlines()[-1])
        check(
            not any(tree["tree_problems"]) and tree["revisions_ok"],
            f"page tree and revisions: {tree}",
        )

        # 4. Load.
        for path in (TOPIC, ARTICLE):
            output = subprocess.run(
                ["wrk", "-t2", "-c64", "-d30s", "--timeout", "10s", site.url + path],
                capture_output=True,
                text=True,
            ).stdout
            non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            socket_errors = re.search(r"Socket errors: (.*)", output)
            rps = re.search(r"Requests/sec:\s+([\d.]+)", output)[1]
            check(
                not non_2xx and not socket_errors,
                f"64 connections for 30 s on {path}: {rps} req/s, no 5xx, no socket errors",
            )
    finally:
        site.stop()


if __name__ == "__main__":
    main()
