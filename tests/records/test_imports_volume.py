"""A 50,000-row ASC-WDS training file is checked and imported within a minute (the issue's bound).

Measured on this two-core machine while other test runs shared it: SQLite about 12 s in all (checking 1.5–2.5 s;
importing, which checks the file again, inserts and refreshes everyone's cover, 6–10 s), PostgreSQL about 10 s.
That is inside the ~20 s we allow a test of the normal suite, so it runs there; it asserts the issue's minute.
"""

import datetime
import time

import pytest

from carenetwork.records.imports.layouts import ASCWDS_TRAINING_HEADER
from carenetwork.records.models import ImportRun, JobRole, StaffMember, TrainingCover, TrainingRecord
from tests.records.test_imports_support import check, csv_bytes, write

pytestmark = pytest.mark.django_db

ROWS = 50_000
PEOPLE = 5_000
CODES = [20, 6, 10, 9, 14, 41, 26, 23, 15, 13]


def _file() -> bytes:
    start = datetime.date(2020, 1, 1)
    rows = []
    for n in range(ROWS):
        person, code = divmod(n, len(CODES))
        completed = start + datetime.timedelta(days=(n * 7) % 2000)
        rows.append(
            [
                "Willow House",
                f"W{person:05d}",
                CODES[code],
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


def test_fifty_thousand_rows_import_within_a_minute(provider, provider_admin, django_capture_on_commit_callbacks):
    role = JobRole.objects.get(code=8)
    StaffMember.objects.bulk_create(
        StaffMember(organisation=provider, name=f"Person {n}", reference=f"W{n:05d}", job_role=role)
        for n in range(PEOPLE)
    )
    data = _file()
    began = time.perf_counter()
    run = check(provider_admin, provider, data, capture=django_capture_on_commit_callbacks)
    checked = time.perf_counter()
    assert run.status == ImportRun.Status.READY, run.report["messages"][:5]
    run = write(provider_admin, run, capture=django_capture_on_commit_callbacks)
    finished = time.perf_counter()
    print(f"\n50,000 rows: checked in {checked - began:.1f} s, imported in {finished - checked:.1f} s")
    assert run.status == ImportRun.Status.DONE
    assert run.created_count == ROWS == TrainingRecord.objects.filter(import_run=run).count()
    assert TrainingCover.objects.filter(organisation=provider).count() == ROWS
    assert finished - began < 60
