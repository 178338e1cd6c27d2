"""Signing in to the admin: lockout after repeated failures, sessions, and sign-in cookies.

Every attempt goes through Wagtail's real login view (/admin/login/) with the Django test
client, so django-axes sees what it sees in production: its authentication backend refuses a
locked-out user name or address, its middleware turns the lockout into the 429 page. The client's
address is REMOTE_ADDR (the connection's own), which each attempt sets explicitly.

Policy under test (consultancy_site.settings.base): five failures per user name and, separately,
five per address, then a fifteen-minute cool-off; a forged X-Forwarded-For changes nothing.
"""

import datetime
import html
import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from importlib import import_module

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as reset_axes
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db.models import F
from django.test import Client
from django.urls import reverse

from consultancy_site.permissions import EDITORS
from tests import server
from tests.factories import PASSWORD, make_user
from tests.html import visible_text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-quite-different-passphrase-42"
WRONG = "not-the-password"
LIMIT = 5
COOL_OFF = datetime.timedelta(minutes=15)
LOCKED_HEADING = "Too many sign-in attempts"


# --- Helpers ---------------------------------------------------------------------------------------


def login_url():
    return reverse("wagtailadmin_login")


def sign_in(client, username, password, address, **extra):
    """POST the admin login form as a browser at `address` would."""
    return client.post(
        login_url(),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def signed_in(response):
    """The login view accepted the credentials: a redirect into the admin, not a page."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def assert_locked_out(response):
    assert response.status_code == 429, response.status_code
    assert "account_locked.html" in [t.name for t in response.templates]
    assert LOCKED_HEADING in visible_text(response.content.decode())
    # Refused: no session is started for the user.
    assert SESSION_KEY not in response.wsgi_request.session


def assert_form_shown_again(response):
    assert response.status_code == 200, response.status_code
    assert "wagtailadmin/login.html" in [t.name for t in response.templates]
    assert response.context["form"].errors
    assert 'name="password"' in response.content.decode()


def admin_home_status(client):
    """200 if the client is signed in to the admin, else the redirect to the login page."""
    response = client.get(reverse("wagtailadmin_home"))
    if response.status_code == 302:
        assert response["Location"].startswith(login_url())
    return response.status_code


def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_exists(key):
    return session_store()().exists(key)


def session_cookie(client):
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie is not None and cookie.value else None


class _FormFields(HTMLParser):
    """The fields each <form> on a page submits as it stands (what a browser would post)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.select = None
        self.select_first = None
        self.select_chosen = False
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        if not self.forms:
            return
        fields = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"file", "submit", "button", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    fields[a["name"]] = a.get("value") or "on"
                return
            fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = a.get("name"), None, False
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            if self.select_first is None:
                self.select_first = value
                fields[self.select] = value
            if "selected" in a and not self.select_chosen:
                fields[self.select] = value
                self.select_chosen = True
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            fields[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.forms:
            self.forms[-1][self.textarea] += data


def form_with_field(page_html, field_name):
    parser = _FormFields()
    parser.feed(page_html)
    for fields in parser.forms:
        if field_name in fields:
            return {name: html.unescape(value) for name, value in fields.items()}
    raise AssertionError(f"No form with a {field_name!r} field on the page")


@pytest.fixture(autouse=True)
def clean_axes(db):
    """Every test starts (and leaves) with no failed attempts on record."""
    reset_axes()
    yield
    reset_axes()


def test_the_lockout_policy_is_the_one_these_tests_assume():
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == COOL_OFF
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AXES_HTTP_RESPONSE_CODE == 429


def test_signing_in_works_with_the_right_password(editor):
    client = Client()
    assert signed_in(sign_in(client, "edna", PASSWORD, "10.0.0.1"))
    assert admin_home_status(client) == 200


# --- 1. Lockout by user name and by address --------------------------------------------------------


def test_five_wrong_passwords_lock_the_user_name_even_for_the_right_password(editor, second_editor):
    client = Client()
    statuses = [sign_in(client, "edna", WRONG, "10.0.1.1").status_code for _ in range(LIMIT)]
    # Four are answered with the form again; the fifth failure reaches the limit and is refused.
    assert statuses == [200] * (LIMIT - 1) + [429]

    # The sixth attempt, with the right password, is refused with the lockout page.
    assert_locked_out(sign_in(client, "edna", PASSWORD, "10.0.1.1"))
    assert admin_home_status(client) == 302

    # The address has reached its limit too: another user name from it is refused as well.
    other = Client()
    assert_locked_out(sign_in(other, "eric", PASSWORD, "10.0.1.1"))
    assert admin_home_status(other) == 302


def test_failures_for_one_user_name_from_several_addresses_lock_that_name(editor, second_editor):
    client = Client()
    addresses = [f"10.0.2.{n}" for n in range(1, LIMIT + 1)]
    statuses = [sign_in(client, "edna", WRONG, address).status_code for address in addresses]
    assert statuses == [200] * (LIMIT - 1) + [429]
    # No address has more than one failure, so this is the lockout by user name.
    assert set(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == {1}

    # The right password from an address never seen before: still refused.
    assert_locked_out(sign_in(client, "edna", PASSWORD, "10.0.2.200"))
    assert admin_home_status(client) == 302

    # Another user name is not locked: from a fresh address it signs in.
    other = Client()
    assert signed_in(sign_in(other, "eric", PASSWORD, "10.0.2.201"))
    assert admin_home_status(other) == 200


def test_failures_for_several_user_names_from_one_address_lock_that_address(editor, second_editor):
    client = Client()
    names = ["edna", "ghost", "admin", "root", "eric"]
    statuses = [sign_in(client, name, WRONG, "10.0.3.1").status_code for name in names]
    assert statuses == [200] * (LIMIT - 1) + [429]
    # No user name has more than one failure, so this is the lockout by address.
    assert set(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == {1}

    # From that address even the right password of a real user is refused.
    assert_locked_out(sign_in(client, "edna", PASSWORD, "10.0.3.1"))
    assert admin_home_status(client) == 302

    # The user names themselves are not locked: from another address the same user signs in.
    elsewhere = Client()
    assert signed_in(sign_in(elsewhere, "edna", PASSWORD, "10.0.3.2"))
    assert admin_home_status(elsewhere) == 200


def test_lockout_page_says_how_long_in_words(editor):
    client = Client()
    for _ in range(LIMIT):
        response = sign_in(client, "edna", WRONG, "10.0.4.1")
    assert_locked_out(response)
    text = visible_text(response.content.decode())
    # The page tells a person how long to wait, in words, not as an ISO 8601 duration.
    assert "PT15M" not in text, text
    assert "15 minutes" in text, text


def test_someone_elses_successful_sign_in_does_not_clear_failures_against_a_user_name(
    editor, author
):
    """An insider with an account of their own must not earn unlimited guesses at another's.

    Five tries per user name means five, whoever else signs in from the same address between
    the guesses.
    """
    attacker = Client()
    for _ in range(LIMIT - 1):
        assert sign_in(attacker, "edna", WRONG, "10.0.5.1").status_code == 200
    assert signed_in(sign_in(attacker, "alice", PASSWORD, "10.0.5.1"))
    attacker.post(reverse("wagtailadmin_logout"), REMOTE_ADDR="10.0.5.1")

    # The fifth wrong password for edna reaches the limit for that user name.
    assert_locked_out(sign_in(attacker, "edna", WRONG, "10.0.5.1"))
    assert_locked_out(sign_in(Client(), "edna", PASSWORD, "10.0.5.99"))


# --- 2. Cool-off -------------------------------------------------------------------------------------


def age_attempts(by):
    """Move every recorded failure `by` into the past, as if that much time had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - by)


def test_the_lockout_cools_off_after_fifteen_minutes(editor):
    client = Client()
    for _ in range(LIMIT):
        sign_in(client, "edna", WRONG, "10.0.6.1")
    assert_locked_out(sign_in(client, "edna", PASSWORD, "10.0.6.1"))

    # Seconds short of the cool-off: still locked (and this attempt starts the wait again).
    age_attempts(COOL_OFF - datetime.timedelta(seconds=5))
    assert_locked_out(sign_in(client, "edna", PASSWORD, "10.0.6.1"))

    # Once the cool-off has passed since the last attempt, the right password signs in.
    age_attempts(COOL_OFF + datetime.timedelta(seconds=1))
    response = sign_in(client, "edna", PASSWORD, "10.0.6.1")
    assert signed_in(response), response.status_code
    assert admin_home_status(client) == 200
    # And the slate is clean: a later typo is answered with the form, not the lockout.
    fresh = Client()
    assert_form_shown_again(sign_in(fresh, "edna", WRONG, "10.0.6.1"))


# --- 3. X-Forwarded-For is not trusted ------------------------------------------------------------------


def test_forged_x_forwarded_for_does_not_bypass_the_address_lockout(editor):
    client = Client()
    statuses = [
        sign_in(
            client, f"guess{n}", WRONG, "10.0.7.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(1, LIMIT + 1)
    ]
    assert statuses == [200] * (LIMIT - 1) + [429]
    # Every failure was counted against the connection's own address.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.7.1"}

    # Yet another forged header, a real user's right password: still locked.
    assert_locked_out(
        sign_in(client, "edna", PASSWORD, "10.0.7.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    )
    assert admin_home_status(client) == 302


# --- 4. No user enumeration -----------------------------------------------------------------------------


def test_unknown_user_and_wrong_password_get_the_same_answer(editor, django_user_model):
    make_user("retired", "Retired", "Editor", EDITORS, is_active=False)
    unknown = sign_in(Client(), "nobody-by-this-name", WRONG, "10.0.8.1")
    wrong_password = sign_in(Client(), "edna", WRONG, "10.0.8.2")
    inactive = sign_in(Client(), "retired", PASSWORD, "10.0.8.3")

    for response in (unknown, wrong_password, inactive):
        assert_form_shown_again(response)
    errors = [response.context["form"].non_field_errors() for response in (unknown, wrong_password)]
    assert errors[0] == errors[1]
    assert inactive.context["form"].non_field_errors() == errors[0]
    message = errors[0][0]
    assert "didn't match" in message
    assert html.escape(message) in unknown.content.decode()
    # The whole page a person reads is identical (only the echoed user name field differs).
    assert visible_text(unknown.content.decode()) == visible_text(wrong_password.content.decode())
    assert visible_text(inactive.content.decode()) == visible_text(unknown.content.decode())


# --- 5. Sessions ----------------------------------------------------------------------------------------


def test_signing_in_replaces_the_session_id(editor):
    client = Client()
    # A session id planted in the browser before sign-in (session fixation).
    planted = client.session
    planted["before_sign_in"] = "yes"
    planted.save()
    planted_key = planted.session_key
    assert session_cookie(client) == planted_key

    assert signed_in(sign_in(client, "edna", PASSWORD, "10.0.9.1"))
    new_key = session_cookie(client)
    assert new_key and new_key != planted_key
    assert not session_exists(planted_key)
    assert session_store()(new_key).get(SESSION_KEY) == str(editor.pk)

    # Whoever holds the planted id is not signed in.
    holder = Client()
    holder.cookies[settings.SESSION_COOKIE_NAME] = planted_key
    assert admin_home_status(holder) == 302


def test_signing_out_ends_the_session(editor):
    client = Client()
    assert signed_in(sign_in(client, "edna", PASSWORD, "10.0.10.1"))
    key = session_cookie(client)
    assert session_exists(key)

    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert response["Location"] == login_url()
    assert not session_exists(key)
    assert session_cookie(client) is None
    assert admin_home_status(client) == 302

    # A copy of the old cookie is worth nothing.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert admin_home_status(replay) == 302


def test_a_get_to_the_sign_out_address_neither_signs_out_nor_says_so(editor):
    """Signing out is a POST; a GET (a link, an image, a typed address) is refused, and says so.

    It must not throw the browser's session cookie away and announce "You have been successfully
    logged out" while the session itself lives on in the store for any copy of the cookie.
    """
    client = Client()
    assert signed_in(sign_in(client, "edna", PASSWORD, "10.0.10.5"))
    key = session_cookie(client)

    response = client.get(reverse("wagtailadmin_logout"))
    assert response.status_code == 405
    assert session_exists(key)
    # The browser is still signed in, and is not told otherwise.
    home = client.get(reverse("wagtailadmin_home"), follow=True)
    assert "successfully logged out" not in visible_text(home.content.decode())
    assert home.redirect_chain == []
    assert session_cookie(client) == key


def test_changing_the_password_ends_the_users_other_sessions(editor):
    laptop, phone = Client(), Client()
    assert signed_in(sign_in(laptop, "edna", PASSWORD, "10.0.11.1"))
    assert signed_in(sign_in(phone, "edna", PASSWORD, "10.0.11.2"))
    laptop_key, phone_key = session_cookie(laptop), session_cookie(phone)
    assert admin_home_status(phone) == 200

    account_url = reverse("wagtailadmin_account")
    page = laptop.get(account_url)
    assert page.status_code == 200
    data = form_with_field(page.content.decode(), "password-new_password1")
    data.update(
        {
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        }
    )
    response = laptop.post(account_url, data)
    assert response.status_code == 302, visible_text(response.content.decode())[:2000]
    assert response["Location"] == account_url
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)

    # The session that changed the password carries on, under a new id.
    assert admin_home_status(laptop) == 200
    assert session_cookie(laptop) != laptop_key
    assert not session_exists(laptop_key)

    # Every other session of the user is over.
    assert admin_home_status(phone) == 302
    assert not session_exists(phone_key)

    # The old password no longer signs in; the new one does.
    assert_form_shown_again(sign_in(Client(), "edna", PASSWORD, "10.0.11.3"))
    assert signed_in(sign_in(Client(), "edna", NEW_PASSWORD, "10.0.11.4"))


# --- 6. Sign-in cookies -----------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_and_samesite_lax(editor):
    client = Client()
    response = sign_in(client, "edna", PASSWORD, "10.0.12.1")
    assert signed_in(response)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_sign_in_cookies_are_secure_httponly_and_samesite_lax(tmp_path):
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT",
    ]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "PYTEST_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "consultancy_site.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(48)[:50],
            "ALLOWED_HOSTS": "www.example.com",
            "VAR_DIR": str(tmp_path),
        }
    )
    assert len(env["SECRET_KEY"]) == 50
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=server.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
    }
