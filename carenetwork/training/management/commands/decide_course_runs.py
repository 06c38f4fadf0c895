from django.core.management.base import BaseCommand

from carenetwork.training import decisions
from carenetwork.training.tasks import decide_course_runs


class Command(BaseCommand):
    help = (
        "Decide every course run whose interest deadline (or partner deadline) has passed: confirm, offer to partners "
        "or cancel, and tell everyone. The scheduler runs this every 15 minutes (run_scheduler); "
        "a run is decided once, so running it again does nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing the task")

    def handle(self, *args, **options):
        if options["now"]:
            made = decisions.decide_due()
            for d in made:
                self.stdout.write(f"{d.run}: {d.get_to_status_display()} ({d.places} places, £{d.price} a place)")
            self.stdout.write(f"Decided {len(made)} run(s).")
            return
        queued = decide_course_runs.enqueue()
        self.stdout.write(f"Queued the decisions (task {queued.id}).")
