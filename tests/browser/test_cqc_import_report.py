"""A council administrator imports a CQC file: the import page with the date of the data, then the report with what
was added and what was skipped, each opened and axe-checked."""

import json
from pathlib import Path

import pytest

from carenetwork.organisations.models import Location
from tests.browser.pages import assert_accessible, main_text, sign_in, submit

DEVON = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cqc" / "devon_somerset_care_homes_2021.json"


def test_import_report_with_what_was_added_and_skipped_is_accessible(page, council_admin):
    if not DEVON.is_file():
        pytest.skip(f"The CQC data files are not at {DEVON.parent}")
    torbay = [r for r in json.loads(DEVON.read_bytes()) if r["localAuthority"] == "Torbay"][:5]
    content = json.dumps([*torbay, {**torbay[0], "locationId": "not an id"}]).encode()
    sign_in(page, council_admin)
    page.goto("/organisations/council/import-cqc/")

    page.set_input_files("#id_file", files=[{"name": "torbay.json", "mimeType": "application/json", "buffer": content}])
    page.fill("#id_data_date_0", "30")
    page.fill("#id_data_date_1", "4")
    page.fill("#id_data_date_2", "2021")
    submit(page, "Import the file")

    assert "30 April 2021" in main_text(page)
    assert Location.objects.count() == 5
    for summary in page.locator(".govuk-details__summary").all():
        summary.click()
    assert_accessible(page, "CQC import report, details opened")
