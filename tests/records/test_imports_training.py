"""Training imports: every rule of the ASC-WDS training file, our template, and all-or-nothing writing."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from carenetwork.core.models import AuditEvent
from carenetwork.records.imports.layouts import ASCWDS_TRAINING_HEADER
from carenetwork.records.imports.parsing import UnreadableFile, open_table
from carenetwork.records.imports.report import report_file_name
from carenetwork.records.imports.runs import import_run_process
from carenetwork.records.models import ImportRun, TrainingCategory, TrainingCover, TrainingRecord
from tests.records.factories import category, record_for
from tests.records.test_imports_support import (
    ascwds_row,
    check,
    csv_bytes,
    errors,
    register,
    template_training_file,
    training_file,
    warnings,
    write,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db
Record = TrainingRecord
TOMORROW = f"{timezone.localdate() + datetime.timedelta(days=1):%d/%m/%Y}"
TODAY = f"{timezone.localdate():%d/%m/%Y}"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def staff(provider):
    return register(provider)


def _import(provider_admin, provider, commit, rows, **kwargs):
    run = check(provider_admin, provider, training_file(rows), capture=commit, **kwargs)
    if run.status == ImportRun.Status.READY:
        run = write(provider_admin, run, capture=commit)
    return run


# Every ASC-WDS rule that makes a row wrong: the column and the plain-words message, on the row as the
# spreadsheet numbers it (the header is row 1, so the first data row is row 2).
ERRORS = [
    ({"LOCALESTID": ""}, "LOCALESTID", "enter your workplace's LOCALESTID"),
    ({"LOCALESTID": "x" * 51}, "LOCALESTID", "this must be 50 characters or fewer (it has 51)"),
    ({"UNIQUEWORKERID": ""}, "UNIQUEWORKERID", "enter the person's UNIQUEWORKERID"),
    ({"UNIQUEWORKERID": "W" * 51}, "UNIQUEWORKERID", "this must be 50 characters or fewer (it has 51)"),
    ({"UNIQUEWORKERID": "W99999"}, "UNIQUEWORKERID", "nobody on your staff register has the reference W99999"),
    ({"CATEGORY": ""}, "CATEGORY", "enter the ASC-WDS training category code, a number such as 20"),
    ({"CATEGORY": "Safeguarding adults"}, "CATEGORY", "enter the ASC-WDS training category code"),
    ({"CATEGORY": "20.5"}, "CATEGORY", "enter the ASC-WDS training category code"),
    ({"CATEGORY": "3"}, "CATEGORY", "3 is not an ASC-WDS training category code"),
    ({"CATEGORY": "24"}, "CATEGORY", "24 is not an ASC-WDS training category code"),
    ({"CATEGORY": "52"}, "CATEGORY", "52 is not an ASC-WDS training category code"),
    ({"TRAININGNAME": "x" * 121}, "TRAININGNAME", "this must be 120 characters or fewer (it has 121)"),
    ({"ACCREDITED": "2"}, "ACCREDITED", "enter 1 for yes, 0 for no or 999 for don't know"),
    ({"ACCREDITED": "Yes"}, "ACCREDITED", "enter 1 for yes, 0 for no or 999 for don't know"),
    ({"WHODELIVERED": "3"}, "WHODELIVERED", "enter 1 for in-house staff or 2 for an external provider"),
    ({"WHODELIVERED": "0"}, "WHODELIVERED", "enter 1 for in-house staff or 2 for an external provider"),
    ({"PROVIDERNAME": "Skills for Care"}, "PROVIDERNAME", "enter the ASC-WDS training provider code"),
    ({"PROVIDERNAME": "500"}, "PROVIDERNAME", "500 is not an ASC-WDS training provider code"),
    ({"HOWDELIVERED": "3"}, "HOWDELIVERED", "enter 1 for face to face or 2 for e-learning"),
    ({"HOWDELIVERED": "Online"}, "HOWDELIVERED", "enter 1 for face to face or 2 for e-learning"),
    ({"VALIDITY": "0"}, "VALIDITY", "enter a number of months from 1 to 999, or none"),
    ({"VALIDITY": "1000"}, "VALIDITY", "enter a number of months from 1 to 999, or none"),
    ({"VALIDITY": "-3"}, "VALIDITY", "enter a number of months from 1 to 999, or none"),
    ({"VALIDITY": "12 months"}, "VALIDITY", "enter a number of months from 1 to 999, or none"),
    ({"VALIDITY": "never"}, "VALIDITY", "enter a number of months from 1 to 999, or none"),
    ({"DATECOMPLETED": "2026-01-15"}, "DATECOMPLETED", "enter the date as DD/MM/YYYY, like 31/03/2026"),
    ({"DATECOMPLETED": "15/01/26"}, "DATECOMPLETED", "enter the date as DD/MM/YYYY, like 31/03/2026"),
    ({"DATECOMPLETED": "15 Jan 2026"}, "DATECOMPLETED", "enter the date as DD/MM/YYYY, like 31/03/2026"),
    ({"DATECOMPLETED": "31/02/2026"}, "DATECOMPLETED", "31/02/2026 is not a real date"),
    ({"DATECOMPLETED": "15/13/2026"}, "DATECOMPLETED", "15/13/2026 is not a real date"),
    ({"DATECOMPLETED": "00/01/2026"}, "DATECOMPLETED", "00/01/2026 is not a real date"),
    ({"DATECOMPLETED": "15/01/1899"}, "DATECOMPLETED", "enter a year after 1900"),
    ({"DATECOMPLETED": TOMORROW}, "DATECOMPLETED", "the date completed cannot be in the future"),
    ({"EXPIRYDATE": "2027-01-15"}, "EXPIRYDATE", "enter the date as DD/MM/YYYY, like 31/03/2026"),
    ({"EXPIRYDATE": "29/02/2027"}, "EXPIRYDATE", "29/02/2027 is not a real date"),
    ({"EXPIRYDATE": "14/01/2026"}, "EXPIRYDATE", "the expiry date must be after the date completed"),
    # ASC-WDS's error 1030: an expiry on the day of completion is refused too.
    ({"EXPIRYDATE": "15/01/2026"}, "EXPIRYDATE", "the expiry date must be after the date completed"),
    # Lengths as ASC-WDS counts them (JavaScript, UTF-16 code units): an emoji is two.
    ({"TRAININGNAME": "x" * 119 + "\U0001f600"}, "TRAININGNAME", "this must be 120 characters or fewer (it has 121)"),
    ({"NOTES": "y" * 999 + "\U0001f600"}, "NOTES", "this must be 1000 characters or fewer (it has 1001)"),
    ({"NOTES": "x" * 1001}, "NOTES", "this must be 1000 characters or fewer (it has 1001)"),
]


@pytest.mark.parametrize(("changes", "column", "message"), ERRORS, ids=[f"{c[1]}-{i}" for i, c in enumerate(ERRORS)])
def test_each_ascwds_rule_reports_the_row_and_column(provider, provider_admin, staff, commit, changes, column, message):
    run = _import(provider_admin, provider, commit, [ascwds_row(UNIQUEWORKERID="W00002"), ascwds_row(**changes)])
    assert run.status == ImportRun.Status.INVALID
    assert [(row, col) for row, col, _text in errors(run)] == [(3, column)]
    assert errors(run)[0][2].startswith(message)
    assert run.error_count == 1 and run.valid_rows == 1 and run.total_rows == 2
    assert not TrainingRecord.objects.exists()


def test_an_inactive_category_is_refused(provider, provider_admin, staff, commit):
    TrainingCategory.objects.filter(code=20).update(is_active=False)
    run = _import(provider_admin, provider, commit, [ascwds_row()])
    assert errors(run) == [(2, "CATEGORY", "the category Safeguarding adults is no longer in use: choose another")]


# What each valid value becomes: the fields of the record it writes.
VALID = [
    ({"ACCREDITED": "1"}, {"accredited": Record.Accredited.YES}),
    ({"ACCREDITED": "0"}, {"accredited": Record.Accredited.NO}),
    ({"ACCREDITED": "999"}, {"accredited": Record.Accredited.DONT_KNOW}),
    ({"ACCREDITED": ""}, {"accredited": ""}),  # the file says nothing: nor does the record
    ({"WHODELIVERED": "1", "PROVIDERNAME": ""}, {"delivered_by": Record.DeliveredBy.IN_HOUSE, "provider_code": None}),
    ({"WHODELIVERED": "2"}, {"delivered_by": Record.DeliveredBy.EXTERNAL, "provider_code": 88}),
    ({"WHODELIVERED": "", "PROVIDERNAME": ""}, {"delivered_by": ""}),
    ({"PROVIDERNAME": "88"}, {"provider_code": 88, "provider_name": "Skills for Care"}),
    ({"PROVIDERNAME": "999"}, {"provider_code": 999, "provider_name": ""}),
    ({"PROVIDERNAME": ""}, {"provider_code": None, "provider_name": ""}),
    ({"HOWDELIVERED": "1"}, {"how_delivered": Record.HowDelivered.FACE_TO_FACE}),
    ({"HOWDELIVERED": "2"}, {"how_delivered": Record.HowDelivered.E_LEARNING}),
    ({"HOWDELIVERED": ""}, {"how_delivered": ""}),
    # Expiry = completion + VALIDITY months − 1 day, when there is no EXPIRYDATE.
    ({"VALIDITY": "12"}, {"validity_months": 12, "expires_on": datetime.date(2027, 1, 14)}),
    (
        {"VALIDITY": "1", "DATECOMPLETED": "31/01/2026"},
        {"validity_months": 1, "expires_on": datetime.date(2026, 2, 27)},
    ),
    ({"VALIDITY": "999"}, {"validity_months": 999, "expires_on": datetime.date(2109, 4, 14)}),
    ({"VALIDITY": "none"}, {"validity_months": None, "expires_on": None, "does_not_expire": True}),
    ({"VALIDITY": "NONE"}, {"validity_months": None, "expires_on": None, "does_not_expire": True}),
    # VALIDITY none with an EXPIRYDATE: both are kept.
    (
        {"VALIDITY": "none", "EXPIRYDATE": "30/06/2026"},
        {"expires_on": datetime.date(2026, 6, 30), "does_not_expire": True},
    ),
    # Neither VALIDITY nor EXPIRYDATE: no expiry is stored; the category's refresh period applies when reading.
    (
        {},
        {"validity_months": None, "expires_on": None, "expiry_overridden": False, "does_not_expire": False},
    ),
    ({"CATEGORY": "21"}, {"expires_on": None}),
    ({"CATEGORY": "6"}, {"expires_on": None, "does_not_expire": False}),
    # ASC-WDS keeps training with no completion date: so do we.
    ({"DATECOMPLETED": ""}, {"completed_on": None, "expires_on": None}),
    ({"EXPIRYDATE": "30/06/2026"}, {"expires_on": datetime.date(2026, 6, 30), "expiry_overridden": True}),
    ({"EXPIRYDATE": "16/01/2026"}, {"expires_on": datetime.date(2026, 1, 16)}),
    ({"EXPIRYDATE": "14/01/2029"}, {"expires_on": datetime.date(2029, 1, 14), "expiry_overridden": True}),
    ({"VALIDITY": "12", "EXPIRYDATE": "14/01/2027"}, {"expires_on": datetime.date(2027, 1, 14)}),
    ({"DATECOMPLETED": "5/1/2026"}, {"completed_on": datetime.date(2026, 1, 5)}),
    ({"DATECOMPLETED": TODAY}, {"completed_on": timezone.localdate()}),
    ({"LOCALESTID": "x" * 50}, {}),
    ({"TRAININGNAME": "x" * 120}, {"training_name": "x" * 120}),
    ({"TRAININGNAME": ""}, {"training_name": ""}),
    ({"NOTES": "y" * 1000}, {"notes": "y" * 1000}),
    ({"UNIQUEWORKERID": "w00001"}, {}),  # references match without regard to case
]


@pytest.mark.parametrize(("changes", "expected"), VALID, ids=[str(c[0]) for c in VALID])
def test_each_valid_ascwds_value_becomes_a_record(provider, provider_admin, staff, commit, changes, expected):
    run = _import(provider_admin, provider, commit, [ascwds_row(**changes)])
    assert run.status == ImportRun.Status.DONE, errors(run)
    record = TrainingRecord.objects.get()
    assert record.staff == staff[0]
    for field, value in expected.items():
        assert getattr(record, field) == value, field


WARNINGS = [
    (
        {"WHODELIVERED": "1"},
        "PROVIDERNAME",
        "PROVIDERNAME is only used when WHODELIVERED is 2",
        {"provider_code": None},
    ),
    ({"WHODELIVERED": ""}, "PROVIDERNAME", "PROVIDERNAME is only used when WHODELIVERED is 2", {"provider_code": None}),
    (
        {"VALIDITY": "none", "EXPIRYDATE": "30/06/2026"},
        "EXPIRYDATE",
        "VALIDITY says the training does not expire",
        {"expires_on": datetime.date(2026, 6, 30)},
    ),
    (
        {"VALIDITY": "12", "EXPIRYDATE": "30/06/2026"},
        "EXPIRYDATE",
        "EXPIRYDATE is not DATECOMPLETED plus VALIDITY months less one day (14/01/2027)",
        {"expires_on": datetime.date(2026, 6, 30), "validity_months": 12, "expiry_overridden": True},
    ),
]


@pytest.mark.parametrize(("changes", "column", "message", "expected"), WARNINGS)
def test_warnings_do_not_stop_the_import(provider, provider_admin, staff, commit, changes, column, message, expected):
    run = _import(provider_admin, provider, commit, [ascwds_row(**changes)])
    assert run.status == ImportRun.Status.DONE
    assert [(row, col) for row, col, _text in warnings(run)] == [(2, column)]
    assert warnings(run)[0][2].startswith(message)
    record = TrainingRecord.objects.get()
    for field, value in expected.items():
        assert getattr(record, field) == value, field


def test_a_record_already_on_the_portal_is_skipped_with_a_warning(provider, provider_admin, staff, commit):
    record_for(staff[0], 20, datetime.date(2026, 1, 15))
    run = _import(provider_admin, provider, commit, [ascwds_row(), ascwds_row(CATEGORY="6")])
    assert run.status == ImportRun.Status.DONE
    assert warnings(run) == [
        (
            2,
            "DATECOMPLETED",
            "this person already has a Safeguarding adults record completed on 15/01/2026: this row is skipped",
        )
    ]
    assert run.created_count == 1 and run.report["skipped"] == 1
    assert TrainingRecord.objects.filter(staff=staff[0], category__code=20).count() == 1


def test_the_same_record_twice_in_one_file_is_added_once(provider, provider_admin, staff, commit):
    run = _import(provider_admin, provider, commit, [ascwds_row(), ascwds_row(TRAININGNAME="Again")])
    assert warnings(run) == [
        (3, "DATECOMPLETED", "the same person, category and date completed are on row 2: this row is skipped")
    ]
    assert TrainingRecord.objects.count() == 1


def test_nothing_is_written_while_the_file_has_errors(provider, provider_admin, staff, commit):
    rows = [ascwds_row(), ascwds_row(UNIQUEWORKERID="W00002"), ascwds_row(UNIQUEWORKERID="W00003", CATEGORY="99")]
    run = check(provider_admin, provider, training_file(rows), capture=commit)
    assert (run.status, run.valid_rows, run.error_count, run.report["to_write"]) == ("invalid", 2, 1, 2)
    with pytest.raises(ValidationError):
        write(provider_admin, run, capture=commit)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID
    assert not TrainingRecord.objects.exists()


def test_the_person_may_import_the_valid_rows_only(provider, provider_admin, staff, commit):
    rows = [ascwds_row(), ascwds_row(UNIQUEWORKERID="W00002"), ascwds_row(UNIQUEWORKERID="W00003", CATEGORY="99")]
    run = check(provider_admin, provider, training_file(rows), capture=commit)
    run = write(provider_admin, run, capture=commit, valid_only=True)
    assert run.status == ImportRun.Status.DONE and run.valid_only
    assert run.created_count == 2
    assert set(TrainingRecord.objects.values_list("staff__reference", flat=True)) == {"W00001", "W00002"}
    assert errors(run) == [(4, "CATEGORY", "99 is not an ASC-WDS training category code")]


def test_imported_records_are_marked_with_their_run_and_cover_is_updated(provider, provider_admin, staff, commit):
    run = _import(provider_admin, provider, commit, [ascwds_row(), ascwds_row(UNIQUEWORKERID="W00002", CATEGORY="6")])
    assert run.status == ImportRun.Status.DONE and run.finished_at
    for record in TrainingRecord.objects.all():
        assert (record.source, record.import_run, record.created_by) == (Record.Source.IMPORTED, run, provider_admin)
        assert record.created_at and record.modified_at and record.certificate.name == ""
        record.full_clean()
    assert TrainingCover.objects.filter(organisation=provider).count() == 2
    event = AuditEvent.objects.get(action="import_run.imported")
    assert event.organisation == provider and event.actor == provider_admin
    assert event.changes["created"] == 2 and event.changes["kind"] == "training"


def test_the_file_is_checked_again_when_it_is_imported(provider, provider_admin, staff, commit):
    run = check(provider_admin, provider, training_file([ascwds_row()]), capture=commit)
    assert run.status == ImportRun.Status.READY
    record_for(staff[0], 20, datetime.date(2026, 1, 15))  # added by hand in the meantime
    run = write(provider_admin, run, capture=commit)
    assert run.status == ImportRun.Status.DONE and run.created_count == 0
    assert TrainingRecord.objects.count() == 1


def test_a_run_is_imported_once_however_often_it_is_confirmed(provider, provider_admin, staff, commit):
    run = check(provider_admin, provider, training_file([ascwds_row()]), capture=commit)
    write(provider_admin, run, capture=commit)
    with pytest.raises(ValidationError):
        write(provider_admin, run, capture=commit)
    assert TrainingRecord.objects.count() == 1


def test_xlsx_files_import_like_csv_with_real_dates_and_numbers(provider, provider_admin, staff, commit):
    rows = [
        ["Willow House", "W00001", 20, "Safeguarding", 1, 2, 88, 1, 12, datetime.datetime(2026, 1, 15), None, None],
        ["Willow House", "W00002", 6, "Fire", 0, 1, None, 2, None, "15/01/2026", "20/01/2026", "Drill"],
    ]
    run = check(
        provider_admin, provider, xlsx_bytes(ASCWDS_TRAINING_HEADER, rows), capture=commit, name="training.xlsx"
    )
    assert run.status == ImportRun.Status.READY, errors(run)
    write(provider_admin, run, capture=commit)
    first, second = TrainingRecord.objects.order_by("staff__reference")
    assert (first.completed_on, first.expires_on, first.provider_code) == (
        datetime.date(2026, 1, 15),
        datetime.date(2027, 1, 14),
        88,
    )
    assert (second.accredited, second.expires_on, second.notes) == ("no", datetime.date(2026, 1, 20), "Drill")


def test_xlsx_errors_are_reported_by_row_and_column(provider, provider_admin, staff, commit):
    data = xlsx_bytes(ASCWDS_TRAINING_HEADER, [ascwds_row(), {}, ascwds_row(DATECOMPLETED="31/31/2026")])
    run = check(provider_admin, provider, data, capture=commit, name="training.xlsx")
    assert errors(run) == [(4, "DATECOMPLETED", "31/31/2026 is not a real date")]  # the empty row 3 is skipped
    assert run.total_rows == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_files_are_read_in_the_encodings_excel_saves(provider, provider_admin, staff, commit, encoding):
    data = csv_bytes(ASCWDS_TRAINING_HEADER, [ascwds_row(TRAININGNAME="Café safety – refresher")], encoding=encoding)
    run = check(provider_admin, provider, data, capture=commit)
    assert run.status == ImportRun.Status.READY, errors(run)
    write(provider_admin, run, capture=commit)
    assert TrainingRecord.objects.get().training_name == "Café safety – refresher"


def test_semicolon_separated_csv_is_read(provider, provider_admin, staff, commit):
    data = training_file([ascwds_row()]).decode().replace(",", ";").encode()
    run = check(provider_admin, provider, data, capture=commit)
    assert run.status == ImportRun.Status.READY, errors(run)


def test_the_layout_before_2024_is_recognised(provider, provider_admin, staff, commit):
    header = ["LOCALESTID", "UNIQUEWORKERID", "CATEGORY", "DESCRIPTION", "DATECOMPLETED", "EXPIRYDATE", "ACCREDITED"]
    header.append("NOTES")
    data = csv_bytes(header, [["Willow", "W00001", "20", "Safeguarding", "15/01/2026", "", "1", ""]])
    run = check(provider_admin, provider, data, capture=commit)
    assert run.status == ImportRun.Status.READY and run.file_format == "ascwds"
    write(provider_admin, run, capture=commit)
    assert TrainingRecord.objects.get().training_name == "Safeguarding"


def test_our_training_template_takes_names_and_words(provider, provider_admin, staff, commit):
    rows = [
        ["W00001", "Anyone", "Safeguarding adults", "Level 2", "15/01/2026", "", "Yes", "External provider"]
        + ["Skills for Care", "Face to face", ""],
        ["w00002", "", "6", "", "15/01/2026", "Does not expire", "no", "in-house", "", "e-learning", "Drill"],
        ["W00003", "", "fire safety", "", "15/01/2026", "", "", "External", "Local College", "", ""],
    ]
    run = check(provider_admin, provider, template_training_file(rows), capture=commit)
    assert run.status == ImportRun.Status.READY and run.file_format == "template", errors(run)
    write(provider_admin, run, capture=commit)
    first, second, third = TrainingRecord.objects.order_by("staff__reference")
    assert (first.category, first.accredited, first.provider_code, first.provider_name) == (
        category(20),
        "yes",
        88,
        "Skills for Care",
    )
    # An empty expiry is stored as empty; the category's refresh period gives the cover's expiry when reading.
    assert (first.expires_on, first.does_not_expire, first.how_delivered) == (None, False, "face_to_face")
    assert TrainingCover.objects.get(staff=first.staff).expires_on == datetime.date(2029, 1, 14)
    assert (second.category, second.expires_on, second.does_not_expire, second.delivered_by) == (
        category(6),
        None,
        True,
        "in_house",
    )
    assert second.how_delivered == "e_learning"
    assert TrainingCover.objects.get(staff=second.staff).expires_on is None
    assert (third.provider_code, third.provider_name, third.expires_on) == (None, "Local College", None)
    assert TrainingCover.objects.get(staff=third.staff).expires_on == datetime.date(2027, 1, 14)


TEMPLATE_ERRORS = [
    ({0: ""}, "Staff reference", "enter the person's reference, as on your staff register"),
    ({2: "Knitting"}, "Category", "there is no training category called Knitting"),
    ({2: ""}, "Category", "enter the training category, by its name or its ASC-WDS code"),
    ({6: "Perhaps"}, "Accredited", "enter Yes, No or Don't know"),
    ({7: "Agency"}, "Delivered by", "enter In-house staff or External provider"),
    ({9: "Video"}, "How delivered", "enter Face to face or E-learning"),
    ({8: "x" * 201}, "Training provider", "this must be 200 characters or fewer"),
    ({4: "2026-01-15"}, "Date completed", "enter the date as DD/MM/YYYY"),
    ({5: "soon"}, "Expiry date", "enter the date as DD/MM/YYYY"),
]


@pytest.mark.parametrize(("changes", "column", "message"), TEMPLATE_ERRORS)
def test_our_template_reports_its_own_column_names(provider, provider_admin, staff, commit, changes, column, message):
    row = ["W00001", "", "Safeguarding adults", "", "15/01/2026", "", "Yes", "External", "", "Face to face", ""]
    for index, value in changes.items():
        row[index] = value
    run = check(provider_admin, provider, template_training_file([row]), capture=commit)
    assert [(r, c) for r, c, _m in errors(run)] == [(2, column)]
    assert errors(run)[0][2].startswith(message)


def test_a_header_we_do_not_know_is_refused(provider, provider_admin, staff, commit):
    run = check(provider_admin, provider, csv_bytes(["Name", "Course", "When"], [["A", "B", "C"]]), capture=commit)
    assert run.status == ImportRun.Status.INVALID
    assert errors(run)[0][:2] == (1, "")
    assert "column headings of an ASC-WDS training file" in errors(run)[0][2]


def test_a_staff_file_uploaded_as_training_says_so(provider, provider_admin, staff, commit):
    data = csv_bytes(["Name", "Reference", "Job role"], [["Ann", "W1", "Care worker"]])
    run = check(provider_admin, provider, data, capture=commit)
    assert errors(run) == [(1, "", "This looks like a staff file. Upload it again and choose “Staff register”")]


def test_a_missing_column_is_an_error_and_an_extra_one_a_warning(provider, provider_admin, staff, commit):
    header = [h for h in ASCWDS_TRAINING_HEADER if h != "DATECOMPLETED"] + ["COST"]
    run = check(provider_admin, provider, csv_bytes(header, [ascwds_row()]), capture=commit)
    assert errors(run) == [(1, "DATECOMPLETED", "this column is missing from the first row")]
    assert warnings(run) == [(1, "COST", "we do not use this column, so it is ignored")]


def test_a_file_with_no_rows_is_refused(provider, provider_admin, staff, commit):
    run = check(provider_admin, provider, training_file([]), capture=commit)
    assert errors(run) == [(2, "", "The file has no rows under the column headings")]


def test_a_broken_xlsx_file_is_reported_not_crashed(provider, provider_admin, staff, commit):
    data = xlsx_bytes(ASCWDS_TRAINING_HEADER, [ascwds_row()])
    run = check(provider_admin, provider, data, capture=commit, name="training.xlsx")
    run.file.save("broken.xlsx", ContentFile(data[:200]))
    run.status = ImportRun.Status.VALIDATING
    run.save()
    assert import_run_process(run.pk, write=False) == ImportRun.Status.INVALID
    run.refresh_from_db()
    assert errors(run)[0][2].startswith("We could not read this file")


def test_counts_stay_exact_when_the_report_is_cut_short(provider, provider_admin, staff, commit):
    rows = [ascwds_row(CATEGORY="99", DATECOMPLETED=f"{n % 28 + 1:02d}/01/2026") for n in range(2100)]
    run = check(provider_admin, provider, training_file(rows), capture=commit)
    assert run.error_count == 2100 and len(run.report["messages"]) == 2000 and run.report["truncated"]
    with run.file.storage.open(report_file_name(run)) as report:
        assert len(report.read().decode("utf-8-sig").splitlines()) == 2101


def test_a_formula_escaped_by_our_template_export_is_imported_as_typed(provider, provider_admin, staff, commit):
    rows = [["W00001", "", "20", "'=HYPERLINK(1)", "15/01/2026", "", "", "", "", "", "'-ok"]]
    run = check(provider_admin, provider, template_training_file(rows), capture=commit)
    write(provider_admin, run, capture=commit)
    record = TrainingRecord.objects.get(import_run=run)
    assert (record.training_name, record.notes) == ("=HYPERLINK(1)", "-ok")


def test_an_ascwds_file_is_read_exactly_apostrophes_included(provider, provider_admin, staff, commit):
    # The ASC-WDS file is a machine file: we never put an apostrophe in it, so one there is the person's data.
    run = _import(provider_admin, provider, commit, [ascwds_row(TRAININGNAME="'=HYPERLINK(1)", NOTES="'-ok")])
    record = TrainingRecord.objects.get(import_run=run)
    assert (record.training_name, record.notes) == ("'=HYPERLINK(1)", "'-ok")


def test_an_xlsx_that_unpacks_to_far_more_than_any_training_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"\0" * (301 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024  # small to upload
    with pytest.raises(UnreadableFile):
        open_table(buffer.getvalue(), ".xlsx")
