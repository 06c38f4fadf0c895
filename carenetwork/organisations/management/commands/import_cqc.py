"""manage.py import_cqc PATH [PATH ...] [--data-date YYYY-MM-DD] [--local-authority NAME]: import CQC files."""

import argparse
import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from carenetwork.organisations import cqc


def files_in(path: Path) -> list[Path]:
    """The file itself, or every JSON file in a folder and its subfolders, providers first."""
    if path.is_dir():
        found = [p for p in path.rglob("*.json") if p.is_file()]
        return sorted(found, key=lambda p: ("provider" not in p.name.lower(), str(p)))
    if path.is_file():
        return [path]
    raise CommandError(f"{path} is not a file or folder")


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"give a date such as 2025-03-21, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Import registered providers and locations from CQC API JSON files or the CQC care directory CSV. "
        "A folder imports every JSON file in it. Safe to repeat: records are matched by CQC ID."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--local-authority", default="", help="Only import locations in this local authority")
        parser.add_argument(
            "--data-date",
            type=iso_date,
            default=None,
            help=(
                "The date of the data (YYYY-MM-DD): the day it was downloaded from CQC or CQC published it. "
                "Needed unless the file names have it. Nothing the portal has from newer CQC data is changed."
            ),
        )

    def handle(self, *args, paths, local_authority, data_date, **options):
        files = [f for path in paths for f in files_in(path)]
        if not files:
            raise CommandError("No JSON files found")
        try:
            report = cqc.import_files(
                actor=None,
                files=[(str(f), f.read_bytes()) for f in files],
                local_authority=local_authority,
                data_date=data_date,
            )
        except ValidationError as error:
            message = " ".join(error.messages)
            if "data_date" in getattr(error, "error_dict", {}):
                message += " Give the date with --data-date YYYY-MM-DD."
            raise CommandError(message) from error
        self.print_report(report, files=len(files), verbosity=options["verbosity"])

    def print_report(self, report, *, files: int, verbosity: int) -> None:
        write = self.stdout.write
        write(
            f"Read {report.total} records from {files} file{'s' if files != 1 else ''} "
            f"of CQC data of {report.data_date:%d %B %Y}."
        )
        for line in report.summary(verbosity=verbosity):
            write(line)
        if not report.changed and not report.unchanged:
            write(self.style.WARNING("Nothing was added or updated: every record was skipped (see why above)."))
        elif not report.changed:
            write(self.style.SUCCESS("Nothing changed: the portal already matches."))
        else:
            write(self.style.SUCCESS(f"Done: {report.changes} organisations and locations added or updated."))
