"""The daily prune_history job (carenetwork.core.history): finished background work older than TASK_HISTORY_DAYS
goes; waiting and running tasks, and runs the scheduler has yet to settle, stay whatever their age."""

import datetime

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from carenetwork.core.history import prune_history
from carenetwork.core.models import ScheduledRun
from carenetwork.core.tasks import delete_files, send_email

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC)
Run = ScheduledRun.Status


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_HISTORY_DAYS = 30


def task_row(status: str, days_old: int) -> str:
    result = send_email.enqueue(to=["a@example.org"], subject=f"{status} {days_old}", body="")
    when = NOW - datetime.timedelta(days=days_old)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status,
        enqueued_at=when,
        finished_at=when if status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED) else None,
    )
    return result.id


def task_ids() -> set[str]:
    return {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}


def run_row(status: str, days_old: int, job: str) -> int:
    when = NOW - datetime.timedelta(days=days_old)
    finished = when if status in (Run.SUCCEEDED, Run.GAVE_UP) else None
    return ScheduledRun.objects.create(
        job=job, slot=when, status=status, created_at=when, updated_at=when, finished_at=finished
    ).pk


def test_finished_work_older_than_the_setting_goes_and_the_rest_stays(database_tasks):
    old_success = task_row(TaskResultStatus.SUCCESSFUL, 31)
    old_failure = task_row(TaskResultStatus.FAILED, 31)
    recent_success = task_row(TaskResultStatus.SUCCESSFUL, 29)
    old_waiting = task_row(TaskResultStatus.READY, 31)
    old_running = task_row(TaskResultStatus.RUNNING, 31)
    old_run = run_row(Run.SUCCEEDED, 31, "a")
    old_given_up = run_row(Run.GAVE_UP, 31, "b")
    recent_run = run_row(Run.SUCCEEDED, 29, "c")
    old_unsettled = run_row(Run.QUEUED, 31, "d")

    assert prune_history(NOW) == {"tasks": 2, "scheduled_runs": 2}

    kept_tasks = task_ids()
    assert kept_tasks == {recent_success, old_waiting, old_running}
    assert {old_success, old_failure}.isdisjoint(kept_tasks)
    kept_runs = set(ScheduledRun.objects.values_list("pk", flat=True))
    assert kept_runs == {recent_run, old_unsettled}
    assert {old_run, old_given_up}.isdisjoint(kept_runs)


def test_a_file_deletion_that_succeeded_goes_the_next_day_as_its_arguments_name_the_files(database_tasks):
    done = delete_files.enqueue(["certificates/1/ab12-jane-smith-first-aid.pdf"])
    failed = delete_files.enqueue(["certificates/1/cd34-kept.pdf"])
    DBTaskResult.objects.filter(pk=done.id).update(status=TaskResultStatus.SUCCESSFUL, finished_at=NOW)
    DBTaskResult.objects.filter(pk=failed.id).update(status=TaskResultStatus.FAILED, finished_at=NOW)

    assert prune_history(NOW)["tasks"] == 1
    # A failure stays its 30 days: it names the files an operator must still delete.
    assert task_ids() == {str(failed.id)}


def test_the_days_kept_is_a_setting(database_tasks, settings):
    settings.TASK_HISTORY_DAYS = 7
    task_row(TaskResultStatus.SUCCESSFUL, 8)
    kept = task_row(TaskResultStatus.SUCCESSFUL, 6)

    assert prune_history(NOW)["tasks"] == 1
    assert task_ids() == {kept}


def test_it_runs_as_of_now_by_default(database_tasks):
    when = timezone.now() - datetime.timedelta(days=31)
    run = ScheduledRun.objects.create(
        job="a", slot=when, status=Run.SUCCEEDED, created_at=when, updated_at=when, finished_at=when
    )

    assert prune_history()["scheduled_runs"] == 1
    assert not ScheduledRun.objects.filter(pk=run.pk).exists()
