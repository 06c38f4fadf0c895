"""CSV and XLSX files meant for people. CSV: UTF-8 with a byte order mark (so that Excel shows '–' and '£',
not 'â€“'), streamed so that a large file needs no memory. In both formats every text cell is neutralised against
formula injection by the same `neutralise`, so a report's two downloads hold the same cells.

A report serves its table with `table_response(rows, basename, fmt)`: one function makes the rows (header first),
the view only passes the format its URL asked for ('csv' or 'xlsx').

Machine files that another system reads exactly (the ASC-WDS training file) do not come through here: they are
written value for value by their own writer.
"""

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase

BOM = "\ufeff"
# Spreadsheet programs run a cell starting with one of these as a formula (OWASP's list). An apostrophe in front
# makes the cell text again; our imports take it away.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500
FORMATS = ("csv", "xlsx")
# Excel refuses a sheet name longer than 31 characters or holding one of these.
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def neutralise(value):
    """A cell value safe to open in a spreadsheet program: None is empty; text starting like a formula gets an
    apostrophe in front. Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralise(value: str) -> str:
    """A cell read back as the person typed it: without the apostrophe `neutralise` put before a formula-like value."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def csv_chunks(rows: Iterable[Iterable], *, bom: bool = True, neutralised: bool = True) -> Iterator[str]:
    """The rows as CSV text in chunks of a few hundred rows, the first starting with the byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write(BOM)
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise(v) for v in row] if neutralised else row)
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """A CSV download for people: byte order mark, formula injection neutralised, streamed row by row."""
    response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class Rows(list):
    """Rows gathered by code written for `csv.writer` (`rows.writerow(row)`), to hand to `csv_response`."""

    def writerow(self, row: Iterable) -> None:
        self.append(list(row))


def sheet_name(text: str) -> str:
    """A name Excel accepts for a sheet: without the characters it refuses, at most 31 characters, never empty."""
    name = " ".join(SHEET_NAME_FORBIDDEN.sub(" ", str(text)).split())[:SHEET_NAME_LENGTH].strip()
    return name or "Sheet1"


def xlsx_response(rows: Iterable[Iterable], filename: str, *, sheet: str) -> FileResponse:
    """Rows as an XLSX download, built row by row in a temporary file. Each cell holds what the CSV would:
    `neutralise`d (text starting like a formula gets an apostrophe), numbers as numbers, nothing as an empty cell."""
    from openpyxl import Workbook  # imported here: only XLSX exports need it
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet_name(sheet))
    for row in rows:
        cells = []
        for raw in row:
            value = None if raw is None or raw == "" else neutralise(raw)
            cell = WriteOnlyCell(worksheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text is never read as a formula, whatever it starts with
            cells.append(cell)
        worksheet.append(cells)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def table_response(rows: Iterable[Iterable], basename: str, fmt: str, *, sheet: str = "") -> HttpResponseBase:
    """One report table (its header row first, then its rows) as `basename`.csv or `basename`.xlsx: the same
    cells in both. `sheet` names the XLSX sheet (the file's name when not given). An unknown format is not found."""
    if fmt == "csv":
        return csv_response(rows, f"{basename}.csv")
    if fmt == "xlsx":
        return xlsx_response(rows, f"{basename}.xlsx", sheet=sheet or basename)
    raise Http404
