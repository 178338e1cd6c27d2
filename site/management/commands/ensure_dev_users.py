import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# (username, group or None for a superuser)
DEV_USERS = [("admin", None), ("editor", "Editors"), ("author", "Authors")]


class Command(BaseCommand):
    help = (
        "Development only: create the demo users admin, editor and author, printing passwords once."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            # Production never gets accounts with passwords anyone has seen in a terminal.
            raise CommandError("ensure_dev_users only runs with development settings (DEBUG on).")
        credentials = settings.VAR_DIR / "dev-credentials.txt"
        User = get_user_model()
        created = []
        for username, group_name in DEV_USERS:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username=username,
                email=f"{username}@example.com",
                password=password,
                first_name=username.capitalize(),
                is_staff=group_name is None,
                is_superuser=group_name is None,
            )
            if group_name:
                group = Group.objects.filter(name=group_name).first()
                if group:
                    user.groups.add(group)
            created.append(f"{username:8} {password}")
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
        self.stdout.write(
            f"Sign in at {settings.WAGTAILADMIN_BASE_URL}/admin/ with a user from {credentials}."
        )
