"""Review links: an editor shares a page's latest draft with someone who has no account.

Driven through the admin and the public URL the way people use them: an editor makes a link
(shown once), a client opens it and reads the draft under a banner, the editor sees the visit,
and the link stops working (410, saying why) when revoked, expired, or the page is published.
"""

import hashlib
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from consultancy_site.delivery.middleware import PageCacheMiddleware
from consultancy_site.delivery.page_cache import page_key
from consultancy_site.editorial.review_links.models import ReviewLink, ReviewLinkView
from tests.factories import ArticlePageFactory, logged_in
from tests.html import visible_text
from tests.observatory import grade
from topics.models import ArticlePage

pytestmark = pytest.mark.django_db

LIVE_TEXT = "The live wording, kestrel."
DRAFT_TEXT = "The second draft, heron."
TITLE = "Choosing a warehouse"
REVIEWER = "Jane at Acme (client)"
URL_IN_PAGE = re.compile(r'id="review-link-url"[^>]*value="([^"]+)"')


def paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture
def article(site_tree, editor):
    """A live article with an unpublished second draft."""
    page = ArticlePageFactory(
        parent=site_tree.topic, title=TITLE, slug="choosing-a-warehouse", body=paragraph(LIVE_TEXT)
    )
    page = ArticlePage.objects.get(pk=page.pk)
    page.save_revision(user=editor).publish(user=editor)
    page = ArticlePage.objects.get(pk=page.pk)
    page.body = paragraph(DRAFT_TEXT)
    page.save_revision(user=editor)
    return ArticlePage.objects.get(pk=page.pk)


def screen_url(page):
    return reverse("review_links:index", args=[page.pk])


def revoke_url(link):
    return reverse("review_links:revoke", args=[link.page_id, link.pk])


def make_link(client, page, reviewer=REVIEWER, days="7"):
    """Make a link on the page's screen; return the response and the URL it showed."""
    response = client.post(screen_url(page), {"reviewer": reviewer, "expires_in": days})
    assert response.status_code == 200
    found = URL_IN_PAGE.search(response.content.decode())
    return response, found.group(1) if found else None


@pytest.fixture
def shared(article, editor):
    """The article's draft shared with Jane: (the link, its public URL)."""
    _response, url = make_link(logged_in(editor), article)
    return ReviewLink.objects.get(), url


def public_path(url):
    return url.removeprefix("http://testserver")


# --- Making a link ------------------------------------------------------------------------------


def test_editor_makes_a_link_shown_once_whose_token_is_kept_only_as_a_hash(article, editor):
    client = logged_in(editor)
    response, url = make_link(client, article)

    assert url and url.startswith("http://testserver/review/"), "the full URL is shown"
    text = visible_text(response.content.decode())
    assert "Copy this link now: it will not be shown again" in text
    assert 'data-action="w-clipboard#copy"' in response.content.decode()
    token = url.removeprefix("http://testserver/review/").strip("/")
    assert len(token) >= 43

    link = ReviewLink.objects.get()
    assert (link.page_id, link.reviewer, link.created_by) == (article.pk, REVIEWER, editor)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    days = (link.expires_at - link.created_at).total_seconds() / 86400
    assert days == pytest.approx(7, abs=0.01)
    # Nowhere in the database (links, audit log, sessions...): only its hash.
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    assert token not in dump.getvalue()
    assert link.token_hash in dump.getvalue()

    # Coming back to the screen lists the link but never shows its URL again.
    again = client.get(screen_url(article))
    assert again.status_code == 200
    assert token not in again.content.decode()
    assert not URL_IN_PAGE.search(again.content.decode())
    assert REVIEWER in visible_text(again.content.decode())


def test_expiry_is_chosen_in_days(article, editor):
    make_link(logged_in(editor), article, days="30")
    link = ReviewLink.objects.get()
    assert (link.expires_at - link.created_at).days == 29  # 30 days less the microseconds


