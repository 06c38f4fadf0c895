"""The scheduler: starts each registered job (carenetwork.core.registry.ScheduledJob) on time and once, however many
schedulers run; tries a failed run again; reports a run that keeps failing.

`manage.py run_scheduler` calls `tick()` every 30 seconds. A tick:

1. settles the runs queued earlier, from their task's result (django-tasks `get_result`): SUCCESSFUL makes the run
   succeeded, FAILED makes it failed;
2. queues each failed run again, as its next attempt, once it has waited `retry_delay` (SCHEDULER_RETRY_AFTER_SECONDS,
   60 unless set, four times longer after each failure: 1 minute, then 4, so a mail server or database restarting
   has time to come back), up to SCHEDULER_MAX_ATTEMPTS attempts in all (3 unless set); a run whose last attempt
   failed gives up: it is logged at ERROR on the `carenetwork.scheduler` logger and
   emailed to the site's operators (settings.ADMINS, through `mail_admins`), once while a job keeps failing;
3. starts each job whose latest due time (`due_slot`) has no run yet. Starting means inserting the ScheduledRun row
   for (job, due time), unique together, and only the scheduler whose insert succeeds queues the task: of two
   schedulers (two servers) ticking at once, one starts the run and the other finds the row there.

Only the latest due time of a job is run, never a backlog: after the scheduler was stopped for three days, a daily
job runs once, for its latest time, and a 15-minute job once, for the current quarter hour. A daily job's time missed
on an earlier day, and over an hour ago, is not made up in the night: the job waits for its time today (a scheduler
first started at 2 a.m. sends no 7 a.m. reminders until 7 a.m.). The jobs catch up by themselves (each does
everything due when it runs).

Every later change to a run's row is conditional on what the scheduler read (its status, attempts and task result),
so two schedulers that read the same row never both queue it again nor both report it.

With ImmediateBackend (development, the tests) a task has run by the time `enqueue` returns, and its result is
settled there and then (the backend keeps a failure in the result rather than raising it); with the database
backend (production, `manage.py run_worker`) the worker runs it and a later tick reads the result. A job's `run` may
also be a plain function: it is called in the scheduler's process, and what it raises is its failure.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import mail_admins
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

from carenetwork.core.models import ScheduledRun
from carenetwork.core.registry import ScheduledJob, scheduled_jobs

logger = logging.getLogger("carenetwork.scheduler")
Status = ScheduledRun.Status

# A run claimed but neither queued nor finished this long after (the scheduler stopped in between, or a plain
# function is still running: long work belongs in a task) counts as a failed attempt.
UNSTARTED_AFTER = datetime.timedelta(minutes=30)


@dataclass
class TickReport:
    """What one tick did, by job name."""

    started: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    succeeded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    gave_up: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        said = [
            ("Started", self.started),
            ("Tried again", self.retried),
            ("Succeeded", self.succeeded),
            ("Failed, to be tried again", self.failed),
            ("Gave up", self.gave_up),
        ]
        return [f"{words}: {', '.join(names)}" for words, names in said if names]


LATE_GRACE = datetime.timedelta(hours=1)  # how late a daily time from yesterday may still be started


def max_attempts() -> int:
    """How many attempts a run has before it gives up (settings.SCHEDULER_MAX_ATTEMPTS, 3 unless set)."""
    return max(1, settings.SCHEDULER_MAX_ATTEMPTS)


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long a run that has failed `attempts` times waits before it is tried again."""
    return datetime.timedelta(seconds=settings.SCHEDULER_RETRY_AFTER_SECONDS * 4 ** max(0, attempts - 1))


def due_slot(job: ScheduledJob, now: datetime.datetime) -> datetime.datetime:
    """The latest time at or before `now` when the job was due, in UTC.

    Every N minutes: the latest whole multiple of N minutes counted from midnight UTC. Daily at HH:MM: that time,
    local (settings.TIME_ZONE), today if it has come, else yesterday; so 06:15 is 05:15 UTC in summer (BST) and
    06:15 UTC in winter (GMT). On the day the clocks go forward a time in the missing hour is due an hour later by
    the clock (01:30 is 02:30 BST); on the day they go back a time in the repeated hour is due at its first.
    """
    if job.every_minutes is not None:
        step = job.every_minutes * 60
        return datetime.datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=datetime.UTC)
    zone = timezone.get_default_timezone()
    today = now.astimezone(zone).date()
    # In UTC: Python never finds a local time in the skipped or repeated hour equal to another zone's time.
    slot = datetime.datetime.combine(today, job.daily_at, tzinfo=zone).astimezone(datetime.UTC)
    if slot > now:
        yesterday = today - datetime.timedelta(days=1)
        slot = datetime.datetime.combine(yesterday, job.daily_at, tzinfo=zone).astimezone(datetime.UTC)
    return slot


