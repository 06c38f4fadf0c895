"""Recount every maintained figure from scratch and report any that differ from what was kept.

    manage.py recount_figures [--repair]

Each capability with maintained figures (records' compliance figures, training's programme figures) registers a
`figures` recount with the portal. Exits non-zero when a difference was found and not repaired, so that it can
run from a monitoring job.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from carenetwork.core.registry import capabilities


class Command(BaseCommand):
    help = "Recount every maintained figure from scratch and report (or, with --repair, repair) any difference."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="replace each differing figure by its recount")
        parser.add_argument("--show", type=int, default=20, help="how many differences to list per capability")

    def handle(self, *args, **options):
        found = 0
        for capability in capabilities():
            if not capability.figures:
                continue
            started = time.perf_counter()
            differences = capability.figures(options["repair"])
            seconds = time.perf_counter() - started
            found += len(differences)
            verb = "repaired" if options["repair"] else "found"
            self.stdout.write(f"{capability.name}: {len(differences)} difference(s) {verb} in {seconds:.1f} s")
            for difference in differences[: options["show"]]:
                self.stdout.write(
                    f"  {difference.table} {difference.key}: kept {difference.kept}, recount {difference.recounted}"
                )
        if found and not options["repair"]:
            raise CommandError(f"{found} maintained figure(s) differ from a recount; run with --repair to repair them")
        self.stdout.write("Every maintained figure equals its recount." if not found else "Repaired.")
