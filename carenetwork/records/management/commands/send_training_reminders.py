from django.core.management.base import BaseCommand

from carenetwork.records import reminders
from carenetwork.records.tasks import send_training_reminders


class Command(BaseCommand):
    help = (
        "Remind provider admins, and staff with an email address, about training that expires within the council's "
        "reminder period (90 days unless changed) or has expired. The scheduler runs this daily (run_scheduler, at "
        "06:30); each expiry date is reminded once, so running it again, or twice a "
        "day, sends nobody a second reminder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing the task")

    def handle(self, *args, **options):
        if options["now"]:
            result = reminders.training_reminders_send()
            self.stdout.write(
                f"Reminded {result['expiring']} expiring and {result['expired']} expired: "
                f"{result['organisation_emails']} emails to providers, {result['staff_emails']} to staff."
            )
            return
        queued = send_training_reminders.enqueue()
        self.stdout.write(f"Queued the training reminders (task {queued.id}).")
