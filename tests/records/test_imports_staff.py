"""Staff register imports: our staff template and the ASC-WDS staff file, matched by reference."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carenetwork.organisations.models import Location
from carenetwork.records.imports import runs
from carenetwork.records.models import ImportRun, JobRole, StaffMember, TrainingCover
from tests.factories import LocationFactory
from tests.records.factories import StaffMemberFactory, job_role, record_for
from tests.records.test_imports_support import (
    ASCWDS_STAFF_HEADER,
    check,
    csv_bytes,
    errors,
    staff_template_file,
    warnings,
    write,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db
STAFF = ImportRun.Kind.STAFF
TOMORROW = f"{timezone.localdate() + datetime.timedelta(days=1):%d/%m/%Y}"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def _run(admin, organisation, data, commit, *, name="staff.csv"):
    run = check(admin, organisation, data, kind=STAFF, name=name, capture=commit)
    if run.status == ImportRun.Status.READY:
        run = write(admin, run, capture=commit)
    return run


def _ascwds(**cells) -> dict:
    row = {
        "LOCALESTID": "Willow House",
        "UNIQUEWORKERID": "W00001",
        "STATUS": "NEW",
        "DISPLAYID": "Ann Example",
        "STARTDATE": "01/04/2024",
        "MAINJOBROLE": "8",
        "GENDER": "2",
        "SALARY": "24000",
    }
    return {**row, **cells}


def test_our_template_adds_people_with_role_location_dates_and_email(provider, provider_admin, provider_member, commit):
    rows = [
        ["Ann Example", "W00001", "Care worker", "willow house", "01/04/2024", "", "ann@example.org"],
        ["Ben Example", "W00002", "43", "", "", "", ""],
        ["Cat Example", "W00003", "registered manager", "", "01/01/2020", "31/12/2025", provider_member.email],
    ]
    run = _run(provider_admin, provider, staff_template_file(rows), commit)
    assert run.status == ImportRun.Status.DONE, errors(run)
    assert run.created_count == 3 and run.report["created"] == 3
    ann, ben, cat = StaffMember.objects.filter(organisation=provider).order_by("reference")
    assert (ann.name, ann.job_role, ann.location, ann.start_date, ann.email) == (
        "Ann Example",
        job_role(8),
        Location.objects.get(name="Willow House"),
        datetime.date(2024, 4, 1),
        "ann@example.org",
    )
    assert (ben.job_role, ben.location, ben.start_date, ben.email) == (job_role(43), None, None, "")
    assert cat.leaving_date == datetime.date(2025, 12, 31) and not cat.is_current
    assert cat.user == provider_member and ann.user is None


def test_our_template_updates_people_by_reference_and_counts_the_unchanged(provider, provider_admin, commit):
    old = StaffMemberFactory(
        organisation=provider, reference="W00001", name="Ann Old", start_date=datetime.date(2020, 1, 1)
    )
    record_for(old, 20, datetime.date(2025, 1, 1))
    same = StaffMemberFactory(organisation=provider, reference="W00002", name="Ben", start_date=None)
    rows = [
        ["Ann New", "w00001", "Senior care worker", "", "01/02/2020", "", ""],
        ["Ben", "W00002", same.job_role.name, "", "", "", ""],
    ]
    check_run = check(provider_admin, provider, staff_template_file(rows), kind=STAFF, capture=commit)
    assert check_run.report["to_update"] == 1 and check_run.report["unchanged"] == 1
    run = write(provider_admin, check_run, capture=commit)
    assert (run.created_count, run.report["updated"]) == (0, 1)
    ann = StaffMember.objects.get(reference="W00001")
    assert (ann.name, ann.job_role, ann.start_date) == ("Ann New", job_role(7), datetime.date(2020, 2, 1))
    assert StaffMember.objects.count() == 2
    assert TrainingCover.objects.get(staff=ann).job_role == job_role(7)  # the overview follows the new role


def test_an_empty_leaving_date_in_our_template_brings_a_leaver_back(provider, provider_admin, commit):
    StaffMemberFactory(organisation=provider, reference="W00001", name="Ann", leaving_date=datetime.date(2025, 1, 1))
    rows = [["Ann", "W00001", "Care worker", "", "01/04/2020", "", ""]]
    _run(provider_admin, provider, staff_template_file(rows), commit)
    assert StaffMember.objects.get().is_current


STAFF_TEMPLATE_ERRORS = [
    ({0: ""}, "Name", "enter the person's full name"),
    ({0: "x" * 151}, "Name", "this must be 150 characters or fewer"),
    ({1: ""}, "Reference", "enter the person's reference"),
    ({1: "x" * 51}, "Reference", "this must be 50 characters or fewer"),
    ({2: ""}, "Job role", "enter the person's job role, by its name or its ASC-WDS code"),
    ({2: "Astronaut"}, "Job role", "there is no job role called Astronaut"),
    ({2: "12"}, "Job role", "12 is not an ASC-WDS job role code"),
    ({3: "Heron Office"}, "Location", "you have no location called Heron Office"),
    ({4: "2024-04-01"}, "Start date", "enter the date as DD/MM/YYYY, like 31/03/2026"),
    ({5: "31/02/2025"}, "Leaving date", "31/02/2025 is not a real date"),
    ({5: "01/01/2024"}, "Leaving date", "the leaving date must be the same as or after the start date"),
    ({6: "not-an-email"}, "Email", "enter an email address like name@example.com"),
]


@pytest.mark.parametrize(("changes", "column", "message"), STAFF_TEMPLATE_ERRORS)
def test_each_staff_template_rule_reports_row_and_column(
    provider, provider_admin, other_provider, commit, changes, column, message
):
    row = ["Ann Example", "W00001", "Care worker", "", "01/04/2024", "", ""]
    for index, value in changes.items():
        row[index] = value
    run = _run(provider_admin, provider, staff_template_file([["Ben", "W00009", "8", "", "", "", ""], row]), commit)
    assert run.status == ImportRun.Status.INVALID
    assert [(r, c) for r, c, _m in errors(run)] == [(3, column)]
    assert errors(run)[0][2].startswith(message)
    assert not StaffMember.objects.exists()


def test_an_inactive_job_role_is_refused(provider, provider_admin, commit):
    JobRole.objects.filter(code=8).update(is_active=False)
    run = _run(provider_admin, provider, staff_template_file([["Ann", "W1", "Care worker", "", "", "", ""]]), commit)
    assert errors(run) == [(2, "Job role", "the job role Care worker is no longer in use: choose another")]


def test_a_reference_twice_in_one_file_is_an_error(provider, provider_admin, commit):
    rows = [["Ann", "W1", "8", "", "", "", ""], ["Ben", "w1", "8", "", "", "", ""]]
    run = _run(provider_admin, provider, staff_template_file(rows), commit)
    assert errors(run) == [(3, "Reference", "the reference w1 is also on row 2: give each person their own reference")]


def test_a_leaving_date_before_a_kept_start_date_is_an_error(provider, provider_admin, commit):
    StaffMemberFactory(organisation=provider, reference="W1", start_date=datetime.date(2024, 1, 1))
    run = _run(provider_admin, provider, csv_bytes(ASCWDS_STAFF_HEADER, [_ascwds(UNIQUEWORKERID="W1")]), commit)
    assert run.status == ImportRun.Status.DONE  # the ASC-WDS file keeps the start date it gives
    StaffMember.objects.update(leaving_date=datetime.date(2024, 6, 1), start_date=datetime.date(2024, 1, 1))
    data = csv_bytes(ASCWDS_STAFF_HEADER, [_ascwds(UNIQUEWORKERID="W1", STATUS="UPDATE", STARTDATE="01/07/2024")])
    run = _run(provider_admin, provider, data, commit)
    assert errors(run) == [(2, "STARTDATE", "this person left on 01/06/2024, before this start date")]


def test_the_staff_register_is_all_or_nothing_too(provider, provider_admin, commit):
    rows = [["Ann", "W1", "8", "", "", "", ""], ["Ben", "W2", "Pilot", "", "", "", ""]]
    run = check(provider_admin, provider, staff_template_file(rows), kind=STAFF, capture=commit)
    with pytest.raises(ValidationError):
        write(provider_admin, run, capture=commit)
    assert not StaffMember.objects.exists()
    run = write(provider_admin, run, capture=commit, valid_only=True)
    assert list(StaffMember.objects.values_list("name", flat=True)) == ["Ann"]


def test_the_ascwds_staff_file_adds_and_updates_from_six_columns(provider, provider_admin, commit):
    LocationFactory(organisation=provider, name="Willow Lodge")
    kept = StaffMemberFactory(organisation=provider, reference="W00002", name="Ben Old", email="ben@example.org")
    rows = [
        _ascwds(),
        _ascwds(UNIQUEWORKERID="W00002", STATUS="UPDATE", DISPLAYID="Ben New", STARTDATE="", MAINJOBROLE="")
        | {"LOCALESTID": "Willow Lodge"},
        _ascwds(UNIQUEWORKERID="W00003", STATUS="UNCHECKED", DISPLAYID="Cat", MAINJOBROLE="4", LOCALESTID="HQ"),
    ]
    run = _run(provider_admin, provider, csv_bytes(ASCWDS_STAFF_HEADER, rows), commit)
    assert run.status == ImportRun.Status.DONE, errors(run)
    assert run.file_format == "ascwds" and warnings(run) == []
    assert (run.created_count, run.report["updated"]) == (2, 1)
    ann = StaffMember.objects.get(reference="W00001")
    assert (ann.name, ann.job_role, ann.start_date, ann.location.name) == (
        "Ann Example",
        job_role(8),
        datetime.date(2024, 4, 1),
        "Willow House",
    )
    kept.refresh_from_db()
    assert (kept.name, kept.job_role, kept.email, kept.location.name) == (
        "Ben New",
        job_role(8),
        "ben@example.org",
        "Willow Lodge",
    )
    assert StaffMember.objects.get(reference="W00003").location is None


def test_ascwds_statuses(provider, provider_admin, commit):
    StaffMemberFactory(organisation=provider, reference="W1", name="Ann", start_date=datetime.date(2020, 1, 1))
    StaffMemberFactory(organisation=provider, reference="W2", name="Ben")
    StaffMemberFactory(organisation=provider, reference="W3", name="Cat")
    rows = [
        _ascwds(UNIQUEWORKERID="W1", STATUS="DELETE"),
        _ascwds(UNIQUEWORKERID="W2", STATUS="NOCHANGE", DISPLAYID="Not Ben"),
        _ascwds(UNIQUEWORKERID="W3", STATUS="NEW", DISPLAYID="Cat New"),
        _ascwds(UNIQUEWORKERID="W4", STATUS="UPDATE", DISPLAYID="Dan"),
        _ascwds(UNIQUEWORKERID="W5", STATUS="delete"),
        _ascwds(UNIQUEWORKERID="W6", STATUS="NOCHANGE", DISPLAYID="Eve"),
    ]
    run = _run(provider_admin, provider, csv_bytes(ASCWDS_STAFF_HEADER, rows), commit)
    assert run.status == ImportRun.Status.DONE, errors(run)
    assert [(r, c) for r, c, _m in warnings(run)] == [(2, "STATUS"), (4, "STATUS"), (5, "STATUS"), (6, "STATUS")]
    people = {s.reference: s for s in StaffMember.objects.all()}
    assert people["W1"].leaving_date == timezone.localdate()
    assert people["W2"].name == "Ben" and people["W3"].name == "Cat New"
    assert people["W4"].name == "Dan" and people["W6"].name == "Eve" and "W5" not in people
    assert (run.created_count, run.report["updated"], run.report["unchanged"], run.report["skipped"]) == (2, 2, 1, 1)


ASCWDS_STAFF_ERRORS = [
    ({"LOCALESTID": ""}, "LOCALESTID", "enter your workplace's LOCALESTID"),
    ({"LOCALESTID": "x" * 51}, "LOCALESTID", "this must be 50 characters or fewer"),
    ({"UNIQUEWORKERID": ""}, "UNIQUEWORKERID", "enter the person's UNIQUEWORKERID"),
    ({"UNIQUEWORKERID": "x" * 51}, "UNIQUEWORKERID", "this must be 50 characters or fewer"),
    ({"STATUS": "ADD"}, "STATUS", "enter NEW, UPDATE, DELETE, NOCHANGE or UNCHECKED"),
    ({"STATUS": ""}, "STATUS", "enter NEW, UPDATE, DELETE, NOCHANGE or UNCHECKED"),
    ({"DISPLAYID": "x" * 51}, "DISPLAYID", "this must be 50 characters or fewer"),
    ({"DISPLAYID": ""}, "DISPLAYID", "enter the person's name in DISPLAYID to add them"),
    ({"STARTDATE": "1/4/24"}, "STARTDATE", "enter the date as DD/MM/YYYY"),
    ({"STARTDATE": TOMORROW}, "STARTDATE", "the start date cannot be in the future"),
    ({"MAINJOBROLE": "Care worker"}, "MAINJOBROLE", "enter the ASC-WDS job role code, a number such as 8"),
    ({"MAINJOBROLE": "12"}, "MAINJOBROLE", "12 is not an ASC-WDS job role code"),
    ({"MAINJOBROLE": ""}, "MAINJOBROLE", "enter the person's MAINJOBROLE code to add them"),
]


@pytest.mark.parametrize(("changes", "column", "message"), ASCWDS_STAFF_ERRORS)
def test_each_ascwds_staff_rule_reports_row_and_column(provider, provider_admin, commit, changes, column, message):
    run = _run(provider_admin, provider, csv_bytes(ASCWDS_STAFF_HEADER, [_ascwds(**changes)]), commit)
    assert [(r, c) for r, c, _m in errors(run)] == [(2, column)]
    assert errors(run)[0][2].startswith(message)


def test_a_staff_file_in_xlsx_is_read(provider, provider_admin, commit):
    data = xlsx_bytes(
        ["Name", "Reference", "Job role", "Location", "Start date", "Leaving date", "Email"],
        [["Ann", 1001, 8, None, datetime.date(2024, 4, 1), None, None]],
    )
    run = _run(provider_admin, provider, data, commit, name="staff.xlsx")
    assert run.status == ImportRun.Status.DONE, errors(run)
    ann = StaffMember.objects.get()
    assert (ann.reference, ann.job_role, ann.start_date) == ("1001", job_role(8), datetime.date(2024, 4, 1))


def test_a_training_file_uploaded_as_staff_says_so(provider, provider_admin, commit):
    data = csv_bytes(["Staff reference", "Category", "Date completed"], [["W1", "20", "15/01/2026"]])
    run = _run(provider_admin, provider, data, commit)
    assert errors(run) == [(1, "", "This looks like a training file. Upload it again and choose “Training records”")]


def test_another_providers_staff_are_never_matched(provider, provider_admin, other_provider, commit):
    StaffMemberFactory(organisation=other_provider, reference="W1", name="Theirs")
    _run(provider_admin, provider, staff_template_file([["Ours", "W1", "8", "", "", "", ""]]), commit)
    assert StaffMember.objects.get(organisation=other_provider).name == "Theirs"
    assert StaffMember.objects.get(organisation=provider).name == "Ours"


def test_a_check_run_again_never_touches_a_run_confirmed_since_nor_a_write_one_not_confirmed(
    provider, provider_admin, commit
):
    # A worker killed after a check finished but before it said so runs the check again (manage.py run_worker):
    # by then the person may have confirmed, and the write must be neither dropped nor done twice.
    run = check(
        provider_admin,
        provider,
        staff_template_file([["Ann Example", "W00001", "Care worker", "", "", "", ""]]),
        kind=STAFF,
        name="staff.csv",
        capture=commit,
    )
    assert run.status == ImportRun.Status.READY
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.IMPORTING)  # confirmed, not yet written

    assert runs.import_run_process(run.pk, write=False) == ImportRun.Status.IMPORTING
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.IMPORTING
    assert runs.import_run_process(run.pk, write=True) == ImportRun.Status.DONE
    assert runs.import_run_process(run.pk, write=False) == ImportRun.Status.DONE
    assert runs.import_run_process(run.pk, write=True) == ImportRun.Status.DONE
    assert StaffMember.objects.filter(organisation=provider).count() == 1

    unconfirmed = check(
        provider_admin,
        provider,
        staff_template_file([["Ben Example", "W00002", "Care worker", "", "", "", ""]]),
        kind=STAFF,
        name="staff.csv",
        capture=commit,
    )
    assert runs.import_run_process(unconfirmed.pk, write=True) == ImportRun.Status.READY
    assert not StaffMember.objects.filter(reference="W00002").exists()
