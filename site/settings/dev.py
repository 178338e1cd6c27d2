import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = True
SECRET_KEY = "dev-only-not-secret-0f1e2d3c4b5a"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
ALLOW_FAKE_CONTENT = True
WAGTAILADMIN_BASE_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.styleguide"]

# Templates change under a developer's hands: no page cache in development.
PAGE_CACHE_SECONDS = 0
