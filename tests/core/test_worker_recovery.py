"""What `manage.py run_worker` does with tasks left RUNNING (carenetwork.core.worker_recovery), in process: a dead
worker's task runs again, a live worker's is left alone, a task that has killed its worker TASK_MAX_CLAIMS times is
failed with WorkerLost, and a second process with a live worker's id refuses to start. The kill tests
(test_worker_kill.py) show the same with real processes killed."""

import logging
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from carenetwork.core.tasks import send_email
from carenetwork.core.worker_recovery import TASK_MAX_CLAIMS, liveness_locks, recover_orphans

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor == "sqlite" and connection.is_in_memory_db(),
        reason="the SQLite liveness locks are files beside the database, which needs to be a file",
    ),
]


def forget_worker_locks() -> None:
    """Remove the lock files workers left beside an SQLite test database (their processes are gone by then)."""
    if connection.vendor == "sqlite":
        shutil.rmtree(liveness_locks().folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_lock_files_left():
    yield
    forget_worker_locks()


@pytest.fixture
def queued(settings):
    """A task in the database, as a worker with these ids would have left it: RUNNING, claimed by each in turn."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def left_running(*worker_ids: str) -> DBTaskResult:
        result = send_email.enqueue(to=["someone@example.org"], subject="Hello", body="Hello")
        task = DBTaskResult.objects.get(pk=result.id)
        for worker_id in worker_ids:
            task.claim(worker_id)
        return task

    return left_running


@pytest.fixture
def locks():
    held = []

    def alive(worker_id: str):
        """Hold a worker's liveness lock, as its live process would."""
        lock = liveness_locks()
        assert lock.hold(worker_id)
        held.append(lock)
        return lock

    yield alive
    for lock in held:
        lock.release()


def recover() -> int:
    return recover_orphans(liveness_locks(), worker_id="recovering", backend_name="default")


def test_a_dead_workers_task_runs_again_and_a_live_workers_is_left_alone(queued, locks, caplog):
    dead = queued("dead-worker")
    alive = queued("live-worker")
    locks("live-worker")
    with caplog.at_level(logging.WARNING, logger="carenetwork.worker"):
        assert recover() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.worker_ids) == (TaskResultStatus.READY, ["dead-worker"])
    assert alive.status == TaskResultStatus.RUNNING
    [warning] = [r for r in caplog.records if r.name == "carenetwork.worker"]
    assert warning.levelno == logging.WARNING
    assert "left running by worker dead-worker, which died: queued to run again (claim 2 of 3)" in warning.message
    assert recover() == 0  # once only


def test_a_task_whose_workers_died_every_time_is_failed_and_reported(
    queued, caplog, django_capture_on_commit_callbacks
):
    task = queued(*(f"worker-{n}" for n in range(TASK_MAX_CLAIMS)))
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        assert recover() == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "carenetwork.core.worker_recovery.WorkerLost"
    assert "died before it finished, 3 times" in task.traceback
    assert any("failed, after 3 claims" in r.message for r in caplog.records if r.name == "carenetwork.worker")
    finished = [r for r in caplog.records if r.name == "carenetwork.task" and "finished" in r.message]
    assert [r.levelno for r in finished] == [logging.ERROR]  # the task log reports it as a failed task


def test_a_worker_refuses_the_id_of_a_live_worker(settings, locks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    locks("worker-1")
    with pytest.raises(CommandError, match="Another live worker is running with worker id 'worker-1'"):
        call_command("run_worker", "--worker-id", "worker-1", "--batch", "--no-startup-delay")
