"""`make bench`: production settings, plus the ceiling view and the made-up articles."""

from .production import *  # noqa: F403

ROOT_URLCONF = "consultancy_site.demo.bench_urls"
ALLOW_FAKE_CONTENT = True
