"""Review links and social cards move to apps of their own (consultancy_site.editorial.
review_links, consultancy_site.seo). Here they only leave this app's state: their tables stay,
and the apps taking them over rename the tables and move the content types."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consultancy_site", "0005_move_book_a_call_submissions")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReviewLinkView"),
                migrations.DeleteModel(name="ReviewLink"),
                migrations.DeleteModel(name="SocialCard"),
            ],
            database_operations=[],
        )
    ]
