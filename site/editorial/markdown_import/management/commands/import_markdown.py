from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from consultancy_site.editorial.markdown_import.importer import (
    DEFAULT_COLLECTION,
    ImportFailed,
    MarkdownImport,
)


class Command(BaseCommand):
    help = (
        "Import Markdown files (YAML front matter, then the body) as draft pages, each "
        "submitted for review: articles under the topic their `topic:` names, and topics, case "
        "studies and services (`type:`). Every file is checked first; any problem (reported as "
        "FILE:LINE: message) means nothing is imported. The format is in "
        "topics/markdown/FORMAT.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Markdown files")
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help="The author: owner of the drafts and who submits them (must be allowed to add "
            "them where they go, and images when the files have new ones).",
        )
        parser.add_argument(
            "--collection",
            default=DEFAULT_COLLECTION,
            help=f"The image collection new images go in (default: '{DEFAULT_COLLECTION}', "
            "made when first needed).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the files and write nothing."
        )

    def handle(self, *args, files, user, collection, dry_run, **options):
        user_model = get_user_model()
        author = user_model.objects.filter(**{user_model.USERNAME_FIELD: user}).first()
        if author is None or not author.is_active:
            raise CommandError(f"No active user is named '{user}'.")
        importer = MarkdownImport(author, collection)
        plans = importer.read(files)
        if importer.problems:
            raise CommandError(failure(importer.problems))
        if dry_run:
            self.stdout.write(f"{len(plans)} file(s) checked, no problem found; nothing written.")
            return
        try:
            pages = importer.write(plans)
        except ImportFailed as error:
            raise CommandError(failure([error.problem])) from error
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        for page in pages:
            state = page.current_workflow_state
            status = f"submitted to {state.workflow.name}" if state else "draft, no workflow"
            edit_url = base + reverse("wagtailadmin_pages:edit", args=[page.pk])
            self.stdout.write(
                f'Created "{page.title}" in {page.get_parent().title} ({status}): {edit_url}'
            )


def failure(problems):
    count = len(problems)
    lines = "\n".join(str(problem) for problem in problems)
    return f"Nothing was imported ({count} problem{'s' if count != 1 else ''}):\n{lines}"
