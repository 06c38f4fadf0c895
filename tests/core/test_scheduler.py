"""The scheduler (carenetwork.core.scheduler, `manage.py run_scheduler`): each job starts once per due time however
many schedulers tick, a failed run is tried again up to the maximum and then reported to the operators by email.

The jobs here are real django-tasks tasks defined in this module (a worker finds them by their module path); each
attempt leaves an audit event behind, so the tests count the attempts that really ran.
"""

import datetime
import logging
import os
import signal

import pytest
from django.core.management import call_command
from django_tasks import task

from carenetwork.core import registry
from carenetwork.core.models import AuditEvent, ScheduledRun
from carenetwork.core.registry import ScheduledJob
from carenetwork.core.scheduler import due_slot, tick
from tests.concurrency import at_once, prepare_race
from tests.core.workers import db_worker

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
Status = ScheduledRun.Status
RAN, FAILING, FLAKY = "scheduler-test.ran", "scheduler-test.failing", "scheduler-test.flaky"


def note(action: str) -> int:
    """Leave an audit event for an attempt; how many such attempts there have been before it."""
    before = AuditEvent.objects.filter(action=action).count()
    AuditEvent.objects.create(action=action, object_type="test", object_id="", object_repr="")
    return before


@task()
def records_a_run() -> int:
    return note(RAN) + 1


@task()
def always_fails() -> None:
    note(FAILING)
    raise RuntimeError("The test job always fails")


@task()
def fails_the_first_time() -> str:
    if note(FLAKY) == 0:
        raise RuntimeError("The first attempt fails")
    return "done"


def plain_function_that_fails() -> None:
    note(FAILING)
    raise ValueError("A plain function failing")


def attempts(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def runs() -> list[tuple[str, datetime.datetime, str, int]]:
    return [(r.job, r.slot, r.status, r.attempts) for r in ScheduledRun.objects.order_by("slot", "job")]


def scheduler_errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "carenetwork.scheduler" and r.levelno >= logging.ERROR]


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


QUARTERLY = ScheduledJob("every-quarter-hour", records_a_run, every_minutes=15)
DAILY = ScheduledJob("daily-at-0615", records_a_run, daily_at=datetime.time(6, 15))
FAILING_DAILY = ScheduledJob("failing-daily", always_fails, daily_at=datetime.time(6, 15))


@pytest.fixture(autouse=True)
def retry_at_the_next_tick(settings):
    """Most tests here tick every 30 seconds; the wait before a retry has a test of its own."""
    settings.SCHEDULER_RETRY_AFTER_SECONDS = 0


@pytest.fixture
def operators(settings):
    settings.ADMINS = [("Operations", "operations@eastmarsh.example")]
    return settings


# When a job is due -----------------------------------------------------------------------------------------------


def test_every_15_minutes_is_due_at_each_quarter_hour():
    assert due_slot(QUARTERLY, at(2026, 1, 10, 10, 7, 30)) == at(2026, 1, 10, 10, 0)
    assert due_slot(QUARTERLY, at(2026, 1, 10, 10, 14, 59, 999999)) == at(2026, 1, 10, 10, 0)
    assert due_slot(QUARTERLY, at(2026, 1, 10, 10, 15)) == at(2026, 1, 10, 10, 15)
    assert due_slot(QUARTERLY, at(2026, 1, 10, 0, 3)) == at(2026, 1, 10, 0, 0)
    # In summer too: 11:07 BST is 10:07 UTC, in the quarter hour from 11:00 BST.
    assert due_slot(QUARTERLY, at(2026, 7, 1, 10, 7)) == at(2026, 7, 1, 10, 0)


def test_daily_job_is_due_from_its_time_today_and_before_it_at_yesterdays():
    assert due_slot(DAILY, at(2026, 1, 10, 6, 15)) == at(2026, 1, 10, 6, 15)
    assert due_slot(DAILY, at(2026, 1, 10, 23, 59)) == at(2026, 1, 10, 6, 15)
    assert due_slot(DAILY, at(2026, 1, 10, 6, 14, 59)) == at(2026, 1, 9, 6, 15)
    # Across midnight: just after it, the latest time is still yesterday's.
    assert due_slot(DAILY, at(2026, 1, 11, 0, 1)) == at(2026, 1, 10, 6, 15)


def test_daily_time_is_local_in_summer_time():
    # 06:15 BST is 05:15 UTC.
    assert due_slot(DAILY, at(2026, 7, 1, 5, 20)) == at(2026, 7, 1, 5, 15)
    assert due_slot(DAILY, at(2026, 7, 1, 5, 10)) == at(2026, 6, 30, 5, 15)


