import datetime

from django.core.management.base import BaseCommand, CommandError

from carenetwork.records.snapshots import snapshot_take, take_skills_snapshot


class Command(BaseCommand):
    help = (
        "Record the skills snapshot of a month (default: this month) for the trend of the skills gap: counts per "
        "mandatory category, sector and area, no names. Taking a month again replaces it, so the scheduler runs "
        "this daily (run_scheduler, at 02:30): the last run in a month keeps its month-end state. "
        "--month YYYY-MM takes a past month as of its last day, from the register as it is now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="the month as YYYY-MM (default: this month)")
        parser.add_argument("--now", action="store_true", help="take it here and now instead of queueing the task")

    def handle(self, *args, month=None, now=False, **options):
        if month:
            try:
                datetime.date.fromisoformat(f"{month}-01")
            except ValueError as error:
                raise CommandError("Give the month as YYYY-MM, for example 2026-05.") from error
        if now:
            try:
                rows = snapshot_take(month=datetime.date.fromisoformat(f"{month}-01") if month else None)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Recorded the skills snapshot ({rows} rows).")
            return
        result = take_skills_snapshot.enqueue(month=month)
        self.stdout.write(f"Queued the skills snapshot (task {result.id}).")
