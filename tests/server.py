"""The site as it is deployed, for tests that must see it from outside: gunicorn with
production settings and WhiteNoise, on its own database built by migrate and the demo loader."""

import contextlib
import fcntl
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Each xdist worker makes PostgreSQL databases of its own (pytest-django does the same).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def is_postgres(url):
    return url.startswith(("postgres://", "postgresql://"))


@contextlib.contextmanager
def maintenance_connection(url):
    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",  # the maintenance database: the suite's own may not exist yet
        autocommit=True,
    ) as connection:
        yield connection


def fresh_database_url(work_dir, suffix, *, template=None, shared=False):
    """A database of the same kind as the suite's (an SQLite file, or PostgreSQL): empty, or a
    copy of `template` (a URL this function made). `shared`: one name for every xdist worker."""
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(url):
        path = work_dir / f"{suffix}.sqlite3"
        if template:
            with sqlite3.connect(template.removeprefix("sqlite:///")) as source:
                with sqlite3.connect(path) as copy:
                    source.backup(copy)
        return f"sqlite:///{path}"
    base = dj_database_url.parse(url)["NAME"]
    name = f"{base}_{suffix}" if shared else f"{base}_{suffix}_{WORKER}"
    copy_of = f' TEMPLATE "{dj_database_url.parse(template)["NAME"]}"' if template else ""
    with maintenance_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"{copy_of}')
    return url.rsplit("/", 1)[0] + f"/{name}"


@contextlib.contextmanager
def exclusive(lock_file):
    """One process at a time, whichever xdist worker it is."""
    with open(lock_file, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def built_site(shared_dir):
    """The demo site built once per test run (migrated, the demo loaded, static files collected),
    by whichever xdist worker asks first: the template `site_copy` copies. Returns its folder."""
    template = shared_dir / "built-site"
    with exclusive(shared_dir / "built-site.lock"):
        if not (template / "database-url").exists():
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir()
            env = site_environment(template, fresh_database_url(template, "built", shared=True))
            build_site(env)
            (template / "database-url").write_text(env["DATABASE_URL"])
    return template


def site_copy(template, work_dir, suffix, **extra):
    """A site of its own, copied from a built one: its database, uploads and static files."""
    with exclusive(template.parent / "built-site.lock"):  # PostgreSQL copies one at a time
        url = fresh_database_url(work_dir, suffix, template=(template / "database-url").read_text())
    for folder in ("media", "static"):
        if (template / folder).exists():
            shutil.copytree(template / folder, work_dir / folder, dirs_exist_ok=True)
    return site_environment(work_dir, url, **extra)


def site_environment(work_dir, database_url, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "consultancy_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(work_dir),
        "DATABASE_URL": database_url,
        # Sites of one test run may share a Redis (REDIS_URL): each keeps to keys of its own,
        # or one site's cached pages would be served by another.
        "CACHE_KEY_PREFIX": f"test-site-{secrets.token_hex(6)}",
        # No mail server here: forms must still thank the visitor (the failure is logged).
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "9",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def build_site(env):
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_demo_content", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")


def run_django(env, script, *args):
    """Run a script inside the site's Django and return what it printed."""
    runner = "import sys, django; django.setup(); sys.argv = sys.argv[1:]; exec(sys.argv[0])"
    result = subprocess.run(
        [sys.executable, "-c", runner, script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"script failed:\n{result.stderr[-3000:]}")
    return result.stdout


class Server:
    """gunicorn serving the site at a free port on 127.0.0.1 until stop()."""

    def __init__(self, env, workers=2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(env["VAR_DIR"]) / f"gunicorn-{self.port}.log"
        self.process = subprocess.Popen(
            [
                BIN / "gunicorn",
                "consultancy_site.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url + "/healthz/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the site did not start: {self.log.read_text()}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
