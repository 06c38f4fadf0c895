"""What `manage.py run_worker` does with tasks left RUNNING (carenetwork.core.worker_recovery), in process: a dead
worker's task runs again, a live worker's is left alone, a task that has killed its worker TASK_MAX_CLAIMS times is
failed with WorkerLost, and a second process with a live worker's id refuses to start. The kill tests
(test_worker_kill.py) show the same with real processes killed."""

import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from carenetwork.core.tasks import send_email
from carenetwork.core.worker_recovery import TASK_MAX_CLAIMS, liveness_locks, recover_orphans
from tests.core.workers import worker_environment

ROOT = Path(__file__).resolve().parents[2]

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


def test_a_free_lock_is_taken_for_a_dead_worker_only_when_confirmed(queued):
    # WorkerGuard confirms a free lock CONFIRM_AFTER later: a live worker that lost its lock's session leaves first.
    task = queued("gone-for-now")
    asked = []

    def not_yet(worker_id: str) -> bool:
        asked.append(worker_id)
        return False

    assert recover_orphans(liveness_locks(), worker_id="recovering", backend_name="default", confirm=not_yet) == 0
    assert asked == ["gone-for-now"]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert recover_orphans(liveness_locks(), worker_id="recovering", backend_name="default", confirm=lambda _: True)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminating the lock's session: PostgreSQL")
def test_a_worker_whose_lock_session_ends_leaves_at_once_with_a_failure_status(tmp_path):
    # A DBA's pg_terminate_backend, a proxy restart: the worker lives on but its lock is free. It must leave (and be
    # restarted by systemd) before another worker could take its task for a dead one's.
    env = worker_environment(tmp_path)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--worker-id", "loses-its-lock", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # This test database's only: other test processes' workers hold locks in theirs on the same server.
        key_holders = (
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        deadline = time.monotonic() + 120
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(key_holders)
                if pids := [row[0] for row in cursor.fetchall()]:
                    break
                assert worker.poll() is None, worker.stdout.read()
                time.sleep(0.1)
            else:
                pytest.fail("the worker never took its lock")
            cursor.execute("SELECT pg_terminate_backend(%s)", [pids[0]])
        status = worker.wait(timeout=60)
        output = worker.stdout.read()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert status == 3, output
    assert "lost its liveness lock: leaving now" in output


def test_db_worker_is_run_worker_so_no_worker_runs_without_its_lock():
    from django.core.management import get_commands, load_command_class

    from carenetwork.core.management.commands.run_worker import Command as RunWorker

    assert get_commands()["db_worker"] == "carenetwork.core"
    assert isinstance(load_command_class("carenetwork.core", "db_worker"), RunWorker)
