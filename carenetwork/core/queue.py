"""Queueing a background task as part of the work that asks for it, so that a crash loses neither.

With django-tasks-db's DatabaseBackend (production) the task is a row in the same database: inserted inside the
caller's transaction, it commits with the data or rolls back with it (an outbox). Queued instead from
`transaction.on_commit`, a process killed between the commit and the callback would lose it: a decision made and
its email never sent. With any other backend (the immediate one in development and tests) the task runs or leaves
the process the moment it is queued, so it waits for the commit: nothing is sent for work that is rolled back.
"""

from functools import partial

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` so that it happens if, and only if, the current transaction commits."""
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend) and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS:
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))
