"""The checks behind /healthz and /readyz: is the database answering, is the shared cache working, are the
migrations applied, how far behind is the background worker.

Each check returns a small value and never raises for the failure it checks: a database or cache that is down
is an answer ("no"), not an error page. What went wrong goes to the log, never into the answer, so nothing
about hosts, database names or exceptions reaches whoever asks.
"""

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

# The cache probe's key lives this long if deleting it fails.
CACHE_PROBE_SECONDS = 10

# Once this process has seen every migration applied it stops looking: loading the migration graph is costly,
# and migrations are not unapplied under a running server.
_migrations_seen_applied = False


def forget_migrations_applied() -> None:
    """Look at the migrations again on the next check (tests, or after rolling back a migration by hand)."""
    global _migrations_seen_applied
    _migrations_seen_applied = False


def database_reachable() -> bool:
    """The default database answers a `SELECT 1`."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:
        logger.warning("Health check: the database did not answer", exc_info=True)
        return False
    return True


def cache_reachable() -> bool:
    """A short-lived key set in the default cache reads back the same."""
    key = f"carenetwork:health:{uuid.uuid4().hex}"
    try:
        cache = caches[DEFAULT_CACHE_ALIAS]
        cache.set(key, "ok", timeout=CACHE_PROBE_SECONDS)
        answered = cache.get(key) == "ok"
        cache.delete(key)
    except Exception:  # each cache backend raises its own errors (redis, memcached, files)
        logger.warning("Health check: the cache did not answer", exc_info=True)
        return False
    if not answered:
        logger.warning("Health check: the cache did not keep a key it was given")
    return answered


def migrations_applied() -> bool | None:
    """No migration is waiting to be applied; None when the database could not be asked."""
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return True
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Error:
        logger.warning("Health check: could not read the applied migrations", exc_info=True)
        return None
    if plan:
        logger.warning("Health check: %d migrations are not applied", len(plan))
        return False
    _migrations_seen_applied = True
    return True


@dataclass(frozen=True)
class TaskQueue:
    """Background tasks waiting for a worker: how many, and how long the oldest has waited (None when none)."""

    waiting: int
    oldest_age_seconds: int | None

    def behind(self, max_age_seconds: int) -> bool:
        return self.oldest_age_seconds is not None and self.oldest_age_seconds > max_age_seconds


def task_queue() -> TaskQueue | None:
    """The tasks in django-tasks-db's table that are ready to run now; None when the database could not be asked.

    A task waits from when it was enqueued or, if it was scheduled to run later, from when that time came. With the
    immediate backend (development, tests) tasks never reach the table, so nothing is waiting.
    """
    now = timezone.now()
    never = get_date_max()  # django-tasks-db's run_after for "as soon as possible"
    try:
        queue = DBTaskResult.objects.ready().aggregate(
            waiting=Count("pk"),
            oldest_unscheduled=Min("enqueued_at", filter=Q(run_after=never)),
            oldest_scheduled=Min(Greatest("run_after", "enqueued_at"), filter=~Q(run_after=never)),
        )
    except Error:
        logger.warning("Health check: could not count the waiting tasks", exc_info=True)
        return None
    since = [t for t in (queue["oldest_unscheduled"], queue["oldest_scheduled"]) if t is not None]
    oldest_age = max(0, int((now - min(since)).total_seconds())) if since else None
    return TaskQueue(waiting=queue["waiting"], oldest_age_seconds=oldest_age)


def health() -> tuple[bool, dict]:
    """Every check: whether the service can serve (database, cache, migrations) and the report.

    A worker that is behind makes the report "degraded" but the service still serves: a load balancer must not
    take web servers out because the background worker is slow.
    """
    database = database_reachable()
    cache = cache_reachable()
    migrations = migrations_applied() if database else None
    queue = task_queue() if database else None
    behind = queue is not None and queue.behind(settings.HEALTH_QUEUE_MAX_AGE_SECONDS)
    serving = database and cache and migrations is True
    return serving, {
        "status": "unavailable" if not serving else "degraded" if behind else "ok",
        "database": database,
        "cache": cache,
        "migrations_applied": migrations,
        "tasks_waiting": queue.waiting if queue else None,
        "oldest_task_age_seconds": queue.oldest_age_seconds if queue else None,
        "tasks_behind": behind,
    }


def ready() -> bool:
    """The cheap check for load balancers: the database answers and the migrations are applied."""
    return database_reachable() and migrations_applied() is True
