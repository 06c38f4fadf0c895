"""The backup and restore drill: a real pg_dump and pg_restore of the test database, compared table by table and
file by file; and copies tampered with after the restore, to show that the compare finds what differs."""

import shutil
import stat
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, connections

from carenetwork.core import backup_compare, backup_drill, backup_files
from carenetwork.forums.models import Paper
from carenetwork.organisations.models import Organisation
from carenetwork.records.models import TrainingRecord
from tests.concurrency import seed_again
from tests.factories import OrganisationFactory
from tests.portal.factories import add_things

pytestmark = pytest.mark.django_db(transaction=True)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the drill uses pg_dump and pg_restore: PostgreSQL only"
)


@pytest.fixture(autouse=True)
def _seeded_data(transactional_db):
    """A transactional test starts from whatever the last one flushed: seed what migrations seeded."""
    seed_again()


@pytest.fixture
def data(provider, provider_admin, provider_member, forum, meeting, training_org):
    """Rows in every capability (organisations, people, staff records, training, forums) and two uploaded files."""
    add_things(
        provider=provider,
        provider_admin=provider_admin,
        provider_member=provider_member,
        forum=forum,
        meeting=meeting,
        training_org=training_org,
        n=2,
    )
    for title, content in [("Minutes", b"%PDF-1.4 minutes of the last meeting"), ("Rates", b"%PDF-1.4 rates")]:
        Paper.objects.create(
            meeting=meeting,
            title=title,
            file=ContentFile(content, name=f"{title.lower()}.pdf"),
            content_type="application/pdf",
            size=len(content),
            uploaded_by=provider_admin,
        )
    return provider


def unique_name() -> str:
    """Each test's drill database has its own name, so that pytest-xdist workers never meet."""
    return f"drill_test_{uuid.uuid4().hex[:16]}"


def params() -> dict:
    return backup_drill.connection_params(connections["default"].settings_dict)


def exists(name: str) -> bool:
    with backup_drill.connect(params(), autocommit=True) as admin:
        return backup_drill.database_exists(admin, name)


@pytest.fixture
def kept(data, settings):
    """A drill whose database and files are kept for tampering; dropped and removed afterwards."""
    report = backup_drill.drill(
        connections["default"].settings_dict, media_root=settings.MEDIA_ROOT, target=unique_name(), keep=True
    )
    yield report
    with backup_drill.connect(params(), autocommit=True) as admin:
        backup_drill.database_drop(admin, report.restored)
    shutil.rmtree(report.dump_path.parent, ignore_errors=True)


@postgresql_only
def test_drill_restores_every_table_row_and_file(data, settings):
    name = unique_name()
    report = backup_drill.drill(connections["default"].settings_dict, media_root=settings.MEDIA_ROOT, target=name)

    assert report.problems == []
    assert report.ok
    rows = {check.name: check.source_rows for check in report.tables}
    for table in [
        "django_migrations",
        "accounts_user",
        "account_emailaddress",
        "organisations_organisation",
        "records_staffmember",
        "records_trainingrecord",
        "training_interest",
        "forums_agendaitem",
        "forums_paper",
    ]:
        assert rows[table] > 0, table
    assert rows["records_trainingrecord"] == TrainingRecord.objects.count()
    assert len(report.files.expected) == 2
    assert report.files.found == report.files.expected
    assert report.dump_bytes > 0 and report.timings["restore"] > 0
    assert not exists(name), "the drill database is dropped afterwards"
    assert not report.dump_path.parent.exists(), "the temporary folder is removed"