def tick(now: datetime.datetime | None = None, jobs: list[ScheduledJob] | None = None) -> TickReport:
    """Settle, retry and start the runs of `jobs` (every registered job unless given) as of `now`."""
    now = now or timezone.now()
    by_name = {job.name: job for job in (scheduled_jobs() if jobs is None else jobs)}
    report = TickReport()
    for run in ScheduledRun.objects.filter(job__in=list(by_name), status=Status.QUEUED).order_by("pk"):
        _settle_queued(run, by_name[run.job], now, report)
    for run in ScheduledRun.objects.filter(job__in=list(by_name), status=Status.FAILED).order_by("pk"):
        _retry(run, by_name[run.job], now, report)
    for job in by_name.values():
        _start_if_due(job, now, report)
    return report


def _start_if_due(job: ScheduledJob, now: datetime.datetime, report: TickReport) -> None:
    slot = due_slot(job, now)
    if job.daily_at is not None and _missed_on_an_earlier_day(slot, now):
        return  # the job waits for its time today rather than run in the night
    if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
        return
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job.name, slot=slot, created_at=now, updated_at=now)
    except IntegrityError:
        return  # another scheduler inserted it first: that one starts the run
    report.started.append(job.name)
    _launch(run, job, now, report)


def _missed_on_an_earlier_day(slot: datetime.datetime, now: datetime.datetime) -> bool:
    """Whether a daily time fell on an earlier local day than now and over LATE_GRACE ago (a time just before
    midnight is still run just after it)."""
    zone = timezone.get_default_timezone()
    return slot.astimezone(zone).date() < now.astimezone(zone).date() and now - slot > LATE_GRACE


def _retry(run: ScheduledRun, job: ScheduledJob, now: datetime.datetime, report: TickReport) -> None:
    read = {"status": Status.FAILED, "attempts": run.attempts}
    if run.attempts >= max_attempts():  # the maximum was lowered since it failed
        _finish(run, job, now, report, read=read, succeeded=False, error=run.last_error)
        return
    if now < run.updated_at + retry_delay(run.attempts):
        return
    claimed = ScheduledRun.objects.filter(pk=run.pk, **read).update(
        status=Status.QUEUED, attempts=F("attempts") + 1, task_result_id="", updated_at=now
    )
    if not claimed:
        return  # another scheduler is trying it again
    run.status, run.attempts, run.task_result_id = Status.QUEUED, run.attempts + 1, ""
    report.retried.append(job.name)
    _launch(run, job, now, report)


def _error_class(exc: Exception) -> str:
    """What is kept, logged and emailed of an error: its class, never its message or traceback, which can hold
    personal data (an address a mail server refused); the task's own traceback stays in its result row."""
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def _launch(run: ScheduledRun, job: ScheduledJob, now: datetime.datetime, report: TickReport) -> None:
    """Make the run's current attempt: queue the task (settling it at once if the backend ran it), or call the
    plain function."""
    read = {"status": Status.QUEUED, "attempts": run.attempts, "task_result_id": ""}
    if not isinstance(job.run, Task):
        try:
            job.run()
        except Exception as exc:
            _finish(run, job, now, report, read=read, succeeded=False, error=_error_class(exc))
        else:
            _finish(run, job, now, report, read=read, succeeded=True)
        return
    try:
        result = job.run.enqueue()
    except Exception as exc:
        _finish(run, job, now, report, read=read, succeeded=False, error=_error_class(exc))
        return
    ScheduledRun.objects.filter(pk=run.pk, **read).update(task_result_id=str(result.id), updated_at=now)
    run.task_result_id = str(result.id)
    if result.is_finished:
        _settle(run, job, result, now, report)