def test_daily_time_keeps_its_clock_time_across_the_clock_changes():
    # The clocks go forward at 01:00 UTC on 29 March 2026: 06:15 GMT on the 28th, then 06:15 BST on the 29th.
    assert due_slot(DAILY, at(2026, 3, 29, 5, 10)) == at(2026, 3, 28, 6, 15)
    assert due_slot(DAILY, at(2026, 3, 29, 5, 15)) == at(2026, 3, 29, 5, 15)
    # They go back at 01:00 UTC on 25 October 2026: 06:15 BST on the 24th, then 06:15 GMT on the 25th.
    assert due_slot(DAILY, at(2026, 10, 25, 6, 10)) == at(2026, 10, 24, 5, 15)
    assert due_slot(DAILY, at(2026, 10, 25, 6, 15)) == at(2026, 10, 25, 6, 15)


def test_a_time_the_clocks_skip_or_repeat_is_due_once():
    night = ScheduledJob("night", records_a_run, daily_at=datetime.time(1, 30))
    # 01:30 does not happen on 29 March 2026: it is due at 02:30 BST (01:30 UTC).
    assert due_slot(night, at(2026, 3, 29, 1, 29)) == at(2026, 3, 28, 1, 30)
    assert due_slot(night, at(2026, 3, 29, 1, 30)) == at(2026, 3, 29, 1, 30)
    # 01:30 happens twice on 25 October 2026: the first (BST, 00:30 UTC) is the one, and the second is the same.
    assert due_slot(night, at(2026, 10, 25, 0, 30)) == at(2026, 10, 25, 0, 30)
    assert due_slot(night, at(2026, 10, 25, 1, 45)) == at(2026, 10, 25, 0, 30)


def test_a_job_needs_one_schedule_and_something_to_run():
    with pytest.raises(ValueError, match="one of them"):
        ScheduledJob("both", records_a_run, every_minutes=15, daily_at=datetime.time(6, 15))
    with pytest.raises(ValueError, match="one of them"):
        ScheduledJob("neither", records_a_run)
    with pytest.raises(ValueError, match="Task or a callable"):
        ScheduledJob("nothing", "decide_course_runs", every_minutes=15)


def test_daily_job_runs_once_a_day_at_its_local_time_across_the_change_to_summer_time(time_machine):
    started = []
    moment = at(2026, 3, 27, 23, 0)
    while moment < at(2026, 3, 30, 12, 0):
        time_machine.move_to(moment)
        if tick(jobs=[DAILY]).started:
            started.append(moment)
        moment += datetime.timedelta(minutes=5)

    # The first tick made up the 27th's run, missed before the scheduler started; each later run started at the
    # first tick at or after 06:15 local time: 06:15 GMT, then 06:15 BST (05:15 UTC).
    assert started == [at(2026, 3, 27, 23, 0), at(2026, 3, 28, 6, 15), at(2026, 3, 29, 5, 15), at(2026, 3, 30, 5, 15)]
    assert [slot for _job, slot, _status, _attempts in runs()] == [at(2026, 3, 27, 6, 15), *started[1:]]
    assert attempts(RAN) == 4


# Starting each run once ------------------------------------------------------------------------------------------


def test_a_tick_starts_each_due_job_once_and_a_second_tick_in_the_same_slot_nothing():
    now = at(2026, 1, 10, 10, 5)

    first = tick(now, jobs=[QUARTERLY, DAILY])

    assert first.started == ["every-quarter-hour", "daily-at-0615"]
    assert first.succeeded == ["every-quarter-hour", "daily-at-0615"]
    assert runs() == [
        ("daily-at-0615", at(2026, 1, 10, 6, 15), Status.SUCCEEDED, 1),
        ("every-quarter-hour", at(2026, 1, 10, 10, 0), Status.SUCCEEDED, 1),
    ]
    assert attempts(RAN) == 2

    again = tick(now + datetime.timedelta(minutes=9), jobs=[QUARTERLY, DAILY])

    assert again.lines() == []
    assert attempts(RAN) == 2

    next_quarter = tick(now + datetime.timedelta(minutes=10), jobs=[QUARTERLY, DAILY])

    assert next_quarter.started == ["every-quarter-hour"]
    assert attempts(RAN) == 3


