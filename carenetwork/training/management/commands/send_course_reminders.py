from django.core.management.base import BaseCommand

from carenetwork.training import reminders
from carenetwork.training.tasks import send_course_reminders


class Command(BaseCommand):
    help = (
        "Remind each organisation with booked places on a course starting within the council's reminder period "
        "(3 days unless changed), with the calendar invitation. The scheduler runs this daily (run_scheduler, at "
        "07:00); nobody is reminded twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing the task")

    def handle(self, *args, **options):
        if options["now"]:
            self.stdout.write(f"Reminded {reminders.course_reminders_send()} organisation(s).")
            return
        queued = send_course_reminders.enqueue()
        self.stdout.write(f"Queued the course reminders (task {queued.id}).")
