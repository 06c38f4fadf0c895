"""manage.py import_population PATH [PATH ...]: load the demand files (ONS projections, the area lookup, prevalence)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from carenetwork.market.population import load_file


def files_in(path: Path) -> list[Path]:
    """The file itself, or every CSV file in a folder, the area lookup first (so that areas have their names)."""
    if path.is_dir():
        return sorted((p for p in path.glob("*.csv") if p.is_file()), key=lambda p: ("lookup" not in p.name, p.name))
    if path.is_file():
        return [path]
    raise CommandError(f"{path} is not a file or folder")


class Command(BaseCommand):
    help = (
        "Load ONS subnational population projections, the ONS district to county/unitary lookup and the POPPI/PANSI "
        "prevalence assumptions (CSV, each recognised by its header). A folder loads every CSV file in it and skips "
        "the ones it does not recognise. Safe to repeat: a file replaces what it loaded before."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--areas",
            default="",
            help="Keep only these areas' projections: ONS district codes separated by commas",
        )

    def handle(self, *args, paths, areas, **options):
        keep = {c.strip().upper() for c in areas.split(",") if c.strip()} or None
        failed = []
        for path in paths:
            folder = path.is_dir()
            for file in files_in(path):
                try:
                    loaded = load_file(actor=None, name=file.name, content=file.read_bytes(), areas=keep)
                except ValidationError as error:
                    message = " ".join(error.messages)
                    if not folder:
                        failed.append(message)
                    self.stderr.write(("Skipped: " if folder else "") + message)
                    continue
                self.stdout.write(loaded.message)
        if failed:
            raise CommandError("; ".join(failed))