@postgresql_only
def test_writes_after_the_dump_began_are_not_differences(data, settings):
    """The site in use: rows written while the drill restores are not in the dump, nor in what it is compared with."""

    def write_meanwhile(line):
        if line.startswith("Restoring into"):
            OrganisationFactory(name="Joined during the drill")
            Organisation.objects.filter(pk=data.pk).update(name="Renamed during the drill")

    report = backup_drill.drill(
        connections["default"].settings_dict, media_root=settings.MEDIA_ROOT, target=unique_name(), say=write_meanwhile
    )

    assert report.problems == []
    organisations = next(check for check in report.tables if check.name == "organisations_organisation")
    assert Organisation.objects.count() == organisations.source_rows + 1, "the write happened after the snapshot"


@postgresql_only
def test_a_row_changed_or_removed_in_the_copy_is_reported(kept, data):
    record = TrainingRecord.objects.order_by("pk").first()
    with backup_drill.connect(params(), dbname=kept.restored, autocommit=True) as copy:
        copy.execute("UPDATE organisations_organisation SET name = name || ' (changed)' WHERE id = %s", (data.pk,))
        copy.execute("DELETE FROM records_trainingrecord WHERE id = %s", (record.pk,))

    with backup_drill.connect(params()) as source, backup_drill.connect(params(), dbname=kept.restored) as copy:
        checks = {check.name: check for check in backup_compare.tables_compare(source, copy)}

    different = sorted(name for name, check in checks.items() if not check.ok)
    assert different == ["organisations_organisation", "records_trainingrecord"]
    organisations = checks["organisations_organisation"]
    assert organisations.source_rows == organisations.restored_rows
    assert organisations.differing_keys == [f"({data.pk}) changed"]
    records = checks["records_trainingrecord"]
    assert records.restored_rows == records.source_rows - 1
    assert records.differing_keys == [f"({record.pk}) missing"]
    assert "checksums differ" in records.describe()


@postgresql_only
def test_a_missing_or_changed_file_is_reported(kept):
    missing, changed = sorted(kept.files.expected)
    (kept.restored_media / missing).unlink()
    (kept.restored_media / changed).write_bytes(b"%PDF-1.4 not what was uploaded")

    problems = backup_files.files_compare(kept.files.expected, kept.restored_media).problems

    assert problems == [f"file missing from the restored copy: {missing}", f"file differs (sha256): {changed}"]


@postgresql_only
def test_a_sequence_left_behind_in_the_copy_is_reported(kept):
    with backup_drill.connect(params(), dbname=kept.restored, autocommit=True) as copy:
        copy.execute("SELECT setval(pg_get_serial_sequence('organisations_organisation', 'id'), 1)")

    with backup_drill.connect(params()) as source, backup_drill.connect(params(), dbname=kept.restored) as copy:
        problems = backup_compare.sequences_compare(source, copy)

    assert len(problems) == 1
    assert problems[0].startswith("sequence organisations_organisation_id_seq is at 1, behind ")


@postgresql_only
def test_command_keeps_the_backup_in_the_folder_named_and_drops_the_drill_database(data, tmp_path, capsys):
    name = unique_name()
    call_command("backup_drill", database=name, folder=tmp_path / "backups")

    out = capsys.readouterr().out
    assert "organisations_organisation: " in out and "checksums match" in out
    assert "Result: the restored copy matches" in out
    backups = tmp_path / "backups"
    assert sorted(p.suffix for p in backups.iterdir()) == [".dump", ".tar"]
    # Everyone's data: the folder, the dump and the archive are the operator's alone, whatever their umask.
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) & 0o077 for p in backups.iterdir()} == {0}
    assert not exists(name)


@postgresql_only
def test_command_refuses_to_overwrite_an_existing_database(db):
    name = unique_name()
    with backup_drill.connect(params(), autocommit=True) as admin:
        backup_drill.database_create(admin, name)
    try:
        with pytest.raises(CommandError, match="already exists"):
            call_command("backup_drill", database=name)
        assert exists(name), "left as it was"
    finally:
        with backup_drill.connect(params(), autocommit=True) as admin:
            backup_drill.database_drop(admin, name)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on SQLite")
def test_command_refuses_to_run_on_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("backup_drill")
