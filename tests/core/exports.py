"""Helpers for the report download tests: read a report's CSV and XLSX back, check they hold the same cells, and
count a download's queries (the CSV is streamed, so it is read inside the count)."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A name a spreadsheet program would run as a formula, as a person could type it.
FORMULA = '=HYPERLINK("https://evil.example","Click")'


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_table(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert '.csv"' in response["Content-Disposition"] and "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_table(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert '.xlsx"' in response["Content-Disposition"] and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(body(response))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _cell(value) -> str | Decimal:
    """A cell as comparable text: numbers by value (the CSV's '12.50' is the XLSX's 12.5), nothing as ''."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) or text[:1].isdigit():
        try:
            return Decimal(text).normalize()
        except InvalidOperation:
            return text
    return text


def _row(row) -> list:
    cells = [_cell(v) for v in row]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def same_table(client, csv_url: str, xlsx_url: str, params: dict | None = None) -> list[list[str]]:
    """Both downloads of a report, checked to hold the same header and rows; the CSV's rows, to look into."""
    csv_rows = csv_table(client.get(csv_url, params or {}))
    xlsx_rows = xlsx_table(client.get(xlsx_url, params or {}))
    assert [_row(r) for r in xlsx_rows] == [_row(r) for r in csv_rows]
    assert len(csv_rows) >= 1
    return csv_rows


def same_page_table(client, url: str, query: dict | None = None) -> list[list[str]]:
    """A market page's ?download=csv and ?download=xlsx, checked to hold the same header and rows."""
    csv_rows = csv_table(client.get(url, {**(query or {}), "download": "csv"}))
    xlsx_rows = xlsx_table(client.get(url, {**(query or {}), "download": "xlsx"}))
    assert [_row(r) for r in xlsx_rows] == [_row(r) for r in csv_rows]
    return csv_rows


def cells(rows) -> set:
    return {value for row in rows for value in row}


def download_queries(client, url: str, params: dict | None = None) -> int:
    """The queries one download makes, its streamed body read within the count."""
    body(client.get(url, params or {}))  # the first request of a session writes the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        assert response.status_code == 200
        body(response)
    return len(queries)
