"""Admin hooks, each feature's in a module of its own (Wagtail imports this module at start-up)."""

from . import publish_impact_hooks, report_hooks, review_links  # noqa: F401
