"""Reading an uploaded staff or training file into rows: CSV (UTF-8 with or without a byte order mark, or
Windows-1252, as Excel saves it) or XLSX. Every cell comes back as a stripped string."""

import csv
import datetime
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carenetwork.core.uploads import looks_like

MAX_BYTES = 20 * 1024 * 1024
# A 50,000-row ASC-WDS workbook unpacks to about 30 MB; far more than this is not a training file.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")
# Spreadsheet programs run a cell starting with one of these as a formula. Exports put an apostrophe in front
# (the usual defence against formula injection); imports take it away again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnreadableFile(Exception):
    """The file could not be read as a CSV or XLSX table."""


def check_upload(upload) -> str:
    """The upload's extension ('.csv' or '.xlsx'), checked by name, by content and by size."""
    if upload is None:
        raise ValidationError({"upload": _("Choose a CSV or XLSX file")})
    if upload.size > MAX_BYTES:
        raise ValidationError({"upload": _("The file must be smaller than 20 MB")})
    if upload.size == 0:
        raise ValidationError({"upload": _("The file is empty")})
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in EXTENSIONS:
        raise ValidationError({"upload": _("The file must be a CSV or XLSX file")})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not looks_like(extension, head, upload):
        raise ValidationError({"upload": _("The file's content is not a %(kind)s") % {"kind": extension[1:].upper()}})
    return extension


def unescape(value: str) -> str:
    """A cell as the person typed it: without the apostrophe an export put before a formula-like value."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def escape(value):
    """A text cell safe to open in a spreadsheet program (see FORMULA_STARTS)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Table:
    """A file's header row and its data rows as (row number as the spreadsheet shows it, cells).

    `exact` (set once the layout is known, before the rows are read) keeps a CSV file's cells as they are: an
    ASC-WDS file is a machine file whose leading apostrophes are data, not our export's formula guard.
    """

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    estimated_rows: int
    exact: bool = False


def _blank(cells) -> bool:
    return not any(cells)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_table(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","

    def reader():
        return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    try:
        estimated = sum(1 for _row in reader()) - 1
        rows = reader()
        header = next(rows, None)
    except csv.Error as error:
        raise UnreadableFile(str(error)) from error
    if header is None:
        raise UnreadableFile("empty")

    def data_rows():
        number = 1
        try:
            for cells in rows:
                number += 1
                cells = [c.strip() for c in cells] if table.exact else [unescape(c.strip()) for c in cells]
                if not _blank(cells):
                    yield number, cells
        except csv.Error as error:
            raise UnreadableFile(str(error)) from error

    table = Table([h.strip() for h in header], data_rows(), max(estimated, 0))
    return table


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescape(str(value).strip())


def _xlsx_table(data: bytes) -> Table:
    from openpyxl import load_workbook  # imported here: only XLSX imports need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:  # a "zip bomb": small to upload, enormous to open
            raise UnreadableFile("too large unpacked")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        estimated = (sheet.max_row or 1) - 1
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, OSError) as error:
        raise UnreadableFile(str(error)) from error
    if header is None:
        workbook.close()
        raise UnreadableFile("empty")

    def data_rows():
        number = 1
        try:
            for values in rows:
                number += 1
                cells = [_cell_text(v) for v in values]
                if not _blank(cells):
                    yield number, cells
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise UnreadableFile(str(error)) from error
        finally:
            workbook.close()

    return Table([_cell_text(h) for h in header], data_rows(), max(estimated, 0))


def open_table(data: bytes, extension: str) -> Table:
    """The file's table; UnreadableFile when it is not a table we can read."""
    return _xlsx_table(data) if extension == ".xlsx" else _csv_table(data)
