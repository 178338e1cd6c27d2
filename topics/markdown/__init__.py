"""Articles as Markdown, in and out.

In: `manage.py import_markdown FILE…` turns Markdown files with YAML front matter into draft
articles submitted for review (`importer.py`; the format is in `FORMAT.md` beside this file).
Out: every live article has a Markdown twin at `<article url>index.md`, every hub an
`llms.txt`, and the site an `/llms.txt` (`render.py` for the Markdown, `views.py` for the
responses). Both directions speak the same dialect, so an exported article imports back to the
same blocks.
"""
