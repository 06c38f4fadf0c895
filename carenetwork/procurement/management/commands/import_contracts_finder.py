"""manage.py import_contracts_finder PATH [PATH ...] [--all]: load Contracts Finder OCDS releases as past
opportunities (the health and social care ones, unless --all)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from carenetwork.procurement.ocds_import import import_file


class Command(BaseCommand):
    help = (
        "Load Contracts Finder OCDS releases (a release package, a list of releases or a {'releases': [...]} file) "
        "as closed or awarded opportunities for reference. Only health and social care (CPV division 85) unless "
        "--all. Safe to repeat: an opportunity is found by its ocid, and only a newer release changes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--all", action="store_true", dest="include_all", help="Load every release, not only health and social care"
        )

    def handle(self, *args, paths, include_all, **options):
        failed = []
        for path in paths:
            try:
                result = import_file(path, social_care_only=not include_all)
            except (OSError, ValidationError) as error:
                message = f"{path}: {' '.join(getattr(error, 'messages', [str(error)]))}"
                failed.append(message)
                self.stderr.write(message)
                continue
            for problem in result.problems:
                self.stderr.write(f"{path}: skipped {problem}")
            self.stdout.write(f"{path}: {result.created} created, {result.updated} updated, {result.skipped} skipped")
        if failed:
            raise CommandError("; ".join(failed))
