"""Kill tests: a real `manage.py run_worker` is killed with SIGKILL in the middle of its work, a new worker is
started, and nothing is lost or done twice (carenetwork.core.worker_recovery, carenetwork.core.queue).

Each test commits its data (transaction=True), starts the worker as a subprocess on the test's database
(tests/core/worker_settings.py), watches the database from outside until the work is half done, kills the worker,
checks the kill landed in the middle (so a test whose kill came too early or too late fails rather than passing
for nothing), then runs a second worker to the end (`--batch`) and checks the outcome.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from carenetwork.accounts.models import User
from carenetwork.core.email import absolute_url
from carenetwork.market.models import StatementEmail, StatementVersion
from carenetwork.market.tasks import send_statement_published
from carenetwork.organisations.models import Membership, Organisation, Role
from carenetwork.records.imports import runs as imports
from carenetwork.records.imports.layouts import STAFF_TEMPLATE_HEADER
from carenetwork.records.models import ImportRun, StaffMember
from carenetwork.records.tasks_imports import import_write
from carenetwork.training import interests
from carenetwork.training.models import CourseRun, Interest, RunDecision
from carenetwork.training.tasks import decide_course_runs, send_course_reminders
from tests.concurrency import prepare_race
from tests.core.test_worker_recovery import forget_worker_locks
from tests.core.workers import WORKER_APPLICATION_NAME, worker_environment
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.test_imports_support import csv_bytes
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
EMAIL_TASK = "carenetwork.core.tasks.send_email"
WAIT = 180  # seconds: generous, for a slow machine shared with other test runs
STAFF_ROWS = 50_000


class Worker:
    """A `manage.py run_worker` subprocess and its output."""

    def __init__(self, worker_id: str, log: Path, *options: str):
        env = worker_environment(django_settings.MEDIA_ROOT, email_dir=log.parent / "mail")
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "run_worker", "--worker-id", worker_id, "--no-reload"]
                + ["--no-startup-delay", "--interval", "0.1", *options],
                cwd=django_settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(WAIT)

    def finish(self) -> None:
        """Wait for a `--batch` worker to run every task and exit."""
        try:
            code = self.process.wait(WAIT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"The worker did not finish in {WAIT} s:\n{self.output()[-3000:]}")
        assert code == 0, self.output()[-3000:]


@pytest.fixture(autouse=True)
def _seeded_data():
    """A transactional test starts from whatever the last one flushed: seed what migrations seeded."""
    prepare_race("organisations", "records")


@pytest.fixture
def queue_in_database(settings):
    """Call once the data is made: the test's tasks go to the database from then on, for the workers to run."""

    def switch() -> None:
        settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}

    return switch


@pytest.fixture
def start_worker(tmp_path):
    """Start workers on the test's database; each is killed, if still running, at the end of the test."""
    started = []

    def start(worker_id: str, *options: str) -> Worker:
        worker = Worker(worker_id, tmp_path / f"{worker_id}.log", *options)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait(WAIT)
    forget_worker_locks()
    sessions_of_killed_workers_end()


def sessions_of_killed_workers_end() -> None:
    """Wait until PostgreSQL has ended the killed workers' sessions (one still running a statement notices only at
    its end), so that the test database can be dropped when the tests finish."""
    if connection.vendor != "postgresql":
        return
    workers = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s"
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(workers, [WORKER_APPLICATION_NAME])
            if not cursor.fetchone()[0]:
                return
            time.sleep(0.1)


def wait_until(condition, what: str, worker: Worker, interval: float = 0.01):
    """Poll `condition` until it is true; fail if the worker exits first or it takes longer than WAIT."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if value := condition():
            return value
        if worker.process.poll() is not None:
            pytest.fail(f"The worker exited before {what}:\n{worker.output()[-3000:]}")
        time.sleep(interval)
    pytest.fail(f"Timed out waiting for {what}:\n{worker.output()[-3000:]}")


def recovered(worker: Worker, lost: str) -> bool:
    return f"left running by worker {lost}, which died" in worker.output()


def only_task(task) -> DBTaskResult:
    [result] = DBTaskResult.objects.filter(task_path=task.module_path)
    return result


def together(done_table: str, done_where: str = "") -> tuple[int, int]:
    """(rows of `done_table`, email tasks queued) read in one statement, so from one snapshot of the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {done_table} {done_where}), "
            f"(SELECT count(*) FROM {DBTaskResult._meta.db_table} WHERE task_path = %s)",
            [EMAIL_TASK],
        )
        return tuple(cursor.fetchone())


