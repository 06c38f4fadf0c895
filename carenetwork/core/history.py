"""Pruning the record of background work: finished tasks (a row for every email sent) and the scheduler's runs.

Both grow without end otherwise: a council sends thousands of emails a month. Waiting and running tasks are never
touched, nor a run the scheduler has yet to settle.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from carenetwork.core.models import ScheduledRun

FINISHED_TASKS = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
SETTLED_RUNS = (ScheduledRun.Status.SUCCEEDED, ScheduledRun.Status.GAVE_UP)


def prune_history(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete finished tasks and settled scheduled runs older than TASK_HISTORY_DAYS, and every file deletion that
    succeeded whatever its age (its arguments name the deleted files, and a name may hold a person's); how many of
    each."""
    from carenetwork.core.tasks import delete_files  # here: that module queues this one's job

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.TASK_HISTORY_DAYS)
    old = Q(status__in=FINISHED_TASKS, finished_at__lt=cutoff)
    files_deleted = Q(task_path=delete_files.module_path, status=TaskResultStatus.SUCCESSFUL)
    tasks, _ = DBTaskResult.objects.filter(old | files_deleted).delete()
    runs, _ = ScheduledRun.objects.filter(status__in=SETTLED_RUNS, finished_at__lt=cutoff).delete()
    return {"tasks": tasks, "scheduled_runs": runs}