def test_making_and_revoking_a_link_are_in_the_pages_history(shared, editor, article):
    link, _url = shared
    client = logged_in(editor)
    client.post(revoke_url(link))

    actions = list(
        PageLogEntry.objects.filter(page=article)
        .filter(action__startswith="consultancy_site.review_link")
        .values_list("action", "user")
    )
    assert sorted(actions) == [
        ("consultancy_site.review_link.create", editor.pk),
        ("consultancy_site.review_link.revoke", editor.pk),
    ]
    history = client.get(reverse("wagtailadmin_pages:history", args=[article.pk]))
    text = visible_text(history.content.decode())
    assert f"Review link made for {REVIEWER}, expires" in text
    assert f"Review link for {REVIEWER} revoked" in text


# --- The reviewer's view ------------------------------------------------------------------------


def test_reader_without_account_sees_the_draft_under_a_banner(shared):
    link, url = shared
    response = Client().get(public_path(url))

    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert DRAFT_TEXT in text
    assert LIVE_TEXT not in text
    expires = timezone.localtime(link.expires_at).strftime("%-d %B %Y")
    assert f"Draft shared for review with {REVIEWER} — not published; expires {expires}" in text
    # A landmark of its own, styled from a stylesheet (the public CSP forbids inline styles).
    assert '<section class="review-banner" aria-label="Draft for review">' in html
    assert "/static/review_links/css/review-links.css" in html
    assert " style=" not in html and "<style" not in html


def test_a_page_never_published_can_be_shared(site_tree, editor):
    """The usual case: a new article nobody outside can see yet."""
    page = ArticlePageFactory(
        parent=site_tree.topic,
        title="Not out yet",
        slug="not-out-yet",
        live=False,
        has_unpublished_changes=True,
        body=paragraph(DRAFT_TEXT),
    )
    page = ArticlePage.objects.get(pk=page.pk)
    page.save_revision(user=editor)
    assert Client().get("/writing/data-engineering/not-out-yet/").status_code == 404

    _response, url = make_link(logged_in(editor), page)
    response = Client().get(public_path(url))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert DRAFT_TEXT in text and f"Draft shared for review with {REVIEWER}" in text


@pytest.mark.parametrize(
    ("label", "field", "value"),
    [
        ("home", "headline", "A redrafted headline, heron"),
        ("topic", "lede", "A redrafted lede, heron"),
        ("book_a_call", "intro", "<p>A redrafted invitation, heron</p>"),
    ],
)
def test_other_page_types_are_shared_the_same_way(site_tree, editor, label, field, value):
    """The home page, a topic (a routable page) and the Book a call form, each with a draft."""
    page = getattr(site_tree, label)
    page = type(page).objects.get(pk=page.pk)
    setattr(page, field, value)
    page.save_revision(user=editor)
    _response, url = make_link(logged_in(editor), page)

    response = Client().get(public_path(url))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert visible_text(value) in text
    assert f"Draft shared for review with {REVIEWER}" in text
    assert visible_text(value) not in visible_text(Client().get(page.url).content.decode())


def test_an_editor_signed_in_sees_the_same_draft(shared, editor):
    _link, url = shared
    response = logged_in(editor).get(public_path(url))
    assert response.status_code == 200
    assert DRAFT_TEXT in visible_text(response.content.decode())
    assert response["Cache-Control"] == "private, no-store"


