from django.core.management.base import BaseCommand

from carenetwork.records.figures import figures_roll, market_compact
from carenetwork.records.tasks import roll_compliance_figures


class Command(BaseCommand):
    help = (
        "Move the council's compliance figures to today (training that expired or came within the reminder window, "
        "people whose leaving date passed). The scheduler runs this daily just after midnight "
        "(run_scheduler, at 00:05). The reports are right without it, only slower by a day's changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing the task")

    def handle(self, *args, **options):
        if options["now"]:
            self.stdout.write(f"Moved {figures_roll()} compliance figures to today.")
            market_compact()
            return
        queued = roll_compliance_figures.enqueue()
        self.stdout.write(f"Queued the move of the compliance figures to today (task {queued.id}).")
