from django.core.management.base import BaseCommand, CommandError

from consultancy_site.demo.loader import DemoContentError, DemoContentLoader


class Command(BaseCommand):
    help = (
        "Build the demo site from site/demo/content/ (the Markdown pages through the Markdown "
        "importer, published; the site around them from site.yaml). Running it again changes "
        "nothing."
    )

    def handle(self, *args, **options):
        loader = DemoContentLoader(log=self.stdout.write)
        try:
            created, updated = loader.load()
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        if not created and not updated and not loader.submissions:
            self.stdout.write("Demo content is up to date: nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {len(created)} pages created, {len(set(updated))} updated."
            )
        )
