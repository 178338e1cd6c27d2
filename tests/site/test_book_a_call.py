import pytest
from django.core import mail

from tests.html import visible_text

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "company": "Analytical Engines Ltd",
    "message": "Our nightly feature pipeline misses its window.",
}


def test_valid_submission_is_stored_emailed_and_thanked(client, site_tree):
    page = site_tree.book_a_call
    response = client.post(page.url, VALID)

    assert response.status_code == 200
    assert "Thank you" in visible_text(response.content.decode())
    submission = page.get_submission_class().objects.get(page=page)
    assert submission.get_data()["email"] == "ada@example.com"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.com"]
    assert "Our nightly feature pipeline misses its window." in mail.outbox[0].body


def test_invalid_submission_is_shown_again_with_errors_and_what_was_typed(client, site_tree):
    page = site_tree.book_a_call
    response = client.post(page.url, {**VALID, "email": "not-an-email", "message": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the 2 fields below" in visible_text(html)
    assert "Enter a valid email address." in html
    assert 'value="Ada Lovelace"' in html and 'value="not-an-email"' in html
    assert 'aria-invalid="true"' in html
    assert not page.get_submission_class().objects.exists()
    assert mail.outbox == []


def test_a_mail_server_that_is_down_loses_no_submission(client, site_tree, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.site.broken_mail.BrokenBackend"}}
    response = client.post(site_tree.book_a_call.url, VALID)
    assert response.status_code == 200
    assert "Thank you" in visible_text(response.content.decode())
    assert site_tree.book_a_call.get_submission_class().objects.count() == 1
