from django.core.management.base import BaseCommand

from carenetwork.forums.tasks import send_meeting_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders for forum meetings starting in 24 to 48 hours: each person with a place is emailed "
        "once, with the calendar invitation attached. The scheduler runs this hourly (run_scheduler); "
        "running it more often, or twice, sends nobody a second reminder."
    )

    def handle(self, *args, **options):
        result = send_meeting_reminders.enqueue()
        self.stdout.write(f"Queued the meeting reminders (task {result.id}).")
