"""One log line when a background task is queued, starts and finishes (logger `carenetwork.task`), carrying the id
of the request that queued it, so one request can be followed into its tasks.

With the immediate backend (development, tests) a task runs inside the request, whose id is already current. With
the database backend (production) the task worker (`run_worker`) runs it later in another process, so the request
id travels with the task: when a task result row is created during a request, the id is written into the row's
`args_kwargs` beside the arguments (django-tasks-db reads only its "args" and "kwargs" keys), in the same insert.
When the worker starts the task, that id becomes the current one until the task finishes, so every line the task
logs carries it too.
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks_db.models import DBTaskResult

from carenetwork.core.request_log import bind_request_id, current_request_id, unbind_request_id

logger = logging.getLogger("carenetwork.task")

# The key in DBTaskResult.args_kwargs that holds the id of the request that queued the task.
REQUEST_ID_KEY = "request_id"

# The request ids the worker has made current, by task result id, to put back when the task finishes.
_bound = {}


@receiver(pre_save, sender=DBTaskResult)
def remember_request_id(sender, instance: DBTaskResult, **kwargs) -> None:
    """Write the current request id into a new task result row (no extra query: it goes in the same insert)."""
    request_id = current_request_id()
    if instance._state.adding and request_id and isinstance(instance.args_kwargs, dict):
        instance.args_kwargs = {**instance.args_kwargs, REQUEST_ID_KEY: request_id}


def _queued_by(task_result) -> str | None:
    """The id of the request that queued a database-backed task, or None (not a database task, or not queued by
    a request)."""
    db_result = getattr(task_result, "db_result", None)
    if db_result is None or not isinstance(db_result.args_kwargs, dict):
        return None
    return db_result.args_kwargs.get(REQUEST_ID_KEY)


def _duration_ms(task_result) -> float | None:
    if task_result.started_at and task_result.finished_at:
        return round((task_result.finished_at - task_result.started_at).total_seconds() * 1000, 1)
    return None


def _log(level: int, event: str, task_result, request_id: str | None = None) -> None:
    fields = {
        "event": event,
        "task": task_result.task.module_path,
        "task_id": str(task_result.id),
        "request_id": request_id or current_request_id(),
        "status": str(task_result.status),
        "duration_ms": _duration_ms(task_result) if event == "finished" else None,
    }
    if task_result.status == TaskResultStatus.FAILED and task_result.errors:
        fields["error"] = task_result.errors[-1].exception_class_path
    logger.log(level, "Task %(task)s %(event)s %(status)s id=%(task_id)s", fields, extra=fields)


@receiver(task_enqueued)
def log_task_queued(sender, task_result, **kwargs) -> None:
    """A database task queued inside a transaction is queued only if it commits (an outbox row): say so then."""
    if getattr(task_result, "db_result", None) is not None and transaction.get_connection().in_atomic_block:
        transaction.on_commit(partial(_log, logging.INFO, "queued", task_result, current_request_id()))
    else:
        _log(logging.INFO, "queued", task_result)


@receiver(task_started)
def log_task_started(sender, task_result, **kwargs) -> None:
    """A database task runs in the worker, outside any request: make its request's id current while it runs."""
    if getattr(task_result, "db_result", None) is not None:
        _bound[task_result.id] = bind_request_id(_queued_by(task_result))
    _log(logging.INFO, "started", task_result)


@receiver(task_finished)
def log_task_finished(sender, task_result, **kwargs) -> None:
    failed = task_result.status == TaskResultStatus.FAILED
    _log(logging.ERROR if failed else logging.INFO, "finished", task_result)
    token = _bound.pop(task_result.id, None)
    if token is not None:
        unbind_request_id(token)
