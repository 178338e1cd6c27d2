import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from consultancy_site.permissions import AUTHORS, EDITORS
from topics.models import ArticlePage, TopicIndexPage

# (username, group or None for a superuser)
DEV_USERS = [("admin", None), ("editor", EDITORS), ("author", AUTHORS)]

DRAFT_IN_REVIEW = {
    "slug": "data-contracts",
    "title": "Data Contracts: Agreeing on the Shape of Data Before It Breaks Production",
    "summary": (
        "What a data contract between a producing team and a consuming pipeline should say, how "
        "to check it in CI, and why it saves more incidents than any amount of monitoring."
    ),
    "body": [
        {
            "type": "heading",
            "value": {"text": "The incident that starts it", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>A column is renamed upstream, the nightly job still succeeds, and the model "
                "trains on nulls for a week. A contract makes that rename a failed build instead.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "yaml",
                "source": "orders:\n  order_id: {type: string, unique: true}\n  amount: {type: decimal, min: 0}\n",
            },
        },
    ],
}


class Command(BaseCommand):
    help = (
        "Development only: create the demo users admin, editor and author (passwords printed "
        "once) and leave one article by author submitted and awaiting review."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            # Production never gets accounts with passwords anyone has seen in a terminal.
            raise CommandError("ensure_dev_users only runs with development settings (DEBUG on).")
        credentials = settings.VAR_DIR / "dev-credentials.txt"
        created = [line for line in (self.ensure_user(*user) for user in DEV_USERS) if line]
        if created:
            credentials.parent.mkdir(parents=True, exist_ok=True)
            with credentials.open("a") as file:
                file.write("\n".join(created) + "\n")
            credentials.chmod(0o600)
            self.stdout.write(
                "Demo users created (passwords shown once, kept in var/dev-credentials.txt):"
            )
            for line in created:
                self.stdout.write(f"    {line}")
        self.leave_a_draft_in_review()
        self.stdout.write(
            f"Sign in at {settings.WAGTAILADMIN_BASE_URL}/admin/ as admin, editor or author "
            f"(passwords in {credentials}). One article by author awaits the editor's review."
        )

    def ensure_user(self, username, group_name):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            return None
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=username,
            email=f"{username}@example.com",
            password=password,
            first_name=username.capitalize(),
            is_superuser=group_name is None,
            is_staff=group_name is None,
        )
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        return f"{username:8} {password}"

    def leave_a_draft_in_review(self):
        topic = TopicIndexPage.objects.filter(slug="data-engineering").first()
        if topic is None or ArticlePage.objects.filter(slug=DRAFT_IN_REVIEW["slug"]).exists():
            return
        author = get_user_model().objects.get(username="author")
        article = ArticlePage(
            **{key: DRAFT_IN_REVIEW[key] for key in ("slug", "title", "summary", "body")},
            date=datetime.date.today(),
            live=False,
            owner=author,
        )
        topic.add_child(instance=article)
        article.save_revision(user=author, log_action=True)
        article.get_workflow().start(article, author)
