"""Back up the database and the media files into one folder.

SQLite is copied with SQLite's online backup API (a consistent copy while the site runs, never
a copy of the live file); PostgreSQL with pg_dump's custom format. Media go into a tar.gz.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def postgres_environment(config):
    env = {**os.environ, "PGPASSWORD": config.get("PASSWORD") or ""}
    return env, [
        "--host",
        config.get("HOST") or "localhost",
        "--port",
        str(config.get("PORT") or 5432),
        "--username",
        config.get("USER") or "postgres",
    ]


class Command(BaseCommand):
    help = "Back up the database and media to var/backups/<time>/ (or --to DIR)."

    def add_arguments(self, parser):
        parser.add_argument("--to", help="Folder to write the backup into.")

    def handle(self, *args, to=None, **options):
        started = time.perf_counter()
        target = Path(to or settings.VAR_DIR / "backups" / timezone.now().strftime("%Y%m%d-%H%M%S"))
        target.mkdir(parents=True, exist_ok=True)
        config = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            source = sqlite3.connect(config["NAME"])
            copy = sqlite3.connect(target / "db.sqlite3")
            with copy:
                source.backup(copy)
            copy.close()
            source.close()
        elif connection.vendor == "postgresql":
            if not (pg_dump := shutil.which("pg_dump")):
                raise CommandError("pg_dump is not installed (apt-get install postgresql-client).")
            env, connection_args = postgres_environment(config)
            subprocess.run(  # noqa: S603 (arguments from settings)
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    *connection_args,
                    "--file",
                    str(target / "db.dump"),
                    config["NAME"],
                ],
                env=env,
                check=True,
            )
        else:
            raise CommandError(f"Backing up {connection.vendor} is not supported.")
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            if media_root.exists():
                archive.add(media_root, arcname="media")
        manifest = {"database": connection.vendor, "created": timezone.now().isoformat()}
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
        self.stdout.write(f"Backed up to {target} in {time.perf_counter() - started:.1f} s")
