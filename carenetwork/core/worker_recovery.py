"""Tasks a dead worker left running are run again (or reported), and no two live workers share a worker id.

django-tasks-db's worker marks a task RUNNING, with its worker id, when it claims it. A worker killed (SIGKILL,
out of memory, its server lost) leaves the task RUNNING for ever: no worker claims it again. `manage.py run_worker`
runs the same worker with this module around it:

- while alive, a worker holds a liveness lock named by its worker id: on PostgreSQL a session advisory lock on a
  connection of its own (not Django's, which the worker closes and reopens between tasks), on SQLite an exclusive
  `flock` on a file per worker id beside the database (an SQLite deployment is one server). The operating system
  or the database drops the lock the moment the process dies, however it dies;
- a worker refuses to start when another live process holds its worker id;
- on start, and then every RECOVERY_INTERVAL seconds, it looks at the RUNNING tasks: a task whose worker's lock it
  can take, and can still take CONFIRM_AFTER seconds later, belongs to a dead worker (a task left under this
  worker's own id, by an earlier process with that id, at once). It is put back to READY to run again, unless it
  has been claimed TASK_MAX_CLAIMS times already: then it is marked FAILED with a `WorkerLost` error, so that a
  task that kills its worker (one too big for the server's memory, say) is reported instead of killing worker
  after worker;
- every HOLD_CHECK_INTERVAL seconds a worker checks it still holds its own lock. One whose lock's session ended
  while it lives leaves at once (exit status 3, for systemd to restart it), before anyone could take it for dead.

Running a task again is safe only for tasks written to be: each task's work is in transactions that commit with
what they queue (carenetwork.core.queue) and that skip what an earlier attempt already did (see the README,
"Operations").
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("carenetwork.worker")

# A task claimed this many times, by workers that all died running it, is failed rather than tried again.
TASK_MAX_CLAIMS = 3
# Seconds between two looks for tasks left by dead workers.
RECOVERY_INTERVAL = 60.0
# Seconds between a worker's checks that it still holds its own lock. A worker whose lock's session ended while it
# lives (the session was terminated, a proxy restarted) leaves at once, with a non-zero status for systemd to restart
# it: another worker may take its task for a dead one's.
HOLD_CHECK_INTERVAL = 2.0
# A worker whose lock is found free is taken for dead only if it is still free this many seconds later, by which
# time a live worker that lost its lock has noticed and left: its task never runs twice at once.
CONFIRM_AFTER = 3 * HOLD_CHECK_INTERVAL


class WorkerLost(Exception):
    """The workers that ran this task died before it finished, TASK_MAX_CLAIMS times: it is not tried again."""


class WorkerIdInUse(Exception):
    """Another live worker process has this worker id."""


class _PostgresLocks:
    """Session advisory locks, keyed by the database and the worker id."""

    def __init__(self, alias: str):
        self.alias = alias
        self.holder = None

    def _key(self, worker_id: str) -> int:
        name = connections[self.alias].settings_dict["NAME"]
        digest = hashlib.sha256(f"carenetwork-worker\0{name}\0{worker_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)

    def hold(self, worker_id: str) -> bool:
        """Take this worker's lock on a connection of its own, kept open while the worker lives."""
        holder = connections[self.alias].copy()
        holder.inc_thread_sharing()  # checked from the recovery thread
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [self._key(worker_id)])
            taken = cursor.fetchone()[0]
        if not taken:
            holder.close()
            return False
        self.holder = holder
        return True

    def holding(self) -> bool:
        """Whether the lock's connection is still open (a database restart closes it, and frees the lock)."""
        try:
            with self.holder.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except Exception:
            return False

    def release(self) -> None:
        if self.holder is not None:
            with contextlib.suppress(Exception):
                self.holder.close()
            self.holder = None

    @contextlib.contextmanager
    def dead(self, worker_id: str):
        """True, holding its lock meanwhile, when no live process holds the worker's lock."""
        key = self._key(worker_id)
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            taken = cursor.fetchone()[0]
        try:
            yield taken
        finally:
            if taken:
                with connections[self.alias].cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