def test_only_the_latest_missed_time_is_run_after_the_scheduler_was_stopped():
    tick(at(2026, 1, 10, 10, 5), jobs=[QUARTERLY, DAILY])

    # Three days later: one run for each job, for its latest time, not one for each time missed.
    report = tick(at(2026, 1, 13, 9, 50), jobs=[QUARTERLY, DAILY])

    assert report.started == ["every-quarter-hour", "daily-at-0615"]
    assert [(job, slot) for job, slot, _status, _attempts in runs()][2:] == [
        ("daily-at-0615", at(2026, 1, 13, 6, 15)),
        ("every-quarter-hour", at(2026, 1, 13, 9, 45)),
    ]
    assert ScheduledRun.objects.count() == 4


def test_a_daily_time_missed_on_an_earlier_day_waits_for_its_time_today():
    # First started at 2 a.m.: yesterday's 06:15 is not made up in the night.
    assert tick(at(2026, 1, 10, 2, 0), jobs=[QUARTERLY, DAILY]).started == ["every-quarter-hour"]
    assert tick(at(2026, 1, 10, 6, 14), jobs=[DAILY]).started == []
    assert tick(at(2026, 1, 10, 6, 15), jobs=[DAILY]).started == ["daily-at-0615"]
    assert [(job, slot) for job, slot, _status, _attempts in runs() if job == "daily-at-0615"] == [
        ("daily-at-0615", at(2026, 1, 10, 6, 15))
    ]


def test_a_daily_time_just_before_midnight_is_still_run_just_after_it():
    late = ScheduledJob("late", records_a_run, daily_at=datetime.time(23, 59, 50))
    assert tick(at(2026, 1, 10, 23, 59, 40), jobs=[late]).started == []
    assert tick(at(2026, 1, 11, 0, 0, 10), jobs=[late]).started == ["late"]
    assert (
        tick(at(2026, 1, 11, 1, 0), jobs=[ScheduledJob("later", records_a_run, daily_at=datetime.time(23, 0))]).started
        == []
    )


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_ticking_at_once_start_the_run_once():
    prepare_race()
    now = at(2026, 1, 10, 10, 5)

    reports, errors = at_once([lambda: tick(now, jobs=[QUARTERLY]) for _ in range(2)])

    assert errors == []
    assert sorted(len(report.started) for report in reports) == [0, 1]
    assert runs() == [("every-quarter-hour", at(2026, 1, 10, 10, 0), Status.SUCCEEDED, 1)]
    assert attempts(RAN) == 1


# Trying again, and reporting ---------------------------------------------------------------------------------------


def test_failing_job_is_tried_again_up_to_the_maximum_then_given_up_and_emailed(operators, mailoutbox, caplog):
    now = at(2026, 1, 10, 7, 0)

    assert tick(now, jobs=[FAILING_DAILY]).failed == ["failing-daily"]
    assert runs() == [("failing-daily", at(2026, 1, 10, 6, 15), Status.FAILED, 1)]
    assert tick(now + datetime.timedelta(seconds=30), jobs=[FAILING_DAILY]).retried == ["failing-daily"]
    assert runs()[0][2:] == (Status.FAILED, 2)
    assert mailoutbox == []

    last = tick(now + datetime.timedelta(seconds=60), jobs=[FAILING_DAILY])

    assert last.gave_up == ["failing-daily"]
    run = ScheduledRun.objects.get()
    assert (run.status, run.attempts, run.finished_at) == (Status.GAVE_UP, 3, now + datetime.timedelta(seconds=60))
    assert run.last_error.startswith("builtins.RuntimeError (the traceback is in task result ")
    assert attempts(FAILING) == 3
    [logged] = scheduler_errors(caplog)
    assert "Scheduled job failing-daily (due 2026-01-10 06:15 GMT) failed 3 times" in logged
    [email] = mailoutbox
    assert email.to == ["operations@eastmarsh.example"]
    assert "scheduled job failing-daily failed" in email.subject
    assert "due at 10 January 2026 06:15 GMT, failed 3 times" in email.body
    assert "builtins.RuntimeError" in email.body
    # The error's class only: its message could hold personal data (an address a mail server refused).
    assert "always fails" not in email.body + logged + run.last_error

    # Given up is final for that time: no more attempts, no more email.
    assert tick(now + datetime.timedelta(minutes=5), jobs=[FAILING_DAILY]).lines() == []
    assert attempts(FAILING) == 3
    assert len(mailoutbox) == 1


