"""Browser tests: Playwright driving Debian's chromium against the site as it is deployed.

The site runs the way `make serve` runs it (gunicorn, production settings, WhiteNoise) in its own
process, on its own database built with migrate and load_demo_content, so the browser sees
exactly what a visitor would, and no test's transaction can hide or undo anything.

`make test` runs these tests when a chromium is present and says clearly when it skips them; CI
sets REQUIRE_BROWSER_TESTS=1 (after installing chromium), which turns a missing browser into a
failure.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path():
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not executable:
        message = "no chromium on this machine: browser tests skipped (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message.replace("skipped", "required by REQUIRE_BROWSER_TESTS"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_database_url(work_dir):
    """A database of the browser tests' own, of the same kind as the suite's."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{work_dir / 'browser.sqlite3'}"
    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_browser_tests"
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname=config["NAME"],
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def site_url(browser, tmp_path_factory):
    """The demo site under gunicorn with production settings, at a free port on 127.0.0.1."""
    work_dir = tmp_path_factory.mktemp("browser-site")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "consultancy_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(work_dir),
        "DATABASE_URL": browser_database_url(work_dir),
        # No mail server here: the form must still thank the visitor (the failure is logged).
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "9",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for command in (
        ["migrate", "--no-input"],
        ["load_demo_content"],
        ["collectstatic", "--no-input"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True
        )
    port = free_port()
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "consultancy_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work_dir / "gunicorn.log", "w"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the site did not start: {(work_dir / 'gunicorn.log').read_text()}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def artifacts():
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
