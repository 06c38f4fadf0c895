"""Leavers' personal data is removed after the council's retention period; the counts survive."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from carenetwork.core.models import AuditEvent
from carenetwork.records.models import RecordsSettings, SkillsSnapshot, StaffMember, TrainingCover, TrainingRecord
from carenetwork.records.retention import REMOVED, last_leaving_date_due, leavers_data_remove
from carenetwork.records.rules import add_months
from tests.concurrency import seed_again
from tests.core.workers import db_worker
from tests.factories import OrganisationFactory, UserFactory, sector
from tests.records.factories import StaffMemberFactory, category, record_for

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(2, 15), tzinfo=LONDON), tick=False)


@pytest.fixture
def remove(django_capture_on_commit_callbacks):
    """Run the removal on the given day, with its after-commit file deletion."""

    def run(day: datetime.date) -> int:
        with at(day), django_capture_on_commit_callbacks(execute=True):
            return leavers_data_remove()

    return run


def leaver(provider, left: datetime.date, **fields) -> StaffMember:
    fields.setdefault("email", "leaver@example.org")
    fields.setdefault("start_date", datetime.date(2010, 4, 1))
    return StaffMemberFactory(organisation=provider, name="Lee Ver", leaving_date=left, **fields)


def is_removed(staff) -> bool:
    staff.refresh_from_db()
    return staff.personal_data_removed_at is not None


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (datetime.date(2026, 1, 16), 72, datetime.date(2020, 1, 15)),
        (datetime.date(2026, 3, 1), 1, datetime.date(2026, 1, 31)),  # 29, 30 and 31 January + 1 month: 28 February
        (datetime.date(2026, 2, 28), 1, datetime.date(2026, 1, 27)),
        (datetime.date(2024, 3, 1), 12, datetime.date(2023, 2, 28)),  # + 12 months = 29 February 2024
        (datetime.date(2026, 1, 1), 240, datetime.date(2005, 12, 31)),
    ],
)
def test_last_leaving_date_due(today, months, expected):
    assert last_leaving_date_due(today, months) == expected
    assert add_months(expected, months) < today <= add_months(expected + datetime.timedelta(days=1), months)


def test_leaver_is_kept_until_the_retention_period_has_passed(remove, provider):
    staff = leaver(provider, datetime.date(2020, 1, 15))  # + 72 months = 15 January 2026
    assert remove(datetime.date(2026, 1, 15)) == 0
    assert not is_removed(staff)
    assert remove(datetime.date(2026, 1, 16)) == 1
    assert is_removed(staff)


def test_the_period_follows_the_council_setting_at_a_month_end(remove, provider):
    RecordsSettings.objects.update_or_create(pk=1, defaults={"retention_months": 1})
    staff = leaver(provider, datetime.date(2026, 1, 31))  # + 1 month = 28 February
    assert remove(datetime.date(2026, 2, 28)) == 0
    assert remove(datetime.date(2026, 3, 1)) == 1
    assert is_removed(staff)


def test_removal_clears_personal_data_and_certificates_but_keeps_the_training(remove, provider):
    person = UserFactory()
    staff = leaver(provider, datetime.date(2019, 6, 30), reference="W-77", user=person)
    with_file = record_for(
        staff,
        20,
        datetime.date(2019, 1, 10),
        notes="Needed extra support",
        certificate=ContentFile(b"%PDF-1.4 certificate", name="certificate.pdf"),
        certificate_content_type="application/pdf",
    )
    record_for(staff, 6, datetime.date(2019, 2, 1), notes="Fire warden")
    path = with_file.certificate.name
    assert default_storage.exists(path)

    assert remove(datetime.date(2026, 6, 1)) == 1
    staff.refresh_from_db()
    assert (staff.name, staff.reference, staff.email, staff.user) == ("", "", "", None)
    assert staff.personal_data_removed_at is not None and str(staff) == "Former staff member"
    assert not default_storage.exists(path)
    kept = list(
        TrainingRecord.objects.filter(staff=staff)
        .order_by("completed_on")
        .values_list("category__code", "completed_on", "expires_on", "notes", "certificate", "certificate_content_type")
    )
    assert kept == [
        (20, datetime.date(2019, 1, 10), datetime.date(2022, 1, 9), "", "", ""),
        (6, datetime.date(2019, 2, 1), datetime.date(2020, 1, 31), "", "", ""),
    ]
    person.refresh_from_db()  # the person's own account is theirs: only the link goes


def test_counts_survive_and_snapshots_are_untouched(remove, provider):
    current = StaffMemberFactory(organisation=provider, name="Still Here", email="here@example.org")
    record_for(current, 20, datetime.date(2025, 5, 1), notes="Keep me")
    for n in range(3):
        staff = leaver(provider, datetime.date(2018, 1, 1 + n))
        record_for(staff, 20, datetime.date(2017, 5, 1))
        record_for(staff, 15, datetime.date(2017, 6, 1))
    snapshot = SkillsSnapshot.objects.create(
        month=datetime.date(2018, 1, 31), category=category(20), sector=sector("residential-care"), required=4
    )
    counts = (StaffMember.objects.count(), TrainingRecord.objects.count(), TrainingCover.objects.count())

    assert remove(datetime.date(2026, 6, 1)) == 3
    assert (StaffMember.objects.count(), TrainingRecord.objects.count(), TrainingCover.objects.count()) == counts
    assert TrainingCover.objects.filter(staff__personal_data_removed_at__isnull=False).count() == 6
    fresh = SkillsSnapshot.objects.get(pk=snapshot.pk)
    assert (fresh.month, fresh.category_id, fresh.required) == (snapshot.month, snapshot.category_id, 4)
    current.refresh_from_db()
    assert (current.name, current.email, current.personal_data_removed_at) == ("Still Here", "here@example.org", None)
    assert TrainingRecord.objects.get(staff=current).notes == "Keep me"


def test_recent_leavers_and_current_staff_are_untouched(remove, provider):
    recent = leaver(provider, datetime.date(2025, 1, 1))
    current = StaffMemberFactory(organisation=provider)
    assert remove(datetime.date(2026, 6, 1)) == 0
    assert not is_removed(recent) and not is_removed(current)


def test_removal_is_idempotent_and_audited_once_per_run(remove, provider):
    staff = leaver(provider, datetime.date(2018, 1, 1))
    assert remove(datetime.date(2026, 6, 1)) == 1
    staff.refresh_from_db()
    removed_at = staff.personal_data_removed_at
    assert remove(datetime.date(2026, 6, 2)) == 0
    staff.refresh_from_db()
    assert staff.personal_data_removed_at == removed_at
    events = list(AuditEvent.objects.filter(action=REMOVED).order_by("pk"))
    assert [e.changes["people"] for e in events] == [[None, 1], [None, 0]]
    assert events[0].actor is None and events[0].changes["left_on_or_before"] == [None, "2020-05-31"]


def test_removal_costs_the_same_queries_for_many_leavers(provider, django_assert_max_num_queries):
    for n in range(40):
        leaver(provider, datetime.date(2018, 1, 1), reference=f"L{n}", email="")
    RecordsSettings.current()
    with at(datetime.date(2026, 6, 1)), django_assert_max_num_queries(12):
        assert leavers_data_remove() == 40


def test_command_removes_now_or_queues(provider, capsys, django_capture_on_commit_callbacks):
    staff = leaver(provider, datetime.date(2018, 1, 1))
    with at(datetime.date(2026, 6, 1)), django_capture_on_commit_callbacks(execute=True):
        call_command("remove_leavers_data", "--now")
        call_command("remove_leavers_data")
    out = capsys.readouterr().out
    assert "Removed the personal data of 1 leavers." in out and "Queued the removal" in out
    assert is_removed(staff)


def test_import_files_and_their_messages_go_after_thirty_days(remove, provider, provider_admin):
    from carenetwork.records.models import ImportRun

    with at(datetime.date(2026, 1, 1)):
        run = ImportRun.objects.create(
            organisation=provider,
            created_by=provider_admin,
            kind=ImportRun.Kind.TRAINING,
            original_name="t.csv",
            status=ImportRun.Status.DONE,
            report={"messages": [{"row": 2, "message": "W1"}], "updated": 0},
        )
        run.file.save("upload.csv", ContentFile(b"LOCALESTID"), save=True)
        default_storage.save(f"{run.file.name}.report.csv", ContentFile(b"Row,Column"))
        stalled = ImportRun.objects.create(
            organisation=provider,
            kind=ImportRun.Kind.STAFF,
            original_name="s.csv",
            status=ImportRun.Status.VALIDATING,
            report={"messages": [{"row": 2, "message": "Ann"}]},
        )
        stalled.file.save("stalled.csv", ContentFile(b"Name"), save=True)
    name = run.file.name
    remove(datetime.date(2026, 1, 31))
    assert default_storage.exists(name)
    remove(datetime.date(2026, 2, 1))
    run.refresh_from_db()
    assert not run.file and run.report == {"updated": 0} and run.status == ImportRun.Status.DONE
    assert not default_storage.exists(name) and not default_storage.exists(f"{name}.report.csv")
    stalled.refresh_from_db()
    assert not stalled.file and stalled.report == {} and stalled.status == ImportRun.Status.FAILED


def test_removal_clears_free_text_training_and_provider_names_but_keeps_coded_ones(remove, provider):
    staff = leaver(provider, datetime.date(2019, 6, 30), reference="W-78")
    typed = record_for(
        staff,
        20,
        datetime.date(2019, 1, 10),
        training_name="Lee's one-to-one with Dr Patel",
        provider_name="Jo Bloggs Training (sole trader)",
    )
    coded = record_for(staff, 6, datetime.date(2019, 2, 1), provider_name="Skills for Care", provider_code=88)
    current = StaffMemberFactory(organisation=provider)
    kept = record_for(current, 20, datetime.date(2025, 5, 1), training_name="Level 2", provider_name="Local college")

    assert remove(datetime.date(2026, 6, 1)) == 1
    typed.refresh_from_db()
    coded.refresh_from_db()
    kept.refresh_from_db()
    assert (typed.training_name, typed.provider_name) == ("", "")
    assert (coded.provider_name, coded.provider_code) == ("Skills for Care", 88)  # ASC-WDS's list, not a person
    assert (kept.training_name, kept.provider_name) == ("Level 2", "Local college")


def test_the_same_job_removes_partners_delegate_names_once_the_run_is_long_past(
    remove, provider, partner_org, training_org
):
    from carenetwork.training.models import Delegate, Interest
    from tests.training.factories import course_for, run_for

    course = course_for(training_org, codes=(20,))
    old_run, recent_run = run_for(course, minimum=1), run_for(course, minimum=1)
    for run, ended in ((old_run, datetime.date(2020, 1, 15)), (recent_run, datetime.date(2020, 1, 16))):
        run.__class__.objects.filter(pk=run.pk).update(
            starts_at=datetime.datetime.combine(ended, datetime.time(9), tzinfo=LONDON),
            ends_at=datetime.datetime.combine(ended, datetime.time(16), tzinfo=LONDON),
        )
    old = Delegate.objects.create(
        interest=Interest.objects.create(run=old_run, organisation=partner_org, places=1), name="Sam Partner"
    )
    recent = Delegate.objects.create(
        interest=Interest.objects.create(run=recent_run, organisation=partner_org, places=1), name="Pat Partner"
    )
    remove(datetime.date(2026, 1, 16))  # 72 months after 15 January 2020 has passed; after the 16th not yet
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, recent.name) == ("", "Pat Partner")
    event = AuditEvent.objects.filter(action=REMOVED).latest("pk")
    assert event.changes["delegate_names"] == [None, 1]


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_with_the_database_queue_the_file_deletion_commits_or_rolls_back_with_the_removal(settings):
    # The deletion is queued in the removal's own transaction: a worker killed after the commit cannot leave the
    # certificates behind, and a removal that fails leaves them and their rows as they were.
    seed_again("organisations", "records")
    provider = OrganisationFactory(sectors=[sector("residential-care")])
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    staff = leaver(provider, datetime.date(2019, 6, 30))
    record = record_for(
        staff, 20, datetime.date(2019, 1, 10), certificate=ContentFile(b"%PDF-1.4", name="certificate.pdf")
    )
    path = record.certificate.name

    with pytest.raises(RuntimeError), transaction.atomic(), at(datetime.date(2026, 6, 1)):
        leavers_data_remove()
        raise RuntimeError("the removal fails after the deletion was queued")
    assert not DBTaskResult.objects.exists() and not is_removed(staff)

    with at(datetime.date(2026, 6, 1)):
        assert leavers_data_remove() == 1
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "carenetwork.core.tasks.delete_files"
    assert queued.args_kwargs["args"] == [[path]]
    assert default_storage.exists(path)  # until the worker runs the deletion
    db_worker().run()
    assert not default_storage.exists(path)
    queued.refresh_from_db()
    assert queued.return_value == 1
