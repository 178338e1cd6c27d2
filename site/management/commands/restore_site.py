"""Restore a backup made by backup_site into the configured database and media folder."""

import json
import shutil
import sqlite3
import subprocess
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup_site import postgres_environment


class Command(BaseCommand):
    help = "Restore the database and media from a backup folder (replaces what is there)."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The folder backup_site wrote.")

    def handle(self, *args, backup, **options):
        started = time.perf_counter()
        source = Path(backup)
        manifest = json.loads((source / "manifest.json").read_text())
        if manifest["database"] != connection.vendor:
            raise CommandError(
                f"This backup is of a {manifest['database']} database; the site uses {connection.vendor}."
            )
        config = settings.DATABASES["default"]
        connection.close()
        if connection.vendor == "sqlite":
            backup_db = sqlite3.connect(source / "db.sqlite3")
            live = sqlite3.connect(config["NAME"])
            with live:
                backup_db.backup(live)
            live.close()
            backup_db.close()
        else:
            if not (pg_restore := shutil.which("pg_restore")):
                raise CommandError(
                    "pg_restore is not installed (apt-get install postgresql-client)."
                )
            env, connection_args = postgres_environment(config)
            subprocess.run(  # noqa: S603 (arguments from settings)
                [
                    pg_restore,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *connection_args,
                    "--dbname",
                    config["NAME"],
                    str(source / "db.dump"),
                ],
                env=env,
                check=True,
            )
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(source / "media.tar.gz") as archive:
            members = [
                m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")
            ]
            if members:
                shutil.rmtree(media_root, ignore_errors=True)
                media_root.parent.mkdir(parents=True, exist_ok=True)
                extract_to = media_root.parent / ".restoring"
                shutil.rmtree(extract_to, ignore_errors=True)
                archive.extractall(extract_to, members=members, filter="data")
                shutil.move(extract_to / "media", media_root)
                shutil.rmtree(extract_to, ignore_errors=True)
        self.stdout.write(f"Restored {source} in {time.perf_counter() - started:.1f} s")