def queued_emails() -> list[tuple[tuple[str, ...], str, str]]:
    """(to, subject, body) of every email task queued."""
    return [
        (tuple(r.args_kwargs["kwargs"]["to"]), r.args_kwargs["kwargs"]["subject"], r.args_kwargs["kwargs"]["body"])
        for r in DBTaskResult.objects.filter(task_path=EMAIL_TASK)
    ]


# (a) A 50,000-row staff import ---------------------------------------------------------------------------------


def writing_staff() -> bool:
    """Whether another connection is inside a transaction that writes the staff table, seen from outside."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE relation = %s::regclass AND mode = 'RowExclusiveLock' "
                "AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = "
                "current_database())",
                [StaffMember._meta.db_table],
            )
            return cursor.fetchone()[0] > 0
    # SQLite: a writer holds the database's write lock; a connection of our own cannot take it at once.
    outside = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        outside.execute("BEGIN IMMEDIATE")
        outside.rollback()
        return False
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        outside.close()


def test_a_staff_import_killed_while_writing_is_written_in_full_once_by_the_next_worker(
    start_worker, queue_in_database, provider, provider_admin
):
    rows = [[f"Person {n}", f"W{n:05d}", "8", "Willow House", "01/04/2024", "", ""] for n in range(STAFF_ROWS)]
    run = ImportRun(
        organisation=provider,
        created_by=provider_admin,
        kind=ImportRun.Kind.STAFF,
        original_name="staff.csv",
        status=ImportRun.Status.READY,  # checked: the person has read the report and now confirms
    )
    run.file.save("staff.csv", ContentFile(csv_bytes(STAFF_TEMPLATE_HEADER, rows)), save=False)
    run.save()
    queue_in_database()
    imports.import_run_confirm(actor=provider_admin, run=run, valid_only=False)

    first = start_worker("kill-import-1")
    # Every row checked (the progress committed), then the write's transaction open on the staff table.
    wait_until(
        lambda: ImportRun.objects.filter(pk=run.pk, processed_rows=STAFF_ROWS).exists(), "the rows are checked", first
    )
    wait_until(writing_staff, "the import writes the staff", first)
    first.kill()
    # PostgreSQL ends the dead worker's session (rolling its transaction back) once it notices the client is gone.
    deadline = time.monotonic() + WAIT
    while writing_staff() and time.monotonic() < deadline:
        time.sleep(0.05)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTING, "the kill came after the write"
    assert not StaffMember.objects.filter(organisation=provider).exists()  # nothing half-written
    assert only_task(import_write).status == TaskResultStatus.RUNNING  # left running by the dead worker

    second = start_worker("kill-import-2", "--batch")
    second.finish()
    assert recovered(second, "kill-import-1"), second.output()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert run.created_count == STAFF_ROWS
    staff = StaffMember.objects.filter(organisation=provider)
    assert staff.count() == staff.values("reference").distinct().count() == STAFF_ROWS
    result = only_task(import_write)
    assert (result.status, result.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["kill-import-1", "kill-import-2"])


# (b) The deadline decisions ------------------------------------------------------------------------------------

RUNS = 60


def due_runs(count: int) -> list[CourseRun]:
    """Runs each with a provider's interest in one place (the minimum), their interest deadline just passed."""
    course = course_for(OrganisationFactory(name="SafeHands Training", kind=Organisation.Kind.TRAINING))
    home = OrganisationFactory(name="Willow Care Home", sectors=[sector("residential-care")])
    admin = person_in(home, Role.ADMIN)
    made = []
    for _n in range(count):
        run = run_for(course, fee="120", minimum=1)
        interests.interest_save(actor=admin, run=run, organisation=home, places=1)
        made.append(run)
    CourseRun.objects.update(interest_deadline=timezone.now() - datetime.timedelta(minutes=1))
    return made


def run_url(run: CourseRun) -> str:
    return absolute_url(reverse("training:run-detail", args=[run.pk]))


