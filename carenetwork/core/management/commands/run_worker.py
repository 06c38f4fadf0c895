"""manage.py run_worker: django-tasks-db's `db_worker` (same options), which also runs again the tasks a killed
worker left running, and refuses a worker id a live worker has (carenetwork.core.worker_recovery)."""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from carenetwork.core.worker_recovery import TASK_MAX_CLAIMS, WorkerGuard, WorkerIdInUse


class Command(db_worker.Command):
    help = (
        "Run background tasks, as db_worker does. A task left running by a worker that died (SIGKILL, out of "
        f"memory, a lost server) is run again, found on start and every minute; after {TASK_MAX_CLAIMS} claims it "
        "is failed (WorkerLost) instead. Each worker must have its own --worker-id: a second process with the id "
        "of a live worker refuses to start."
    )

    def handle(self, *args, **options):
        if options["reload"] and not options["batch"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only watches the code; the child it starts runs (and guards) the worker.
            return super().handle(*args, **options)
        self.configure_logging(options["verbosity"])
        guard = WorkerGuard(worker_id=options["worker_id"], backend_name=options["backend_name"])
        try:
            guard.start()
        except WorkerIdInUse as error:
            raise CommandError(str(error)) from error
        try:
            return super().handle(*args, **options)
        finally:
            guard.stop()
