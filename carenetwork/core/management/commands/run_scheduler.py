"""manage.py run_scheduler [--interval SECONDS] [--once] [--list]: start the scheduled jobs on time."""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from carenetwork.core import scheduler
from carenetwork.core.models import ScheduledRun
from carenetwork.core.registry import scheduled_jobs

logger = logging.getLogger("carenetwork.scheduler")


class Command(BaseCommand):
    help = (
        "Start every registered scheduled job on time (reminders, deadline decisions, retention, snapshots, the CQC "
        "sync), checking every 30 seconds until stopped. Each due run is started once however many schedulers run; "
        "a failed run is tried again, and one that fails every attempt is logged and emailed to ADMINS. SIGTERM or "
        "Ctrl+C lets the current check finish, then stops."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between checks (default 30)")
        parser.add_argument("--once", action="store_true", help="check once, then exit")
        parser.add_argument(
            "--list", action="store_true", dest="show_jobs", help="list the jobs, when they run and their latest run"
        )

    def handle(self, *args, interval, once, show_jobs, **options):
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds.")
        self.verbosity = options["verbosity"]
        if show_jobs:
            self.list_jobs()
            return
        if once:
            self.tick(raise_errors=True)
            return
        self.stopping = False
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.stdout.write(f"Scheduler started: {len(scheduled_jobs())} jobs, checking every {interval:g} s.")
            while not self.stopping:
                self.tick()
                self.wait(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Scheduler stopped.")

    def stop(self, signum, frame):
        if self.stopping:  # asked twice: stop now, even in the middle of a check
            raise SystemExit(1)
        self.stopping = True

    def wait(self, interval: float) -> None:
        end = time.monotonic() + interval
        while not self.stopping and (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 1.0))

    def tick(self, *, raise_errors: bool = False) -> None:
        close_old_connections()
        try:
            report = scheduler.tick()
        except Exception:
            if raise_errors:
                raise
            # The database away for a moment, say: the next check tries again.
            logger.exception("The scheduler's check failed; trying again at the next one")
            return
        finally:
            close_old_connections()
        if self.verbosity >= 1:
            for line in report.lines():
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {line}")

    def list_jobs(self) -> None:
        now = timezone.now()
        for job in scheduled_jobs():
            latest = ScheduledRun.objects.filter(job=job.name).order_by("-slot").first()
            due = timezone.localtime(scheduler.due_slot(job, now))
            if latest is None:
                said = "no run yet"
            else:
                said = (
                    f"latest run due {timezone.localtime(latest.slot):%d %b %H:%M}: {latest.get_status_display()}, "
                    f"{latest.attempts} attempt{'s' if latest.attempts != 1 else ''}"
                )
            self.stdout.write(f"{job.name} ({job.when}; last due {due:%d %b %H:%M}): {said}")
