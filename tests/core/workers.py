"""The background worker as `manage.py db_worker --batch` runs it, for tests that use the real database backend."""

import os

from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

WORKER_APPLICATION_NAME = "carenetwork-kill-test-worker"  # the subprocess workers' PostgreSQL sessions say so


def worker_environment(media_root, email_dir=None) -> dict:
    """The environment for a `manage.py run_worker` subprocess on the test's database (tests/core/worker_settings)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        "KILL_TEST_DATABASE": str(connection.settings_dict["NAME"]),
        "KILL_TEST_APPLICATION_NAME": WORKER_APPLICATION_NAME,
        "KILL_TEST_MEDIA_ROOT": str(media_root),
    }
    if email_dir:
        env["KILL_TEST_EMAIL_DIR"] = str(email_dir)
    return env


def db_worker(worker_id: str = "test-worker") -> Worker:
    """A worker that runs every waiting task, on every queue, then stops."""
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
