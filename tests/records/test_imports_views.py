"""The import and export pages: uploading, the report, progress, downloads, and who may use them."""

import csv
import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from carenetwork.records.imports.layouts import ASCWDS_TRAINING_HEADER, TRAINING_TEMPLATE_HEADER
from carenetwork.records.models import ImportRun, TrainingRecord
from tests.records.test_imports_support import (
    ascwds_row,
    check,
    register,
    training_file,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def admin_client(client_for, provider_admin):
    return client_for(provider_admin)


def _upload(client, provider, commit, data, *, name="training.csv", kind="training"):
    with commit(execute=True):
        return client.post(
            reverse("records:import-start", args=[provider.pk]),
            {"kind": kind, "upload": SimpleUploadedFile(name, data)},
        )


def _run_with_messages(provider, admin, count: int) -> ImportRun:
    run = ImportRun(organisation=provider, created_by=admin, kind="training", original_name="big.csv")
    run.file.save("big.csv", ContentFile(b"x"), save=False)
    run.status = ImportRun.Status.INVALID
    run.error_count = count
    run.report = {
        "format": "ASC-WDS training file",
        "to_write": 3,
        "messages": [
            {"row": n + 2, "column": "CATEGORY", "level": "error", "message": "99 is not a code"} for n in range(count)
        ],
        "truncated": False,
    }
    run.save()
    return run


def test_upload_checks_the_file_and_shows_errors_by_row_and_column(admin_client, provider, commit):
    register(provider)
    data = training_file([ascwds_row(), ascwds_row(UNIQUEWORKERID="W00002", DATECOMPLETED="2026-01-15")])
    response = _upload(admin_client, provider, commit, data)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("records:import-detail", args=[provider.pk, run.pk])
    page = admin_client.get(response["Location"]).content.decode()
    assert "Nothing has been imported: the file has 1 error." in page
    assert "DATECOMPLETED" in page and "Enter the date as DD/MM/YYYY, like 31/03/2026" in page
    assert "Import the 1 valid row only" in page
    assert run.original_name == "training.csv" and run.created_by.email


def test_a_clean_file_is_imported_when_the_person_confirms(admin_client, provider, commit):
    register(provider)
    _upload(admin_client, provider, commit, training_file([ascwds_row()]))
    run = ImportRun.objects.get()
    detail = reverse("records:import-detail", args=[provider.pk, run.pk])
    assert "Import 1 record" in admin_client.get(detail).content.decode()
    assert not TrainingRecord.objects.exists()
    with commit(execute=True):
        response = admin_client.post(reverse("records:import-confirm", args=[provider.pk, run.pk]))
    assert response["Location"] == detail
    page = admin_client.get(detail).content.decode()
    assert "Import complete" in page and "1 record added" in page
    assert TrainingRecord.objects.count() == 1


def test_valid_rows_only_are_imported_when_the_person_chooses(admin_client, provider, commit):
    register(provider)
    _upload(admin_client, provider, commit, training_file([ascwds_row(), ascwds_row(CATEGORY="99")]))
    run = ImportRun.objects.get()
    with commit(execute=True):
        admin_client.post(reverse("records:import-confirm", args=[provider.pk, run.pk]))
    assert not TrainingRecord.objects.exists()
    with commit(execute=True):
        admin_client.post(reverse("records:import-confirm", args=[provider.pk, run.pk]), {"valid_only": "1"})
    assert TrainingRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("training.txt", b"LOCALESTID\n", "The file must be a CSV or XLSX file"),
        ("training.csv", b"%PDF-1.4 binary\x00\x01", "The file&#x27;s content is not a CSV"),
        ("training.xlsx", b"LOCALESTID,UNIQUEWORKERID\n", "The file&#x27;s content is not a XLSX"),
        ("training.csv", b"", "The file is empty"),
    ],
)
def test_uploads_are_checked_by_name_and_content(admin_client, provider, commit, name, data, message):
    response = _upload(admin_client, provider, commit, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_uploads_over_20_mb_are_refused(admin_client, provider, commit):
    data = training_file([]) + b"x" * (20 * 1024 * 1024)
    response = _upload(admin_client, provider, commit, data)
    assert "The file must be smaller than 20 MB" in response.content.decode()


def test_an_upload_needs_a_kind_and_a_file(admin_client, provider):
    response = admin_client.post(reverse("records:import-start", args=[provider.pk]), {})
    page = response.content.decode()
    assert "Choose what the file holds" in page and "Choose a CSV or XLSX file" in page


def test_xlsx_upload_through_the_page(admin_client, provider, commit):
    register(provider)
    data = xlsx_bytes(ASCWDS_TRAINING_HEADER, [ascwds_row()])
    _upload(admin_client, provider, commit, data, name="Training.XLSX")
    assert ImportRun.objects.get().status == ImportRun.Status.READY


def test_a_run_in_progress_shows_a_progress_bar_that_moves_without_reloading_the_page(
    admin_client, provider, provider_admin
):
    run = _run_with_messages(provider, provider_admin, 0)
    ImportRun.objects.filter(pk=run.pk).update(status="validating", total_rows=50_000, processed_rows=12_000)
    url = reverse("records:import-detail", args=[provider.pk, run.pk])
    response = admin_client.get(url)
    page = response.content.decode()
    # No reload every 2 seconds (WCAG 2.2.2): the script follows the progress address in place and can be paused;
    # without the script the person asks for the latest figure.
    assert not response.has_header("Refresh")
    progress_url = reverse("records:import-progress", args=[provider.pk, run.pk])
    assert f'data-app-import-progress="{progress_url}"' in page
    assert '<progress id="import-progress"' in page and 'value="24"' in page
    assert "12,000 of 50,000 rows checked" in page and "Pause the progress bar" in page
    assert '<a class="govuk-link" href="?">See how far it has got</a>' in page
    progress = admin_client.get(reverse("records:import-progress", args=[provider.pk, run.pk])).json()
    assert progress == {
        "status": "validating",
        "status_label": "Checking the file",
        "processed_rows": 12_000,
        "total_rows": 50_000,
        "percent": 24,
        "finished": False,
    }


def test_a_finished_run_does_not_refresh(admin_client, provider, provider_admin):
    run = _run_with_messages(provider, provider_admin, 1)
    assert not admin_client.get(reverse("records:import-detail", args=[provider.pk, run.pk])).has_header("Refresh")


def test_the_report_page_costs_the_same_queries_however_long_the_report(
    admin_client, provider, provider_admin, django_assert_num_queries
):
    small = _run_with_messages(provider, provider_admin, 3)
    large = _run_with_messages(provider, provider_admin, 2000)
    admin_client.get(reverse("records:import-detail", args=[provider.pk, small.pk]))  # warm-up: session
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("records:import-detail", args=[provider.pk, small.pk]))
    with django_assert_num_queries(len(queries)):
        response = admin_client.get(reverse("records:import-detail", args=[provider.pk, large.pk]) + "?page=3")
    assert response.content.decode().count('class="govuk-table__row"') == 101


