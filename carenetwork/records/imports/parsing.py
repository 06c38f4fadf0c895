"""Reading an uploaded staff or training file into rows: CSV (UTF-8 with or without a byte order mark, or
Windows-1252, as Excel saves it) or XLSX. Every cell comes back as a stripped string."""

import csv
import datetime
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carenetwork.core.csv import FORMULA_STARTS, unneutralise
from carenetwork.core.uploads import looks_like

MAX_BYTES = 20 * 1024 * 1024
# A 50,000-row ASC-WDS workbook unpacks to about 30 MB; far more than this is not a training file.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
# The work one file can cause, whatever its size on disk: rows with data, columns, cells and (XLSX) shared strings
# and the size of the sheet. Twice the largest real files we have seen; a file beyond them gets a plain message.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELLS = 20_000_000  # counts the width openpyxl builds for each row, blank cells included
MAX_SHARED_STRINGS = 500_000
MAX_SHARED_STRINGS_BYTES = 50 * 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
MAX_SHEET_BYTES = 150 * 1024 * 1024
MAX_ZIP_ENTRIES = 1_000
# The most rows a spreadsheet program has: blank rows up to here cost nothing; a row numbered beyond it is forged.
LAST_ROW_NUMBER = 1_048_576
SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
EXTENSIONS = (".csv", ".xlsx")


class UnreadableFile(Exception):
    """The file could not be read as a CSV or XLSX table."""


class FileTooLarge(UnreadableFile):
    """The file holds more than an import may read; the argument says what, in plain words."""


def _too_many_rows() -> FileTooLarge:
    return FileTooLarge(
        _(
            "The file is too large: it has more than %(rows)s rows. Split it into files of up to %(rows)s rows "
            "and import each one"
        )
        % {"rows": f"{MAX_ROWS:,}"}
    )


def _too_many_columns() -> FileTooLarge:
    return FileTooLarge(
        _("The file is too large: a row has more than %(columns)s columns. Keep only the columns of the template")
        % {"columns": MAX_COLUMNS}
    )


def _too_large_unpacked() -> FileTooLarge:
    return FileTooLarge(
        _(
            "The file is too large: it holds far more than a staff or training file. Save only the sheet with your "
            "rows as CSV and import that"
        )
    )


class _Limits:
    """Counts rows with data and cells as a file is read, and stops the read at the limits."""

    def __init__(self):
        self.rows = 0
        self.cells = 0

    def row(self, cells) -> list:
        """The row's cells up to MAX_COLUMNS; FileTooLarge past a limit."""
        self.cells += len(cells)
        if self.cells > MAX_CELLS:
            raise _too_large_unpacked()
        if len(cells) > MAX_COLUMNS:
            extra = cells[MAX_COLUMNS:]
            if extra.count(None) + extra.count("") != len(extra):
                raise _too_many_columns()
            cells = cells[:MAX_COLUMNS]
        return list(cells)

    def data_row(self) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise _too_many_rows()


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

    limits = _Limits()
    header = limits.row(header)

    def data_rows():
        number = 1
        try:
            for cells in rows:
                number += 1
                cells = [c.strip() for c in limits.row(cells)]
                if not table.exact:
                    cells = [unneutralise(c) for c in cells]
                if not _blank(cells):
                    limits.data_row()
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
    return unneutralise(str(value).strip())


def _check_xlsx_parts(archive: zipfile.ZipFile) -> None:
    """Refuse, before openpyxl reads anything, a workbook whose parts would take too long or too much memory to
    read: openpyxl holds every shared string in memory (12 million of them took 165 s and 1.2 GB), whatever the
    size of the zip. Sizes are the zip's declared ones: zipfile never unpacks more than an entry declares."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise _too_large_unpacked()
    shared = {e.filename for e in entries if e.filename.lower().endswith("sharedstrings.xml")}
    types = next((e for e in entries if e.filename == "[Content_Types].xml"), None)
    if types is not None:
        # A workbook may keep its shared strings under any name, declared here (openpyxl finds them by this file).
        if types.file_size > MAX_CONTENT_TYPES_BYTES:
            raise _too_large_unpacked()
        text = archive.read(types)
        if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
            # Real workbooks declare no entities; refusing them keeps entity expansion out.
            raise UnreadableFile("[Content_Types].xml declares entities")
        try:
            declared = ElementTree.fromstring(text)
        except ElementTree.ParseError as error:
            raise UnreadableFile(str(error)) from error
        for override in declared.iter():
            if override.tag.rsplit("}", 1)[-1] == "Override" and override.get("ContentType") == SHARED_STRINGS_TYPE:
                shared.add((override.get("PartName") or "").lstrip("/"))
    for entry in entries:
        if entry.filename in shared:
            if entry.file_size > MAX_SHARED_STRINGS_BYTES:
                raise _too_large_unpacked()
            if len(SHARED_STRING_TAG.findall(archive.read(entry))) > MAX_SHARED_STRINGS:
                raise _too_large_unpacked()
        elif entry.filename.lower().startswith("xl/worksheets/") and entry.file_size > MAX_SHEET_BYTES:
            raise _too_large_unpacked()


def _xlsx_table(data: bytes) -> Table:
    from openpyxl import load_workbook  # imported here: only XLSX imports need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_xlsx_parts(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        estimated = (sheet.max_row or 1) - 1
        # Read-only mode believes the sheet's declared dimension and drops every row beyond it: read them all.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        limits = _Limits()
        header = next(rows, None)
    except UnreadableFile:
        raise
    except Exception as error:  # noqa: BLE001 - whatever a malformed workbook breaks in openpyxl, it is unreadable
        raise UnreadableFile(str(error)) from error
    if header is None:
        workbook.close()
        raise UnreadableFile("empty")

    def data_rows():
        number = 1
        try:
            for values in rows:
                number += 1
                if number > LAST_ROW_NUMBER:
                    raise _too_many_rows()
                cells = [_cell_text(v) for v in limits.row(values)]
                if not _blank(cells):
                    limits.data_row()
                    yield number, cells
        except UnreadableFile:
            raise
        except Exception as error:  # noqa: BLE001 - as above: a broken part found while reading the rows
            raise UnreadableFile(str(error)) from error
        finally:
            workbook.close()

    try:
        header_cells = [_cell_text(h) for h in limits.row(header)]
    except UnreadableFile:
        workbook.close()
        raise
    return Table(header_cells, data_rows(), max(estimated, 0))


def open_table(data: bytes, extension: str) -> Table:
    """The file's table; UnreadableFile when it is not a table we can read."""
    return _xlsx_table(data) if extension == ".xlsx" else _csv_table(data)
