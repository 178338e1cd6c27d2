from django.apps import AppConfig


class MarkdownImportConfig(AppConfig):
    """`import_markdown`: Markdown files into draft pages submitted for review."""

    name = "consultancy_site.editorial.markdown_import"
    label = "markdown_import"
    verbose_name = "Markdown import"