def test_the_start_page_costs_the_same_queries_however_many_imports(
    admin_client, provider, provider_admin, django_assert_num_queries
):
    _run_with_messages(provider, provider_admin, 1)
    url = reverse("records:import-start", args=[provider.pk])
    admin_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(url)
    for _n in range(30):
        _run_with_messages(provider, provider_admin, 1)
    with django_assert_num_queries(len(queries)):
        page = admin_client.get(url).content.decode()
    assert page.count("big.csv") == 25


def test_the_start_page_links_templates_export_and_the_register(admin_client, provider):
    page = admin_client.get(reverse("records:import-start", args=[provider.pk])).content.decode()
    for url in (
        reverse("records:import-template", args=[provider.pk, "training", "csv"]),
        reverse("records:import-template", args=[provider.pk, "staff", "xlsx"]),
        reverse("records:export", args=[provider.pk]),
        reverse("records:staff-list", args=[provider.pk]),
    ):
        assert f'href="{url}"' in page
    assert "You have not imported any files yet." in page


def test_the_full_report_downloads_as_csv(admin_client, provider, provider_admin, commit):
    register(provider)
    rows = [ascwds_row(CATEGORY="99", DATECOMPLETED=f"{n % 28 + 1:02d}/01/2026") for n in range(2050)]
    run = check(provider_admin, provider, training_file(rows), capture=commit)
    response = admin_client.get(reverse("records:import-report", args=[provider.pk, run.pk]))
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["Row", "Column", "Type", "Problem"]
    assert lines[1] == ["2", "CATEGORY", "Error", "99 is not an ASC-WDS training category code"]
    assert len(lines) == 2051
    page = admin_client.get(reverse("records:import-detail", args=[provider.pk, run.pk])).content.decode()
    assert "This page lists the first 2,000 of 2,050 errors and warnings." in page