def test_a_failed_run_waits_before_each_attempt_longer_each_time(settings, operators, mailoutbox):
    settings.SCHEDULER_RETRY_AFTER_SECONDS = 60
    now = at(2026, 1, 10, 7, 0)

    def tick_after(seconds: int):
        return tick(now + datetime.timedelta(seconds=seconds), jobs=[FAILING_DAILY])

    assert tick_after(0).failed == ["failing-daily"]
    assert tick_after(59).lines() == []  # a minute after the first failure
    assert tick_after(60).retried == ["failing-daily"]
    assert tick_after(60 + 239).lines() == []  # four minutes after the second
    assert tick_after(60 + 240).gave_up == ["failing-daily"]
    assert attempts(FAILING) == 3
    assert len(mailoutbox) == 1


def test_a_job_that_succeeds_when_tried_again_is_not_reported(operators, mailoutbox):
    job = ScheduledJob("flaky", fails_the_first_time, every_minutes=15)
    now = at(2026, 1, 10, 7, 0)

    tick(now, jobs=[job])
    report = tick(now + datetime.timedelta(seconds=30), jobs=[job])

    assert (report.retried, report.succeeded) == (["flaky"], ["flaky"])
    run = ScheduledRun.objects.get()
    assert (run.status, run.attempts) == (Status.SUCCEEDED, 2)
    assert "RuntimeError" in run.last_error and "first attempt" not in run.last_error  # what went wrong before
    assert mailoutbox == []


def test_the_maximum_attempts_is_a_setting(operators, mailoutbox):
    operators.SCHEDULER_MAX_ATTEMPTS = 1

    report = tick(at(2026, 1, 10, 7, 0), jobs=[FAILING_DAILY])

    assert report.gave_up == ["failing-daily"]
    assert attempts(FAILING) == 1
    assert len(mailoutbox) == 1


def test_a_job_that_keeps_failing_is_emailed_once_until_it_succeeds_again(operators, mailoutbox, caplog):
    job = ScheduledJob("failing-quarterly", always_fails, every_minutes=15)
    operators.SCHEDULER_MAX_ATTEMPTS = 1

    tick(at(2026, 1, 10, 7, 0), jobs=[job])
    tick(at(2026, 1, 10, 7, 15), jobs=[job])

    assert [status for _job, _slot, status, _attempts in runs()] == [Status.GAVE_UP, Status.GAVE_UP]
    assert len(mailoutbox) == 1  # the second time is logged only
    assert len(scheduler_errors(caplog)) == 2

    # Once a run has succeeded, the next failure is news again.
    tick(at(2026, 1, 10, 7, 30), jobs=[ScheduledJob("failing-quarterly", records_a_run, every_minutes=15)])
    tick(at(2026, 1, 10, 7, 45), jobs=[job])

    assert len(mailoutbox) == 2


def test_a_plain_function_job_runs_in_the_scheduler_and_its_failure_is_retried(operators, mailoutbox):
    job = ScheduledJob("plain", plain_function_that_fails, daily_at=datetime.time(6, 15))
    now = at(2026, 1, 10, 7, 0)

    for seconds in (0, 30, 60):
        tick(now + datetime.timedelta(seconds=seconds), jobs=[job])

    run = ScheduledRun.objects.get()
    assert (run.status, run.attempts, run.task_result_id) == (Status.GAVE_UP, 3, "")
    assert run.last_error == "builtins.ValueError"
    assert attempts(FAILING) == 3
    assert len(mailoutbox) == 1


def test_a_run_claimed_but_never_queued_counts_as_a_failed_attempt(operators):
    # A scheduler that stopped between inserting the run and queueing its task leaves it queued without a task.
    now = at(2026, 1, 10, 7, 0)
    ScheduledRun.objects.create(job="daily-at-0615", slot=at(2026, 1, 10, 6, 15), created_at=now, updated_at=now)

    assert tick(now + datetime.timedelta(minutes=29), jobs=[DAILY]).lines() == []

    report = tick(now + datetime.timedelta(minutes=31), jobs=[DAILY])

    assert (report.failed, report.retried, report.succeeded) == (["daily-at-0615"],) * 3
    assert runs() == [("daily-at-0615", at(2026, 1, 10, 6, 15), Status.SUCCEEDED, 2)]


