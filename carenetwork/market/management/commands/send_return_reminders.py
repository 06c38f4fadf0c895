from django.core.management.base import BaseCommand

from carenetwork.market import reminders
from carenetwork.market.tasks import send_return_reminders


class Command(BaseCommand):
    help = (
        "From the last day of the capacity return window (the 14th unless changed), email each provider with "
        "services not yet returned this month. The scheduler runs this daily (run_scheduler, at 07:30); "
        "nobody is reminded twice in a month."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing the task")

    def handle(self, *args, **options):
        if options["now"]:
            self.stdout.write(f"Reminded {reminders.return_reminders_send()} organisation(s).")
            return
        queued = send_return_reminders.enqueue()
        self.stdout.write(f"Queued the capacity return reminders (task {queued.id}).")
