from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore, table_counts


class Command(BaseCommand):
    help = "Restore a pg_dump file into the named database, then print row counts per table beside the source's."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .dump file")
        parser.add_argument("--into", required=True, help="the database to restore into (created when missing)")
        parser.add_argument("--force", action="store_true", help="replace a database that already has tables")

    def handle(self, *args, file, into, force, **options):
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("Restore is for PostgreSQL.")
        if into == db["NAME"] and not force:
            raise CommandError("Refusing to restore over the live database without --force.")
        try:
            restored = restore(db, Path(file), into=into, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        try:
            source = table_counts(db) if into != db["NAME"] else {}
        except Exception:  # noqa: BLE001 - the source may be gone: that is why one restores
            source = {}
        self.stdout.write(f"{'table':<48} {'restored':>10} {'current':>10}")
        for table, count in restored.items():
            current = source.get(table, "")
            mark = "" if current in ("", count) else "  ≠"
            self.stdout.write(f"{table:<48} {count:>10} {current!s:>10}{mark}")
        self.stdout.write(self.style.SUCCESS(f"Restored {file} into {into}: {len(restored)} tables."))