def test_review_responses_are_private_unindexed_and_send_no_referrer(shared):
    _link, url = shared
    response = Client().get(public_path(url))

    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_review_page_grades_like_the_public_pages(shared, settings):
    """The Observatory-style grade of tests/test_security_headers.py, over HTTPS as deployed."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    _link, url = shared
    response = Client().get(public_path(url), secure=True)
    score, letter, notes = grade(response.headers, [], response.content.decode())
    assert letter == "A+", "\n".join(notes)


def test_each_view_is_logged_and_the_editor_sees_it(shared, editor, article):
    link, url = shared
    agent = "Mozilla/5.0 (Client laptop) " + "x" * 300
    Client().get(public_path(url), headers={"user-agent": agent})

    view = ReviewLinkView.objects.get()
    assert view.link == link
    assert view.revision_id == article.latest_revision_id
    assert view.user_agent == agent[:200]

    screen = logged_in(editor).get(screen_url(article)).content.decode()
    text = visible_text(screen)
    assert f"View log for {REVIEWER} (1 view)" in text
    assert f"Revision {article.latest_revision_id}" in text
    assert "Mozilla/5.0 (Client laptop)" in text
    assert "Active" in text


def test_review_response_is_never_kept_by_the_page_cache(shared, settings, editor):
    settings.PAGE_CACHE_SECONDS = 300
    link, url = shared
    path = public_path(url)
    reader = Client()

    first, second = reader.get(path), reader.get(path)
    assert first.status_code == second.status_code == 200
    assert "X-Cache" not in second
    assert cache.get(page_key(path)) is None
    # The headers alone keep it out, whatever the middleware's list of paths says.
    assert not PageCacheMiddleware.cacheable_response(first.wsgi_request, first)

    logged_in(editor).post(revoke_url(link))
    assert reader.get(path).status_code == 410


# --- When a link stops working ------------------------------------------------------------------


def test_revoked_link_says_it_was_revoked(shared, editor, second_editor):
    link, url = shared
    # Any editor of the page may revoke a colleague's link.
    response = logged_in(second_editor).post(revoke_url(link))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == second_editor

    gone = Client().get(public_path(url))
    assert gone.status_code == 410
    text = visible_text(gone.content.decode())
    assert "This review link was revoked" in text
    assert DRAFT_TEXT not in text and TITLE not in text
    assert gone["Cache-Control"] == "private, no-store"
    assert gone["Referrer-Policy"] == "no-referrer"

    screen = visible_text(logged_in(editor).get(screen_url(link.page)).content.decode())
    assert "Revoked" in screen and "by Eric Editor" in screen


def test_revoking_twice_changes_nothing(shared, editor):
    link, _url = shared
    client = logged_in(editor)
    client.post(revoke_url(link))
    link.refresh_from_db()
    first_revoked_at = link.revoked_at
    response = client.post(revoke_url(link), follow=True)
    assert "was already revoked" in visible_text(response.content.decode())
    link.refresh_from_db()
    assert link.revoked_at == first_revoked_at
    assert PageLogEntry.objects.filter(action="consultancy_site.review_link.revoke").count() == 1


def test_expired_link_says_it_expired(shared):
    link, url = shared
    ReviewLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    gone = Client().get(public_path(url))
    assert gone.status_code == 410
    text = visible_text(gone.content.decode())
    assert "This review link has expired" in text
    assert DRAFT_TEXT not in text
    assert not ReviewLinkView.objects.exists()


def test_link_ends_when_the_page_is_published_and_points_to_the_live_page(shared, editor, article):
    _link, url = shared
    assert Client().get(public_path(url)).status_code == 200
    article.get_latest_revision().publish(user=editor)

    gone = Client().get(public_path(url))
    assert gone.status_code == 410
    html = gone.content.decode()
    assert "This page is now published" in visible_text(html)
    assert f'<a href="{article.url}">{TITLE}</a>' in html
    live = Client().get(article.url)
    assert live.status_code == 200 and DRAFT_TEXT in visible_text(live.content.decode())


def test_links_made_after_publishing_work_again(shared, editor, article):
    article.get_latest_revision().publish(user=editor)
    _response, url = make_link(logged_in(editor), ArticlePage.objects.get(pk=article.pk))
    assert Client().get(public_path(url)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/review/" + "A" * 43 + "/",  # the shape of a token, but none was made
        "/review/short/",
        "/review/" + "x" * 5000 + "/",
        "/review/%00%0A/",
        "/review/%E2%98%83%F0%9F%92%A9/",
        "/review/../admin/",
    ],
)
def test_unknown_or_malformed_token_is_the_sites_404(shared, path):
    response = Client().get(path)
    assert response.status_code == 404
    text = visible_text(response.content.decode())
    assert "Page not found" in text
    assert TITLE not in text and REVIEWER not in text


def test_a_flood_of_bad_tokens_gets_404s(article):
    reader = Client()
    for number in range(200):
        token = hashlib.sha256(str(number).encode()).hexdigest()[:43]
        assert reader.get(f"/review/{token}/").status_code == 404


def test_review_url_takes_only_get(shared):
    _link, url = shared
    assert Client().post(public_path(url)).status_code == 405


def test_robots_txt_keeps_crawlers_out_of_review_links(db):
    response = Client().get("/robots.txt")
    assert "Disallow: /review/" in response.content.decode().splitlines()


# --- Who may, and bad input ---------------------------------------------------------------------


def assert_refused(response):
    """Wagtail answers a permission refusal in the admin with its home page and a message."""
    assert response.redirect_chain == [("/admin/", 302)]
    text = visible_text(response.content.decode())
    assert "Sorry, you do not have permission to access this area" in text
    assert REVIEWER not in text


def test_author_cannot_reach_the_screen_make_or_revoke_a_link(shared, author, article):
    link, _url = shared
    client = logged_in(author)
    assert_refused(client.get(screen_url(article), follow=True))
    data = {"reviewer": "Mallory", "expires_in": "7"}
    assert_refused(client.post(screen_url(article), data, follow=True))
    assert_refused(client.post(revoke_url(link), follow=True))
    assert ReviewLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None


def test_only_editors_find_the_screen_in_the_page_menus(article, editor, author):
    url = screen_url(article)
    edit = reverse("wagtailadmin_pages:edit", args=[article.pk])
    listing = reverse("wagtailadmin_explore", args=[article.get_parent().pk])
    for client, shown in ((logged_in(editor), True), (logged_in(author), False)):
        for page in (edit, listing):
            response = client.get(page)
            assert response.status_code == 200
            assert (f'href="{url}"' in response.content.decode()) is shown, (page, shown)


def test_signed_out_visitor_is_sent_to_sign_in(article):
    response = Client().get(screen_url(article))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"reviewer": REVIEWER, "expires_in": "0"}, "greater than or equal to 1"),
        ({"reviewer": REVIEWER, "expires_in": "31"}, "less than or equal to 30"),
        ({"reviewer": REVIEWER, "expires_in": "abc"}, "Enter a whole number"),
        ({"reviewer": REVIEWER, "expires_in": ""}, "This field is required"),
        ({"reviewer": REVIEWER, "expires_in": "1e9"}, "Enter a whole number"),
        ({"reviewer": "", "expires_in": "7"}, "This field is required"),
        ({"reviewer": "   ", "expires_in": "7"}, "This field is required"),
        ({"reviewer": "Jane\r\nBcc: x", "expires_in": "7"}, "Use a single line here"),
        ({"reviewer": "Jane\x00", "expires_in": "7"}, "Null characters are not allowed"),
        ({"reviewer": "J" * 121, "expires_in": "7"}, "at most 120 characters"),
        ({}, "This field is required"),
    ],
)
def test_bad_input_is_a_form_error_and_makes_no_link(article, editor, data, error):
    response = logged_in(editor).post(screen_url(article), data)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert error in text
    assert "The review link could not be made" in text
    assert not URL_IN_PAGE.search(response.content.decode())
    assert not ReviewLink.objects.exists()


def test_missing_pages_and_links_are_404(shared, editor, site_tree):
    link, _url = shared
    client = logged_in(editor)
    missing = Page.objects.order_by("-pk").first().pk + 1
    assert client.get(f"/admin/review-links/{missing}/").status_code == 404
    assert client.post(f"/admin/review-links/{missing}/revoke/{link.pk}/").status_code == 404
    # The link exists, but on another page than the one in the URL.
    other = reverse("review_links:revoke", args=[site_tree.topic.pk, link.pk])
    assert client.post(other).status_code == 404
    assert (
        client.post(f"/admin/review-links/{link.page_id}/revoke/{link.pk + 1}/").status_code == 404
    )
    link.refresh_from_db()
    assert link.revoked_at is None


def test_root_page_has_no_review_links(editor, site_tree, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    root = Page.get_first_root_node()
    assert_refused(logged_in(admin).get(screen_url(root), follow=True))


def test_revoke_takes_only_post(shared, editor):
    link, _url = shared
    assert logged_in(editor).get(revoke_url(link)).status_code == 405
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_hostile_reviewer_name_comes_out_escaped_everywhere(article, editor):
    hostile = '"><svg onload=alert(1)>'
    client = logged_in(editor)
    response, url = make_link(client, article, reviewer=hostile)
    link = ReviewLink.objects.get()
    pages = {
        "made": response,
        "banner": Client().get(public_path(url)),
        "screen": client.get(screen_url(article)),
        "history": client.get(reverse("wagtailadmin_pages:history", args=[article.pk])),
        "revoked": client.post(revoke_url(link), follow=True),
    }
    for name, page in pages.items():
        html = page.content.decode()
        assert "<svg onload" not in html, name
        assert "&lt;svg onload=alert(1)&gt;" in html, name
