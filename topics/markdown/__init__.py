"""Pages as Markdown, in and out: the format itself.

In: Markdown files with YAML front matter are read by `front_matter.py` and `parse.py` (body
blocks), `parts.py` (a topic's introduction, a case study's parts and outcome figures) and
`links.py` (URLs into page and document links); the importer that turns them into pages is the
editorial app `consultancy_site.editorial.markdown_import` (`manage.py import_markdown`). The
format is in `FORMAT.md` beside this file.
Out: every live article has a Markdown twin at `<article url>index.md`, every topic an
`llms.txt`, and the site an `/llms.txt` (`render.py` for the Markdown, `views.py` for the
responses). Both directions speak the same dialect, so an exported article imports back to the
same blocks.
"""