def _settle_queued(run: ScheduledRun, job: ScheduledJob, now: datetime.datetime, report: TickReport) -> None:
    read = {"status": Status.QUEUED, "attempts": run.attempts, "task_result_id": run.task_result_id}
    if not run.task_result_id:
        if run.updated_at <= now - UNSTARTED_AFTER:
            error = f"The run was neither queued nor finished within {UNSTARTED_AFTER} of its start."
            _finish(run, job, now, report, read=read, succeeded=False, error=error)
        return
    backend = job.run.get_backend() if isinstance(job.run, Task) else default_task_backend
    try:
        result = backend.get_result(run.task_result_id)
    except (TaskResultDoesNotExist, NotImplementedError):
        error = f"The task's result {run.task_result_id} cannot be found (pruned, or a backend that keeps none)."
        _finish(run, job, now, report, read=read, succeeded=False, error=error)
        return
    _settle(run, job, result, now, report)


def _settle(run: ScheduledRun, job: ScheduledJob, result, now: datetime.datetime, report: TickReport) -> None:
    """Settle the run from its task's result, if that has finished."""
    read = {"status": Status.QUEUED, "attempts": run.attempts, "task_result_id": run.task_result_id}
    if result.status == TaskResultStatus.SUCCESSFUL:
        _finish(run, job, now, report, read=read, succeeded=True)
    elif result.status == TaskResultStatus.FAILED:
        errors = result.errors
        error = (
            f"{errors[-1].exception_class_path} (the traceback is in task result {result.id})"
            if errors
            else "The task failed without saying why."
        )
        _finish(run, job, now, report, read=read, succeeded=False, error=error)


def _finish(
    run: ScheduledRun,
    job: ScheduledJob,
    now: datetime.datetime,
    report: TickReport,
    *,
    read: dict,
    succeeded: bool,
    error: str = "",
) -> None:
    """Record the outcome of the run's attempt, unless another scheduler has moved the row on from what was read:
    succeeded; failed, to be tried again; or, after the last attempt, given up and reported."""
    if succeeded:
        changes = {"status": Status.SUCCEEDED, "finished_at": now}
    elif run.attempts < max_attempts():
        changes = {"status": Status.FAILED, "last_error": error}
    else:
        changes = {"status": Status.GAVE_UP, "finished_at": now, "last_error": error}
    if not ScheduledRun.objects.filter(pk=run.pk, **read).update(updated_at=now, **changes):
        return
    run.status = changes["status"]
    run.last_error = changes.get("last_error", run.last_error)
    if run.status == Status.SUCCEEDED:
        report.succeeded.append(job.name)
    elif run.status == Status.FAILED:
        report.failed.append(job.name)
        logger.warning("Scheduled job %s (due %s) failed attempt %s: %s", job.name, run.slot, run.attempts, error)
    else:
        report.gave_up.append(job.name)
        _report_giving_up(run, job)


def _report_giving_up(run: ScheduledRun, job: ScheduledJob) -> None:
    """Log the run given up at ERROR, and email the operators unless the job's previous run gave up too (they were
    told then: one email when a job starts failing, not one every quarter hour while it fails)."""
    due = timezone.localtime(run.slot)
    logger.error(
        "Scheduled job %s (due %s) failed %s times; giving up until its next time (%s). Last error: %s",
        job.name,
        f"{due:%Y-%m-%d %H:%M %Z}",
        run.attempts,
        job.when,
        run.last_error,
    )
    previous = (
        ScheduledRun.objects.filter(job=run.job, slot__lt=run.slot).order_by("-slot").values_list("status", flat=True)
    ).first()
    if previous == Status.GAVE_UP:
        return
    service = getattr(settings, "COUNCIL_SERVICE_NAME", "Care Network")
    subject = f"{service}: scheduled job {job.name} failed"
    body = (
        f"The scheduled job {job.name} ({job.when}), due at {due:%d %B %Y %H:%M %Z}, failed {run.attempts} "
        f"time{'s' if run.attempts != 1 else ''} and has been given up.\n\n"
        f"It will be started again at its next time ({job.when}). Until a run of it succeeds, later failures of "
        f"this job are logged (logger carenetwork.scheduler) but not emailed.\n\n"
        f"Site: {getattr(settings, 'SITE_URL', '')}\n\n"
        f"The last error:\n\n{run.last_error}"
    )
    try:
        mail_admins(subject, body)
    except Exception:
        logger.exception("Could not email the operators that scheduled job %s gave up", job.name)