@pytest.mark.parametrize(("kind", "header"), [("training", TRAINING_TEMPLATE_HEADER), ("staff", None)])
def test_blank_templates_download_with_one_example_row(admin_client, provider, kind, header):
    response = admin_client.get(reverse("records:import-template", args=[provider.pk, kind, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2
    if header:
        assert rows[0] == header
    workbook = load_workbook(
        io.BytesIO(b"".join(admin_client.get(reverse("records:import-template", args=[provider.pk, kind, "xlsx"]))))
    )
    assert [[c.value for c in r] for r in workbook.active.iter_rows()][0] == rows[0]


def test_unknown_template_is_not_found(admin_client, provider):
    assert admin_client.get(reverse("records:import-template", args=[provider.pk, "money", "csv"])).status_code == 404
    assert admin_client.get(reverse("records:import-template", args=[provider.pk, "staff", "pdf"])).status_code == 404


@pytest.mark.parametrize("role", ["other_admin", "provider_member", "council_officer", "council_admin"])
def test_nobody_but_the_providers_admins_may_import_or_export(request, client_for, provider, provider_admin, role):
    run = _run_with_messages(provider, provider_admin, 1)
    client = client_for(request.getfixturevalue(role))
    for name, args in (
        ("records:import-start", [provider.pk]),
        ("records:import-detail", [provider.pk, run.pk]),
        ("records:import-progress", [provider.pk, run.pk]),
        ("records:import-report", [provider.pk, run.pk]),
        ("records:export", [provider.pk]),
        ("records:import-template", [provider.pk, "training", "csv"]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.post(reverse("records:import-confirm", args=[provider.pk, run.pk])).status_code == 403
    assert client.post(reverse("records:import-start", args=[provider.pk]), {"kind": "training"}).status_code == 403


def test_another_providers_admin_cannot_reach_a_run_through_their_own_organisation(
    client_for, provider, provider_admin, other_provider, other_admin
):
    run = _run_with_messages(provider, provider_admin, 1)
    client = client_for(other_admin)
    for name in ("records:import-detail", "records:import-progress", "records:import-report"):
        assert client.get(reverse(name, args=[other_provider.pk, run.pk])).status_code == 404, name
    assert client.post(reverse("records:import-confirm", args=[other_provider.pk, run.pk])).status_code == 404
    listing = client.get(reverse("records:import-start", args=[other_provider.pk])).content.decode()
    assert "big.csv" not in listing


def test_anonymous_visitors_are_sent_to_sign_in(client, provider):
    response = client.get(reverse("records:import-start", args=[provider.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_run_that_stopped_moving_stops_refreshing_and_says_so(admin_client, provider, provider_admin):
    run = _run_with_messages(provider, provider_admin, 0)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ImportRun.objects.filter(pk=run.pk).update(status="importing", total_rows=10, modified_at=long_ago)
    response = admin_client.get(reverse("records:import-detail", args=[provider.pk, run.pk]))
    assert not response.has_header("Refresh")
    assert "This file has not moved on for a while." in response.content.decode()
    assert "data-app-import-progress" not in response.content.decode()


def test_the_start_page_shows_the_staff_and_training_menu_once(admin_client, provider):
    page = admin_client.get(reverse("records:import-start", args=[provider.pk])).content.decode()
    assert page.count('aria-label="Staff and training"') == 1