class _FileLocks:
    """An exclusive flock on a file per worker id, in a folder beside the SQLite database."""

    def __init__(self, alias: str):
        database = Path(connections[alias].settings_dict["NAME"])
        self.folder = database.with_name(f"{database.name}.workers")
        self.held = None

    def _open(self, worker_id: str) -> int:
        self.folder.mkdir(exist_ok=True)
        name = hashlib.sha256(worker_id.encode()).hexdigest()
        return os.open(self.folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)

    def _try_lock(self, fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def hold(self, worker_id: str) -> bool:
        fd = self._open(worker_id)
        if not self._try_lock(fd):
            os.close(fd)
            return False
        self.held = fd
        return True

    def holding(self) -> bool:
        return self.held is not None

    def release(self) -> None:
        if self.held is not None:
            os.close(self.held)  # closing the file frees the lock
            self.held = None

    @contextlib.contextmanager
    def dead(self, worker_id: str):
        fd = self._open(worker_id)
        try:
            yield self._try_lock(fd)
        finally:
            os.close(fd)


def liveness_locks(alias: str = DEFAULT_DB_ALIAS):
    """The liveness locks for the database's vendor."""
    if connections[alias].vendor == "postgresql":
        return _PostgresLocks(alias)
    if connections[alias].vendor == "sqlite":
        return _FileLocks(alias)
    raise NotImplementedError(f"No worker liveness lock for {connections[alias].vendor}")


def recover_orphans(
    locks, *, worker_id: str, backend_name: str, own: bool = False, confirm: Callable[[str], bool] | None = None
) -> int:
    """Put back (or fail) each RUNNING task whose worker is dead; how many. `own`: this worker's id counts too, as
    at its start, when a task RUNNING under its id was left by an earlier process with the same id (which this
    process's lock proves dead). `confirm(worker_id)`, given a worker whose lock is free, says whether to take it
    for dead now (WorkerGuard waits CONFIRM_AFTER); without it, at once."""
    running = DBTaskResult.objects.running().filter(backend_name=backend_name).values_list("pk", "worker_ids")
    by_worker: dict[str, list] = {}
    for pk, worker_ids in running:
        if worker_ids and (own or worker_ids[-1] != worker_id):
            by_worker.setdefault(worker_ids[-1], []).append((pk, worker_ids))
    recovered = 0
    for lost_worker, tasks in by_worker.items():
        with locks.dead(lost_worker) if lost_worker != worker_id else contextlib.nullcontext(True) as dead:
            if dead and (lost_worker == worker_id or confirm is None or confirm(lost_worker)):
                recovered += sum(_requeue(pk, worker_ids) for pk, worker_ids in tasks)
    return recovered


def _requeue(pk, worker_ids: list[str]) -> bool:
    """Run the task again, or fail it after TASK_MAX_CLAIMS claims; False when it has moved on meanwhile."""
    with transaction.atomic():
        task = DBTaskResult.objects.select_for_update().filter(pk=pk, status=TaskResultStatus.RUNNING).first()
        if task is None or task.worker_ids != worker_ids:
            return False
        claims = len(task.worker_ids)
        if claims >= TASK_MAX_CLAIMS:
            task.set_failed(WorkerLost(f"The worker running this task died before it finished, {claims} times in all."))
            logger.warning(
                "Task %s (%s) was left running by worker %s, which died: failed, after %d claims.",
                task.pk,
                task.task_path,
                worker_ids[-1],
                claims,
            )
            transaction.on_commit(lambda: _finished(task))
        else:
            task.status = TaskResultStatus.READY
            task.save(update_fields=["status"])
            logger.warning(
                "Task %s (%s) was left running by worker %s, which died: queued to run again (claim %d of %d).",
                task.pk,
                task.task_path,
                worker_ids[-1],
                claims + 1,
                TASK_MAX_CLAIMS,
            )
    return True


def _finished(task: DBTaskResult) -> None:
    """Tell the task log (carenetwork.core.task_log) that the task failed, as the worker does."""
    try:
        result = task.task_result
    except Exception:  # its function is gone: nothing can log it by name
        return
    task_finished.send(sender=type(result.task.get_backend()), task_result=result)


class WorkerGuard:
    """A worker's liveness lock and its looks for tasks dead workers left: `start()` before the worker runs."""

    def __init__(self, *, worker_id: str, backend_name: str, interval: float = RECOVERY_INTERVAL):
        self.worker_id = worker_id
        self.backend_name = backend_name
        self.interval = interval
        self.locks = liveness_locks()
        self._suspects: dict[str, float] = {}  # worker id -> when its lock was first seen free
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="worker-recovery", daemon=True)

    def start(self) -> None:
        """Take the worker id (WorkerIdInUse when a live process has it), recover, then keep watching. Workers whose
        lock is free are looked at again CONFIRM_AFTER later, before this worker takes any task."""
        # Another worker's look holds a dead worker's lock for a moment while it puts that worker's tasks back.
        for _ in range(5):
            if self.locks.hold(self.worker_id):
                break
            time.sleep(0.5)
        else:
            raise WorkerIdInUse(f"Another live worker is running with worker id {self.worker_id!r}.")
        self.recover(own=True)
        if self._suspects:
            time.sleep(CONFIRM_AFTER)
            self.recover()
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2 * HOLD_CHECK_INTERVAL)
        self.locks.release()

    def recover(self, *, own: bool = False) -> int:
        seen: dict[str, float] = {}

        def confirm(worker_id: str) -> bool:
            first = seen[worker_id] = self._suspects.get(worker_id, time.monotonic())
            return time.monotonic() - first >= CONFIRM_AFTER

        try:
            return recover_orphans(
                self.locks, worker_id=self.worker_id, backend_name=self.backend_name, own=own, confirm=confirm
            )
        finally:
            self._suspects = seen

    def _watch(self) -> None:
        next_look = time.monotonic() + self.interval
        while not self._stopping.wait(HOLD_CHECK_INTERVAL):
            try:
                if not self.locks.holding():
                    self._leave()
                if time.monotonic() >= next_look:
                    self.recover()
                    next_look = time.monotonic() + (CONFIRM_AFTER if self._suspects else self.interval)
            except Exception:
                logger.exception("Looking for tasks left by dead workers failed; trying again in a minute")
                next_look = time.monotonic() + self.interval
            finally:
                connections.close_all()  # this thread's connections only

    def _leave(self) -> None:
        """The lock's session ended (a database restart, a terminated session): another worker may now take this
        one's task for a dead worker's. Leave at once, abandoning the task to be run again, with a non-zero status
        so that systemd starts the worker again."""
        if self._stopping.is_set():
            return
        logger.critical("Worker %s lost its liveness lock: leaving now, to be restarted.", self.worker_id)
        logging.shutdown()
        os._exit(3)
