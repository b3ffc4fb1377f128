from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a compressed pg_dump (-Fc) of the database with a timestamp, keeping the newest N."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BACKUP_DIR), help="where dumps are written")
        parser.add_argument("--keep", type=int, default=settings.BACKUP_KEEP, help="how many dumps to keep")

    def handle(self, *args, dir, keep, **options):
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("Backups are for PostgreSQL: set DATABASE_URL (the local SQLite file is var/lianhutong.sqlite3).")
        try:
            path = backup(db, Path(dir), keep=max(1, keep), now=timezone.localtime())
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path} ({path.stat().st_size:,} bytes)"))
