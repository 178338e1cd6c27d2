import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE

PAGES = {
    "home": "/",
    "writing": "/writing/",
    "topic": "/writing/data-engineering/",
    "article": "/writing/data-engineering/sql-for-data-scientists/",
    "case-study": "/case-studies/supply-chain-forecasting/",
    "service": "/services/production-ml-data-infrastructure/",
    "book-a-call": "/book-a-call/",
    "search": "/search/?q=pipeline",
    "not-found": "/no-such-page/",
}


def test_visitor_reads_the_topic_then_books_a_call_fixing_a_mistake(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Writing").click()
    page.get_by_role("link", name="Data Engineering & Production Systems").first.click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Data Engineering & Production Systems"
    )

    page.get_by_role("link", name=re.compile(r"^Read\b.*SQL for Data Scientists")).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("SQL for Data Scientists")
    assert page.get_by_text("10 min read").first.is_visible()

    page.get_by_role("region", name="Work with me").get_by_role("link", name="Book a call").click()
    page.get_by_label("Name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace@navy")  # the mistake: no domain
    page.get_by_label("Message").fill("Our feature pipeline drifts between training and serving.")
    page.get_by_role("button", name="Send").click()

    alert = page.get_by_role("alert")
    assert "Please correct the 1 field below" in alert.inner_text()
    email = page.get_by_label("Email")
    assert email.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Name").input_value() == "Grace Hopper"  # nothing typed is lost

    email.fill("grace@example.com")
    page.get_by_role("button", name="Send").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you"


def test_keyboard_alone_reaches_every_link_on_the_topic_in_reading_order(page, site_url):
    page.goto(site_url + "/writing/data-engineering/")
    expected = page.eval_on_selector_all(
        "a[href]", "links => links.filter(a => a.getClientRects().length).map(a => a.href)"
    )
    reached = []
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.href || null")
        if href is None and reached:
            continue
        if href:
            reached.append(href)
        if len(reached) == len(expected):
            break
    # The skip link comes first; every visible link is reached, in the order it is read.
    assert reached[0].endswith("#main")
    assert reached == expected


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_key_pages_have_no_axe_violations(page, site_url, scheme):
    page.emulate_media(color_scheme=scheme)
    axe = Axe()
    for name in ["home", "topic", "article", "case-study", "book-a-call", "search"]:
        page.goto(site_url + PAGES[name])
        results = axe.run(page)
        assert results.violations_count == 0, f"{name} ({scheme}): {results.generate_report()}"


def test_every_page_is_screenshot_at_phone_and_desktop_width(browser, site_url, artifacts):
    for device, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for name, path in PAGES.items():
            response = page.goto(site_url + path)
            assert response.status == (404 if name == "not-found" else 200), path
            # Nothing overflows sideways on a phone.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
                f"{name} scrolls sideways at {device} width"
            )
            target = artifacts / "screenshots" / f"{name}-{device}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 5_000
        context.close()
