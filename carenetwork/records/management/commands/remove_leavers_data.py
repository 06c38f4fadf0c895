from django.core.management.base import BaseCommand

from carenetwork.records import retention
from carenetwork.records.tasks import remove_leavers_data


class Command(BaseCommand):
    help = (
        "Remove the personal data (name, reference, email address, account link, training notes and certificates) "
        "of leavers whose leaving date is further back than the council's retention period; their training stays, "
        "without names, in the counts. The scheduler runs this daily (run_scheduler, at 02:15); "
        "running it again removes nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing the task")

    def handle(self, *args, **options):
        if options["now"]:
            removed = retention.leavers_data_remove()
            self.stdout.write(f"Removed the personal data of {removed} leavers.")
            return
        queued = remove_leavers_data.enqueue()
        self.stdout.write(f"Queued the removal of leavers' personal data (task {queued.id}).")
