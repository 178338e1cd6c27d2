"""Markdown files into pages, all or nothing: `manage.py import_markdown FILE…`.

Articles, topics, case studies and service pages, each written as Markdown with YAML front
matter (the format is `topics/markdown/FORMAT.md`; its parsing lives in `topics.markdown`).
Authors import drafts submitted for review; the demo loader imports the demo site and publishes
it, updating the pages it made before.
"""
