"""manage.py backup_drill [--folder DIR] [--database NAME] [--replace] [--keep] [--jobs N]: prove a backup restores.

Dumps the configured PostgreSQL database (one consistent snapshot, safe while the site is in use), restores it into
a new database, and compares every table's rows and row checksums, plus the uploaded files. The work is in
carenetwork/core/backup_drill.py.
"""

import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from carenetwork.core.backup_drill import DrillError, drill


class Command(BaseCommand):
    help = (
        "Backup and restore drill (PostgreSQL): pg_dump the database as one snapshot, pg_restore it into a new "
        "database, compare every table's row count and a checksum of every row, and the uploaded files by sha256; "
        "exit non-zero on any difference. The drill database is dropped afterwards unless --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--folder", type=Path, help="write the dump and the files' archive here and keep them (default: a temp dir)"
        )
        parser.add_argument("--database", dest="target", help="the drill database's name (default: <source>_drill_…)")
        parser.add_argument("--replace", action="store_true", help="drop the drill database first if it exists")
        parser.add_argument("--keep", action="store_true", help="keep the drill database and restored files")
        parser.add_argument("--jobs", type=int, default=1, help="pg_restore parallel jobs (default 1)")

    def handle(self, *args, folder, target, replace, keep, jobs, **options):
        connection = connections["default"]
        if connection.vendor != "postgresql":
            raise CommandError(
                f"The backup drill runs on PostgreSQL only; this database is {connection.vendor}. "
                "Back up an SQLite database by copying its file while the site is stopped (or with sqlite3 .backup)."
            )
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        media_root = Path(default_storage.location) if isinstance(default_storage, FileSystemStorage) else None
        connection.close()  # the drill opens its own connections
        # The dump and the files' archive hold every person's data: readable by the user who made them only.
        previous_umask = os.umask(0o077)
        try:
            report = drill(
                connection.settings_dict,
                media_root=media_root,
                folder=folder,
                target=target,
                replace=replace,
                keep=keep,
                jobs=jobs,
                say=self.stdout.write,
            )
        except DrillError as error:
            raise CommandError(str(error)) from error
        finally:
            os.umask(previous_umask)
        for check in report.tables:
            line = check.describe()
            self.stdout.write(line if check.ok else self.style.ERROR(line))
        for problem in report.sequence_problems + (report.files.problems if report.files else []):
            self.stdout.write(self.style.ERROR(problem))
        for line in report.summary():
            self.stdout.write(line)
        if keep:
            self.stdout.write(f"Kept: database {report.restored}, files {report.restored_media or '–'}")
        if not report.ok:
            raise CommandError(f"The restored copy differs from the source in {len(report.problems)} places")
