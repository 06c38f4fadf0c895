"""A provider admin imports an ASC-WDS training file with errors, fixes it and imports it; every page is axe-checked
(the import page empty and with errors, the report with errors, the progress bar, the ready and done states, and the
export page empty and with errors)."""

from carenetwork.records.imports.layouts import ASCWDS_TRAINING_HEADER
from carenetwork.records.models import ImportRun, TrainingRecord
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    main_text,
    sign_in,
    submit,
)
from tests.records.factories import StaffMemberFactory

GOOD = [
    ["Willow House", "W00001", "20", "Safeguarding adults level 2", "1", "2", "88", "1", "", "15/01/2026", "", ""],
    ["Willow House", "W00002", "6", "Fire safety", "0", "1", "", "2", "12", "03/02/2026", "", ""],
    ["Willow House", "W00003", "10", "", "999", "", "", "", "none", "10/10/2025", "", "Refresher booked"],
]


def _csv(rows) -> bytes:
    return "\r\n".join(",".join(row) for row in [ASCWDS_TRAINING_HEADER, *rows]).encode() + b"\r\n"


def _with_two_errors() -> bytes:
    rows = [list(row) for row in GOOD]
    rows[1][9] = "2026-02-03"  # row 3: not DD/MM/YYYY
    rows[2][2] = "99"  # row 4: no such category
    return _csv(rows)


def _upload(page, data: bytes, name: str) -> None:
    page.get_by_label("Training records").check()
    page.set_input_files("#id_upload", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    submit(page, "Upload and check the file")


def import_the_training_file(page, provider) -> None:
    """The provider admin's journey from an empty import page to an imported file (other journeys continue it)."""
    page.goto(f"/records/{provider.pk}/imports/")
    assert_accessible(page, "Import and export: nothing imported yet")
    submit(page, "Upload and check the file")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Import and export: error")

    _upload(page, _with_two_errors(), "training.csv")
    text = main_text(page)
    assert "Nothing has been imported: the file has 2 errors." in text
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("3")
    expect(rows.nth(0)).to_contain_text("DATECOMPLETED")
    expect(rows.nth(0)).to_contain_text("Enter the date as DD/MM/YYYY, like 31/03/2026")
    expect(rows.nth(1)).to_contain_text("CATEGORY")
    expect(rows.nth(1)).to_contain_text("99 is not an ASC-WDS training category code")
    assert_accessible(page, "Import report: errors")
    assert not TrainingRecord.objects.exists()

    page.get_by_role("link", name="Upload a corrected file").click()
    expect(page.locator("main table")).to_contain_text("training.csv")
    assert_accessible(page, "Import and export: an earlier import")
    _upload(page, _csv(GOOD), "training-fixed.csv")
    assert "The file has no errors. Nothing has been imported yet." in main_text(page)
    assert_accessible(page, "Import report: ready to import")
    submit(page, "Import 3 records")
    expect(page.locator(".govuk-panel")).to_contain_text("Import complete")
    expect(page.locator(".govuk-panel")).to_contain_text("3 records added")
    assert_accessible(page, "Import report: imported")
    assert TrainingRecord.objects.filter(staff__organisation=provider, source="imported").count() == 3


def test_admin_imports_an_ascwds_file_with_errors_fixes_it_and_imports_it(page, provider, provider_admin):
    for n in (1, 2, 3):
        StaffMemberFactory(organisation=provider, reference=f"W{n:05d}", name=f"Worker {n}")
    sign_in(page, provider_admin)
    import_the_training_file(page, provider)

    # Then the matrix: W00001's safeguarding (every three years, from 15/01/2026) is in date until 14/01/2029.
    page.get_by_role("link", name="See the training matrix").click()
    row = page.locator("main table tbody tr", has_text="Worker 1")
    expect(row).to_contain_text("In date")
    expect(row).to_contain_text("14/01/2029")
    expect(page.locator("main table tbody tr", has_text="Worker 2")).to_contain_text("Missing")
    assert_accessible(page, "Training matrix after an import")


def test_progress_bar_and_export_pages_are_accessible(page, provider, provider_admin):
    run = ImportRun.objects.create(
        organisation=provider,
        created_by=provider_admin,
        kind=ImportRun.Kind.TRAINING,
        original_name="large.csv",
        file="record-imports/large.csv",
        status=ImportRun.Status.VALIDATING,
        total_rows=50_000,
        processed_rows=12_000,
    )
    sign_in(page, provider_admin)
    page.goto(f"/records/{provider.pk}/imports/{run.pk}/")
    expect(page.locator("progress")).to_have_attribute("value", "24")
    assert "12,000 of 50,000 rows checked" in main_text(page)
    assert_accessible(page, "Import report: checking the file")
    # The bar moves on in place, without reloading the page (WCAG 2.2.2), and the person can pause it.
    page.evaluate("window.notReloaded = true")
    ImportRun.objects.filter(pk=run.pk).update(processed_rows=25_000)
    expect(page.locator("progress")).to_have_attribute("value", "50", timeout=10_000)
    expect(page.get_by_text("25,000 of 50,000 rows checked")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    page.get_by_role("button", name="Pause the progress bar").click()
    expect(page.get_by_role("button", name="Start the progress bar again")).to_be_visible()
    ImportRun.objects.filter(pk=run.pk).update(processed_rows=50_000, status=ImportRun.Status.READY)
    page.wait_for_timeout(3000)
    expect(page.locator("progress")).to_have_attribute("value", "50")
    page.get_by_role("button", name="Start the progress bar again").click()
    expect(page.get_by_role("link", name="The file has been handled: see the result")).to_be_visible(timeout=10_000)

    page.goto(f"/records/{provider.pk}/imports/")
    page.get_by_role("link", name="Export your training records or staff register").click()
    assert_accessible(page, "Export")
    page.get_by_label("CSV").check()
    submit(page, "Download")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Export: error")