@pytest.mark.django_db(transaction=True)  # the worker, like the command, closes connections between tasks
def test_with_the_database_backend_the_worker_runs_the_tasks_and_the_ticks_settle_and_retry(
    settings, operators, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    jobs = [DAILY, FAILING_DAILY]
    now = at(2026, 1, 10, 7, 0)

    def worker_runs_what_is_queued():
        db_worker("scheduler-test").run()

    report = tick(now, jobs=jobs)

    assert report.started == ["daily-at-0615", "failing-daily"] and report.succeeded == []
    assert all(run.status == Status.QUEUED and run.task_result_id for run in ScheduledRun.objects.all())
    assert attempts(RAN) == 0  # queued, not run: the worker runs it

    for step in range(1, 4):
        worker_runs_what_is_queued()
        report = tick(now + datetime.timedelta(seconds=30 * step), jobs=jobs)

    assert attempts(RAN) == 1 and attempts(FAILING) == 3
    assert dict((job, (status, n)) for job, _slot, status, n in runs()) == {
        "daily-at-0615": (Status.SUCCEEDED, 1),
        "failing-daily": (Status.GAVE_UP, 3),
    }
    assert report.gave_up == ["failing-daily"]
    assert "builtins.RuntimeError" in ScheduledRun.objects.get(job="failing-daily").last_error
    assert len(mailoutbox) == 1


# The jobs the portal registers, and the command ---------------------------------------------------------------------


def test_the_registry_lists_every_scheduled_job_of_the_portal():
    assert {job.name: job.when for job in registry.scheduled_jobs()} == {
        "prune_history": "daily at 03:00",
        "sync_cqc": "daily at 06:15",
        "send_meeting_reminders": "every 60 minutes",
        "roll_compliance_figures": "daily at 00:05",
        "remove_leavers_data": "daily at 02:15",
        "snapshot_skills": "daily at 02:30",
        "send_training_reminders": "daily at 06:30",
        "decide_course_runs": "every 15 minutes",
        "send_course_reminders": "daily at 07:00",
        "send_return_reminders": "daily at 07:30",
    }


def test_a_job_name_registered_twice_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "_registry", {})
    monkeypatch.setattr(registry, "_job_owners", {})
    registry.register_jobs("one", [DAILY])
    registry.register(registry.Capability(name="two", scheduled_jobs=[DAILY]))

    with pytest.raises(ValueError, match="registered twice: daily-at-0615"):
        registry.scheduled_jobs()


def test_every_registered_job_runs_from_one_tick(settings):
    settings.CQC_API_KEY = ""  # the CQC sync, not set up, fetches nothing

    report = tick(at(2026, 1, 10, 23, 50))

    names = [job.name for job in registry.scheduled_jobs()]
    assert report.started == names
    assert report.succeeded == names, ScheduledRun.objects.exclude(status=Status.SUCCEEDED).values("job", "last_error")
    assert tick(at(2026, 1, 10, 23, 55)).started == []


@pytest.fixture
def only_test_jobs(monkeypatch):
    """The registry holding only the jobs a test registers."""
    monkeypatch.setattr(registry, "_registry", {})
    monkeypatch.setattr(registry, "_job_owners", {})


@pytest.mark.django_db(transaction=True)  # the command closes old connections around each tick
def test_command_once_ticks_once(only_test_jobs, capsys):
    registry.register_jobs("tests", [QUARTERLY])

    call_command("run_scheduler", "--once")

    assert ScheduledRun.objects.get().status == Status.SUCCEEDED
    assert "Started: every-quarter-hour" in capsys.readouterr().out
    call_command("run_scheduler", "--list")
    assert "every-quarter-hour (every 15 minutes; last due" in capsys.readouterr().out


def sends_sigterm_to_this_process() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


@pytest.mark.django_db(transaction=True)
def test_command_finishes_the_tick_on_sigterm_and_stops(only_test_jobs, capsys):
    registry.register_jobs(
        "tests",
        [ScheduledJob("stop", sends_sigterm_to_this_process, every_minutes=15), QUARTERLY],
    )

    def too_long(signum, frame):
        raise TimeoutError("run_scheduler did not stop on SIGTERM")

    before = signal.getsignal(signal.SIGTERM)
    guard = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(60)
    try:
        call_command("run_scheduler", "--interval", "3600")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, guard)

    # The tick in which SIGTERM came went on to start the job after the one that sent it, then the command stopped
    # without waiting the hour.
    assert sorted(job for job, _slot, _status, _attempts in runs()) == ["every-quarter-hour", "stop"]
    assert attempts(RAN) == 1
    assert capsys.readouterr().out.strip().endswith("Scheduler stopped.")
    assert signal.getsignal(signal.SIGTERM) == before  # the command put back the handler it found
