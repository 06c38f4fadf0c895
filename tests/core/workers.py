"""The background worker as `manage.py db_worker --batch` runs it, for tests that use the real database backend."""

from django_tasks_db.management.commands.db_worker import Worker


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
