"""Browser tests: Playwright driving Debian's chromium against the site as it is deployed.

The site runs the way `make serve` runs it (tests/server.py), so the browser sees exactly what
a visitor would, and no test's transaction can hide or undo anything.

`make test` runs these tests when a chromium is present and says clearly when it skips them; CI
sets REQUIRE_BROWSER_TESTS=1 (after installing chromium), which turns a missing browser into a
failure.
"""

import os
import shutil
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

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


def pytest_collection_modifyitems(items):
    """Browser tests run together on one xdist worker (`--dist loadgroup`): Playwright's sync API
    keeps an event loop running while its browser is open, and Django refuses database calls
    from tests that run beside it."""
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.xdist_group("browser"))


# Module-scoped: the browser (and Playwright's event loop) is gone before other tests run.
@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if not executable:
        message = "no chromium on this machine: browser tests skipped (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message.replace("skipped", "required by REQUIRE_BROWSER_TESTS"))
        pytest.skip(message)

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


@pytest.fixture(scope="module")
def site_url(browser, production_server):
    return production_server.url


@pytest.fixture(scope="session")
def artifacts():
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
