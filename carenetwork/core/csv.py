"""CSV and XLSX files meant for people. CSV: UTF-8 with a byte order mark (so that Excel shows '–' and '£',
not 'â€“'), every text cell neutralised against formula injection, streamed so that a large file needs no memory.

Machine files that another system reads exactly (the ASC-WDS training file) do not come through here: they are
written value for value by their own writer.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse

BOM = "\ufeff"
# Spreadsheet programs run a cell starting with one of these as a formula (OWASP's list). An apostrophe in front
# makes the cell text again; our imports take it away.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500


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


def xlsx_response(rows: Iterable[list], filename: str, *, sheet: str) -> FileResponse:
    """Rows as an XLSX download, built row by row in a temporary file."""
    from openpyxl import Workbook  # imported here: only XLSX exports need it
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        cells = []
        for value in row:
            # A string cell is never a formula in XLSX: values go as they are.
            cell = WriteOnlyCell(worksheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
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
