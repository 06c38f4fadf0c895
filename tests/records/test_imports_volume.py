"""A 50,000-row ASC-WDS training file is checked and imported in full, in queries that grow with the batches it is
written in, never with its rows.

The issue's bound is a minute. Measured on this two-core machine while other test runs shared it: SQLite about 12 s
in all (checking 1.5–2.5 s; importing, which checks the file again, inserts and refreshes everyone's cover, 6–10 s),
PostgreSQL about 10 s. The tests assert no time (that fails under load, not for a fault); they assert what would
make an import slow: a query for each row or each person.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carenetwork.organisations.models import Role
from carenetwork.records.imports.layouts import ASCWDS_TRAINING_HEADER
from carenetwork.records.models import ImportRun, JobRole, StaffMember, TrainingCover, TrainingRecord
from tests.factories import LocationFactory, OrganisationFactory, person_in, sector
from tests.records.test_imports_support import check, csv_bytes, write

pytestmark = pytest.mark.django_db

CODES = [20, 6, 10, 9, 14, 41, 26, 23, 15, 13]  # each person has a record in each: a row per person and code
PEOPLE = 5_000
ROWS = PEOPLE * len(CODES)


def _register(provider, people: range) -> None:
    role = JobRole.objects.get(code=8)
    StaffMember.objects.bulk_create(
        StaffMember(organisation=provider, name=f"Person {n}", reference=f"W{n:05d}", job_role=role) for n in people
    )


def _file(people: range) -> bytes:
    start = datetime.date(2020, 1, 1)
    rows = []
    for n, (person, code) in enumerate((person, code) for person in people for code in CODES):
        completed = start + datetime.timedelta(days=(n * 7) % 2000)
        rows.append(
            [
                "Willow House",
                f"W{person:05d}",
                code,
                "Refresher",
                "1",
                "2",
                "88",
                "2",
                "12" if n % 3 == 0 else "",
                f"{completed:%d/%m/%Y}",
                "",
                "",
            ]
        )
    return csv_bytes(ASCWDS_TRAINING_HEADER, rows)


def _import(actor, provider, people: range, capture) -> tuple[int, int]:
    """Put these people on the register, then check and import a file of their training: the queries the check
    and the import took."""
    _register(provider, people)
    data = _file(people)
    with CaptureQueriesContext(connection) as checking:
        run = check(actor, provider, data, capture=capture)
    assert run.status == ImportRun.Status.READY, run.report["messages"][:5]
    with CaptureQueriesContext(connection) as importing:
        run = write(actor, run, capture=capture)
    assert run.status == ImportRun.Status.DONE
    assert run.created_count == len(people) * len(CODES) == TrainingRecord.objects.filter(import_run=run).count()
    return len(checking), len(importing)


def _a_provider():
    """A provider with the workplace the files name, and its administrator."""
    provider = OrganisationFactory(sectors=[sector("residential-care")])
    LocationFactory(organisation=provider, name="Willow House")
    return provider, person_in(provider, Role.ADMIN)


def test_twice_the_rows_take_the_same_queries(django_capture_on_commit_callbacks):
    # Each file is a new admin's first for their provider (a first import also keeps the workplace's reference), and
    # both fit in one batch of every kind (the smallest: SQLite's ~100 covers an INSERT). A first import in the
    # market goes before them, so that each finds the market's sums there to fold its changes into.
    provider, admin = _a_provider()
    _import(admin, provider, range(200, 202), django_capture_on_commit_callbacks)
    provider, admin = _a_provider()
    few = _import(admin, provider, range(0, 4), django_capture_on_commit_callbacks)
    provider, admin = _a_provider()
    twice = _import(admin, provider, range(100, 108), django_capture_on_commit_callbacks)
    assert twice == few


def test_fifty_thousand_rows_are_checked_and_imported_in_batches(
    provider, provider_admin, django_capture_on_commit_callbacks
):
    checking, importing = _import(provider_admin, provider, range(PEOPLE), django_capture_on_commit_callbacks)
    assert TrainingCover.objects.filter(organisation=provider).count() == ROWS
    # In batches of 500 to 5,000 rows or people (and SQLite's ~100 covers an INSERT): 603 queries on SQLite, 243 on
    # PostgreSQL. One query more for each person would be 5,000 more; one for each row, 50,000.
    assert checking + importing < 1_000
