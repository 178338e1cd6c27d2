from django.core.management.base import BaseCommand

from consultancy_site.demo.content.loader import DemoContentLoader


class Command(BaseCommand):
    help = "Build the demo site (the seed hub, its articles, case studies, service, Book a call)."

    def handle(self, *args, **options):
        loader = DemoContentLoader(log=self.stdout.write)
        created, updated = loader.load()
        if not created and not updated and not loader.submissions:
            self.stdout.write("Demo content is up to date: nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {len(created)} pages created, {len(set(updated))} updated."
            )
        )
