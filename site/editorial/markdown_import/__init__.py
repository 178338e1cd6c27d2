"""Markdown files into draft articles submitted for review, all or nothing:
`manage.py import_markdown FILE…`. The format itself (front matter, body blocks, links) lives in
`topics.markdown`, with the writers' guide `topics/markdown/FORMAT.md`.
"""
