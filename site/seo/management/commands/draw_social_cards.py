from django.core.management.base import BaseCommand, CommandError

from consultancy_site.seo import social_cards


class Command(BaseCommand):
    help = (
        "Draw the social cards (Open Graph images) that live articles and case studies lack or "
        "that no longer match their page; remove card files no card uses. Running it again "
        "changes nothing."
    )

    def handle(self, *args, **options):
        log = self.stdout.write if options["verbosity"] > 1 else (lambda message: None)
        drawn, failed, removed = social_cards.draw_missing(log=log)
        for path in removed:
            self.stdout.write(f"Removed the unused card file {path}")
        if failed:
            raise CommandError(
                f"Drew {len(drawn)} social cards; {len(failed)} could not be drawn (see the log): "
                + ", ".join(f"{page.title!r} (id {page.pk})" for page in failed)
            )
        if drawn:
            self.stdout.write(self.style.SUCCESS(f"Drew {len(drawn)} social cards."))
        else:
            self.stdout.write("Social cards are up to date: nothing drawn.")
