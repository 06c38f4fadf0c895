"""The one way a report table is served as a file (core.csv.table_response): CSV and XLSX hold the same cells,
formula injection neutralised in both, numbers kept as numbers; an unknown format is not found."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.http import Http404
from openpyxl import load_workbook

from carenetwork.core.csv import sheet_name, table_response, xlsx_response
from tests.core.exports import FORMULA, body, csv_table, xlsx_table

ROWS = [
    ["Name", "Count", "Amount (£)", "Note"],
    [FORMULA, 3, Decimal("12.50"), None],
    ["+1", -2, Decimal("-0.5"), "-3"],
    ["@SUM(A1:A2)", 0, 1.25, "\tTabbed"],
    ["Carriage", 10, Decimal(0), "plain – £5"],
]


def _both(rows):
    return csv_table(table_response(rows, "report", "csv")), xlsx_table(table_response(rows, "report", "xlsx"))


def test_csv_and_xlsx_have_the_same_header_and_rows():
    csv_rows, xlsx_rows = _both(ROWS)
    assert csv_rows[0] == xlsx_rows[0] == ["Name", "Count", "Amount (£)", "Note"]
    assert [r[0] for r in csv_rows] == [r[0] for r in xlsx_rows]
    assert csv_rows[4] == ["Carriage", "10", "0", "plain – £5"]
    assert xlsx_rows[4] == ["Carriage", 10, 0, "plain – £5"]


def test_text_starting_like_a_formula_gets_an_apostrophe_in_both_formats():
    csv_rows, xlsx_rows = _both(ROWS)
    for rows in (csv_rows, xlsx_rows):
        assert rows[1][0] == "'" + FORMULA
        assert rows[2][0] == "'+1"
        assert rows[2][3] == "'-3"
        assert rows[3][0] == "'@SUM(A1:A2)"
        assert rows[3][3] == "'\tTabbed"


def test_numbers_stay_numbers_in_the_xlsx_and_nothing_is_an_empty_cell():
    _csv_rows, xlsx_rows = _both(ROWS)
    assert xlsx_rows[1][1:4] == [3, 12.5, None]
    assert xlsx_rows[2][1:3] == [-2, -0.5]  # a negative number is a number, not text to neutralise
    assert xlsx_rows[3][2] == 1.25


def test_no_xlsx_cell_is_a_formula():
    sheet = load_workbook(BytesIO(body(table_response(ROWS, "report", "xlsx")))).active
    types = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert "f" not in types
    assert types <= {"s", "n"}


def test_file_names_and_sheet_name():
    csv_response = table_response(ROWS, "skills-gap-2026-06-15", "csv")
    assert csv_response["Content-Disposition"] == 'attachment; filename="skills-gap-2026-06-15.csv"'
    xlsx = table_response(ROWS, "skills-gap-2026-06-15", "xlsx", sheet="Skills gap")
    assert 'filename="skills-gap-2026-06-15.xlsx"' in xlsx["Content-Disposition"]
    assert sheet_name("Payments: over £30,000 / quarter [Q1]?") == "Payments over £30,000 quarter Q"
    assert sheet_name("A very long name for a sheet that Excel refuses") == "A very long name for a sheet th"
    assert sheet_name("***") == "Sheet1"


@pytest.mark.parametrize("fmt", ["pdf", "", "CSV", "xls"])
def test_an_unknown_format_is_not_found(fmt):
    with pytest.raises(Http404):
        table_response(ROWS, "report", fmt)


def test_xlsx_response_still_serves_its_existing_callers():
    response = xlsx_response([["A"], ["=1+1"]], "file.xlsx", sheet="Staff")
    assert xlsx_table(response) == [["A"], ["'=1+1"]]