def test_a_decision_run_killed_halfway_decides_every_run_once_and_emails_each_once(start_worker, queue_in_database):
    made = due_runs(RUNS)
    queue_in_database()
    decide_course_runs.enqueue()

    first = start_worker("kill-decide-1")
    seen = []  # (decisions, emails) as the worker goes: each decision commits with its emails, never before them

    def some_decided():
        seen.append(together(RunDecision._meta.db_table))
        return seen[-1][0] >= 3

    wait_until(some_decided, "some runs are decided", first, interval=0.005)
    first.kill()
    decided = RunDecision.objects.count()
    assert 0 < decided < RUNS, f"the kill should come part way through: {decided} of {RUNS} decided"
    assert only_task(decide_course_runs).status == TaskResultStatus.RUNNING

    second = start_worker("kill-decide-2", "--batch")
    second.finish()
    assert recovered(second, "kill-decide-1"), second.output()
    per_run = dict(RunDecision.objects.values_list("run").annotate(n=Count("pk")))
    assert per_run == {run.pk: 1 for run in made}
    assert set(CourseRun.objects.values_list("status", flat=True)) == {CourseRun.Status.CONFIRMED}
    emails = queued_emails()
    assert len(emails) == len(set(emails)), "an email was queued twice"
    per_run_emails = Counter(run.pk for _to, _subject, body in emails for run in made if run_url(run) in body)
    assert set(per_run_emails) == {run.pk for run in made}, "a decided run's emails are missing"
    assert len(set(per_run_emails.values())) == 1  # as many for each run: those its decision sends
    each = len(emails) // RUNS
    assert [(d, e) for d, e in seen if e != each * d] == []
    assert DBTaskResult.objects.filter(task_path=EMAIL_TASK, status=TaskResultStatus.SUCCESSFUL).count() == len(emails)
    result = only_task(decide_course_runs)
    assert (result.status, result.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["kill-decide-1", "kill-decide-2"])


# (c) The reminders before a course -----------------------------------------------------------------------------

BOOKED = 150


def booked_organisations(count: int) -> tuple[CourseRun, list[Organisation]]:
    """A confirmed run starting in two days, with a place booked by each of `count` providers."""
    course = course_for(OrganisationFactory(name="SafeHands Training", kind=Organisation.Kind.TRAINING))
    run = run_for(course, fee="100", minimum=1, capacity=count, days=2)
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.CONFIRMED, locked_price=100)
    homes = Organisation.objects.bulk_create(
        Organisation(name=f"Care home {n}", kind=Organisation.Kind.PROVIDER, contact_email=f"home{n}@example.org")
        for n in range(count)
    )
    now = timezone.now()
    Interest.objects.bulk_create(
        Interest(run=run, organisation=home, status=Interest.Status.BOOKED, places=1, amount_due=100, booked_at=now)
        for home in homes
    )
    return run, homes


def test_a_reminder_run_killed_halfway_reminds_everyone_once(start_worker, queue_in_database):
    run, homes = booked_organisations(BOOKED)
    queue_in_database()
    send_course_reminders.enqueue()

    first = start_worker("kill-remind-1")
    reminded = Interest.objects.filter(reminded_at__isnull=False)
    seen = []  # (reminded, emails) as the worker goes: each reminder's mark commits with its email

    def some_reminded():
        seen.append(together(Interest._meta.db_table, "WHERE reminded_at IS NOT NULL"))
        return seen[-1][0] >= 3

    wait_until(some_reminded, "some are reminded", first, interval=0.005)
    first.kill()
    assert 0 < reminded.count() < BOOKED, f"the kill should come part way through: {reminded.count()} reminded"

    second = start_worker("kill-remind-2", "--batch")
    second.finish()
    assert recovered(second, "kill-remind-1"), second.output()
    assert reminded.count() == BOOKED
    emails = [to for to, _subject, body in queued_emails() if run_url(run) in body]
    assert Counter(emails) == {(home.contact_email,): 1 for home in homes}
    assert [(r, e) for r, e in seen if r != e] == []
    result = only_task(send_course_reminders)
    assert (result.status, result.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["kill-remind-1", "kill-remind-2"])


# (d) The "new statement published" email to every member --------------------------------------------------------

MEMBERS = 300


def test_a_statement_mailing_killed_halfway_emails_each_member_once(start_worker, queue_in_database, tmp_path):
    home = OrganisationFactory(name="Heron Care Home")
    users = User.objects.bulk_create(User(email=f"member{n}@example.org") for n in range(MEMBERS))
    Membership.objects.bulk_create(Membership(user=user, organisation=home, role=Role.MEMBER) for user in users)
    version = StatementVersion.objects.create(number=1, published_at=timezone.now(), summary="First")
    queue_in_database()
    send_statement_published.enqueue(version.pk)

    first = start_worker("kill-statement-1")
    told = StatementEmail.objects.filter(version=version)
    wait_until(lambda: told.count() >= 3, "some members are emailed", first, interval=0.005)
    first.kill()
    assert 0 < told.count() < MEMBERS, f"the kill should come part way through: {told.count()} emailed"

    second = start_worker("kill-statement-2", "--batch")
    second.finish()
    assert recovered(second, "kill-statement-1"), second.output()
    assert told.count() == MEMBERS
    written = [
        line.removeprefix("To: ")
        for path in (tmp_path / "mail").iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("To: ")
    ]
    # Each member once; the one email in flight when the worker died may have gone twice.
    assert set(written) == {user.email for user in users}
    assert sum(count - 1 for count in Counter(written).values()) <= 1
    result = only_task(send_statement_published)
    assert (result.status, result.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["kill-statement-1", "kill-statement-2"])
